package kdive.dwarf;

/**
 * How to recover a register of the caller in one row of a call frame table (DWARF 5 §6.4.1).
 * A register with no rule in a row is "unspecified" (the ABI's default applies; readelf shows
 * it as {@code u} like {@link Undefined}).
 */
public sealed interface RegisterRule {

    /** DW_CFA_undefined: the caller's value cannot be recovered (e.g. the return address of the outermost frame). */
    record Undefined() implements RegisterRule {}

    /** DW_CFA_same_value: the register was not changed by this frame. */
    record SameValue() implements RegisterRule {}

    /** DW_CFA_offset*: saved in memory at CFA + {@code offset}. */
    record Offset(long offset) implements RegisterRule {}

    /** DW_CFA_val_offset*: the value is CFA + {@code offset} itself (not stored anywhere). */
    record ValOffset(long offset) implements RegisterRule {}

    /** DW_CFA_register: saved in another register. */
    record Register(int register) implements RegisterRule {}

    /** DW_CFA_expression: saved in memory at the address {@code expression} computes (CFA pushed first). */
    record Expression(CfiExpression expression) implements RegisterRule {}

    /** DW_CFA_val_expression: the value is what {@code expression} computes (CFA pushed first). */
    record ValExpression(CfiExpression expression) implements RegisterRule {}
}
