package kdive.disasm.internal;

import java.util.List;

/**
 * One {@code cs_insn} with its x86 detail, copied out of native memory.
 *
 * @param prefix {@code cs_x86.prefix}: rep/lock, segment, operand size, address size (0 = none)
 * @param dispSize bytes of displacement in the encoding (0 = none), from {@code cs_x86_encoding}
 * @param immSize bytes of immediate in the encoding (0 = none)
 */
record CsInsn(long address, byte[] bytes, int id, String mnemonic, String opStr, List<Op> ops,
              byte[] prefix, int dispSize, int immSize) {

    enum Kind { INVALID, REG, IMM, MEM }

    /** {@code cs_x86_op}: register names resolved, {@code access} as Capstone's CS_AC_* bits. */
    record Op(Kind kind, String reg, long imm, String segment, String base, String index, int scale,
              long disp, int size, int access) {}
}
