package kdive.elf.orc;

/**
 * An entry's kind in V3 terms (orc_types.h since 6.4); older layouts are mapped onto these
 * ({@link OrcVersion}).
 */
public enum OrcType {
    /** No unwind information for this code (ORC_TYPE_UNDEFINED; V1/V2: sp_reg undefined, end clear). */
    UNDEFINED,
    /** The outermost frame: a kernel thread's or the entry code's stack bottom (ORC_TYPE_END_OF_STACK). */
    END_OF_STACK,
    /** An ordinary function: the return address sits just below the CFA (ORC_TYPE_CALL). */
    CALL,
    /** The CFA is a full {@code struct pt_regs} (ORC_TYPE_REGS): entry code, exception and IRQ frames. */
    REGS,
    /** The CFA is the hardware's iret frame, pt_regs' last five words (ORC_TYPE_REGS_PARTIAL, V1/V2 REGS_IRET). */
    REGS_PARTIAL
}
