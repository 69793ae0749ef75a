package kdive.disasm;

/** One operand of a decoded instruction. Register names are lower-case, without {@code %}. */
public sealed interface Operand {

    Access access();

    /** A register operand, e.g. {@code rax}, {@code esi}. */
    record Reg(String name, Access access) implements Operand {}

    /** An immediate value. */
    record Imm(long value, Access access) implements Operand {}

    /**
     * A memory operand: {@code segment:displacement(base, index, scale)}.
     *
     * @param segment segment override register or empty
     * @param base base register or empty (for {@code rip}-relative it is {@code "rip"})
     * @param index index register or empty
     * @param scale 1, 2, 4 or 8
     * @param displacement signed displacement
     * @param size bytes accessed (0 when unknown, e.g. {@code lea})
     * @param access read/write; {@link Access#NONE} for {@code lea} and {@code nop}
     */
    record Mem(String segment, String base, String index, int scale, long displacement, int size, Access access)
            implements Operand {}
}
