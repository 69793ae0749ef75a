package kdive.dwarf;

/**
 * How to compute the canonical frame address (CFA) in one row of a call frame table
 * (DWARF 5 §6.4.1): a register plus an offset, or a DWARF expression whose result is the CFA.
 */
public sealed interface CfaRule {

    /** CFA = value of {@code register} + {@code offset} (DW_CFA_def_cfa and friends). */
    record RegisterOffset(int register, long offset) implements CfaRule {}

    /** CFA = result of evaluating {@code expression} (DW_CFA_def_cfa_expression). */
    record Expression(CfiExpression expression) implements CfaRule {}

    /** No DW_CFA_def_cfa* ran yet: the frame cannot be unwound (only in unusual hand-written CFI). */
    record Undefined() implements CfaRule {}
}
