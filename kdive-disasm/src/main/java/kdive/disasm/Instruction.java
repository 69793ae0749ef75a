package kdive.disasm;

import java.util.List;

/**
 * A decoded instruction.
 *
 * @param address address the instruction was decoded at
 * @param bytes its encoding
 * @param mnemonic e.g. {@code mov}, as the chosen syntax spells it ({@code movq} stays {@code mov} when objdump does)
 * @param operandText operands as text in the chosen syntax, e.g. {@code %rsi,(%rax)}
 * @param operands structured operands in Intel order (destination first), empty if the backend could not tell
 */
public record Instruction(long address, byte[] bytes, String mnemonic, String operandText, List<Operand> operands) {

    public Instruction {
        bytes = bytes.clone();
        operands = List.copyOf(operands);
    }

    @Override
    public byte[] bytes() { return bytes.clone(); }

    public int length() { return bytes.length; }

    /** {@code mnemonic operands}, as objdump prints it. */
    public String text() {
        return operandText.isEmpty() ? mnemonic : mnemonic + " " + operandText;
    }
}
