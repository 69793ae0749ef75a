package kdive.elf.orc;

/**
 * How to unwind one frame, as arch/x86/kernel/unwind_orc.c unwind_next_frame() reads an
 * {@link OrcEntry}. The CFA ("previous SP" in the kernel) comes from {@link Cfa}; what it points at
 * depends on the kind: a return address below it ({@link Call}), a pt_regs ({@link Regs}), an iret
 * frame ({@link RegsPartial}).
 */
public sealed interface OrcRule {

    /** No rule: the unwinder cannot go on from this PC (the kernel calls the trace unreliable). */
    record Undefined() implements OrcRule {}

    /** The bottom of the stack: the trace ends here, complete. */
    record EndOfStack() implements OrcRule {}

    /**
     * An ordinary frame: the caller's SP is the CFA, its PC the word at CFA - 8.
     *
     * @param signal the caller's PC found through this rule is exact, not a return address, so
     *               it is looked up as is rather than minus 1 (V2+ 'signal' bit, objtool's
     *               UNWIND_HINT signal; unwind_orc.c's state->signal)
     */
    record Call(Cfa cfa, Bp bp, boolean signal) implements OrcRule {}

    /** The CFA is the address of a full {@code struct pt_regs}: every caller register is in it. */
    record Regs(Cfa cfa, Bp bp) implements OrcRule {}

    /**
     * The CFA is the address of the iret frame (ip, cs, flags, sp, ss): only those come from it,
     * the rest of pt_regs below it may not have been saved yet.
     */
    record RegsPartial(Cfa cfa, Bp bp) implements OrcRule {}

    /** The canonical frame address of a frame (orc->sp_reg, orc->sp_offset). */
    sealed interface Cfa {
        /** CFA = {@code reg} + {@code offset}; reg is SP, BP, or (only inside pt_regs-saving code) DX, DI, R10, R13. */
        record RegisterOffset(OrcReg reg, int offset) implements Cfa {}

        /** CFA = *(SP) + {@code offset} (ORC_REG_SP_INDIRECT: call_on_stack() switched stacks and saved the old SP). */
        record SpIndirect(int offset) implements Cfa {}

        /** CFA = *(BP + {@code offset}) (ORC_REG_BP_INDIRECT). */
        record BpIndirect(int offset) implements Cfa {}
    }

    /** Where the caller's frame pointer is (orc->bp_reg, orc->bp_offset). */
    sealed interface Bp {
        /** BP was not touched (ORC_REG_UNDEFINED): the caller's is the current one, or pt_regs' bp. */
        record Unchanged() implements Bp {}

        /** The caller's BP is the word at CFA + {@code offset} (ORC_REG_PREV_SP). */
        record AtCfa(int offset) implements Bp {}

        /** The caller's BP is the word at BP + {@code offset} (ORC_REG_BP). */
        record AtBp(int offset) implements Bp {}
    }
}
