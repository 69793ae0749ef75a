package kdive.dwarf;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A DWARF expression inside call frame information (DW_CFA_*expression operands), kept as its
 * bytes for the unwinder to evaluate; {@code offset} is where the bytes start in {@code section}.
 * Compared by content, so equal rules at different places in a table are equal.
 */
public record CfiExpression(String section, long offset, byte[] bytes) {

    public CfiExpression {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CfiExpression e && Arrays.equals(bytes, e.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "CfiExpression[" + HexFormat.ofDelimiter(" ").formatHex(bytes) + "]";
    }
}
