package kdive.triage;

/**
 * An operand of the faulting instruction named in source terms, from DWARF at the faulting PC.
 *
 * @param operand the operand as the disassembly spells it: {@code (%rax)}, {@code %rsi}
 * @param expression the C expression it is: {@code prev->next}, {@code newsk}
 * @param type the C type of that expression ({@code struct sk_buff *}), empty when unknown
 * @param function the (possibly inlined) function whose variable names it
 * @param basis how the name was found, for a human: the variable locations and loads it rests on
 * @param loadedFrom where the base register's value was loaded from in this function (for a bad
 *     pointer: where it came from), empty when not found
 * @param throughLoad the operand written through that load ({@code sk->sk_write_queue.prev->next}),
 *     empty when {@code loadedFrom} is
 * @param inferred true when a register's content was followed back through earlier instructions
 *     of the function (no DWARF location names it at the PC): right on straight-line code, a guess
 *     when another path jumps in between
 */
public record NamedOperand(String operand, String expression, String type, String function, String basis,
        String loadedFrom, String throughLoad, boolean inferred) {}
