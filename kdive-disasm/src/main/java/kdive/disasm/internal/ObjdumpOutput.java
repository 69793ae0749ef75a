package kdive.disasm.internal;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code objdump -D -b binary --insn-width=16} output into one {@link Line} per instruction. */
final class ObjdumpOutput {
    private ObjdumpOutput() {}

    /** {@code <hex address>:<TAB><hex bytes><TAB><text>}; lines without text are byte continuations. */
    private static final Pattern LINE =
            Pattern.compile("^\\s*([0-9a-f]+):\\t((?:[0-9a-f]{2} )+)\\s*(?:\\t(.*))?$");

    /**
     * One decoded line.
     *
     * @param mnemonic mnemonic with its prefix words, e.g. {@code lock cmpxchg}
     * @param operands operand text without objdump's {@code # address} comment
     */
    record Line(long address, byte[] bytes, String mnemonic, String operands) {
        boolean invalid() {
            return mnemonic.equals("(bad)") || mnemonic.equals(".byte") || operands.contains("(bad)");
        }

        /**
         * The same line as if decoded at {@code newAddress}: a relative branch's printed target moves
         * with it (the only address-dependent text, since rip-relative comments are dropped).
         */
        Line at(long newAddress) {
            String base = Mnemonics.base(mnemonic);
            boolean relative = base.startsWith("j") || base.equals("call") || base.startsWith("loop")
                    || base.equals("xbegin");
            String ops = operands;
            if (relative && ops.matches("0x[0-9a-f]+")) {
                long target = Long.parseUnsignedLong(ops.substring(2), 16);
                ops = "0x" + Long.toHexString(target - address + newAddress);
            }
            return new Line(newAddress, bytes, mnemonic, ops);
        }
    }

    static List<Line> parse(String text) {
        List<Line> out = new ArrayList<>();
        for (String raw : text.lines().toList()) {
            Matcher m = LINE.matcher(raw);
            if (!m.matches() || m.group(3) == null) {
                continue;
            }
            long address = Long.parseUnsignedLong(m.group(1), 16);
            byte[] bytes = HexFormat.of().parseHex(m.group(2).replace(" ", ""));
            out.add(split(address, bytes, m.group(3)));
        }
        return out;
    }

    /** Splits objdump's text into prefix words + mnemonic and the operands. */
    static Line split(long address, byte[] bytes, String text) {
        String t = stripComment(text).strip();
        String[] words = t.split("\\s+", -1);
        int n = 0;
        StringBuilder mnemonic = new StringBuilder();
        while (n < words.length) {
            String w = words[n];
            if (!mnemonic.isEmpty()) {
                mnemonic.append(' ');
            }
            mnemonic.append(w);
            n++;
            if (!isPrefixWord(w) || n < words.length && !isMnemonicLike(words[n])) {
                break;
            }
        }
        String operands = String.join(" ", java.util.Arrays.copyOfRange(words, n, words.length)).strip();
        return new Line(address, bytes, mnemonic.toString(), operands);
    }

    private static boolean isPrefixWord(String w) {
        String l = w.toLowerCase(Locale.ROOT);
        return Mnemonics.PREFIX_WORDS.contains(l) || l.startsWith("rex.") || l.startsWith("{");
    }

    private static boolean isMnemonicLike(String w) {
        return w.matches("[a-z][a-z0-9.]*") || w.startsWith("{") || w.equals("(bad)");
    }

    /** objdump appends {@code # 0x...} after rip-relative operands and {@code <sym>} after targets. */
    private static String stripComment(String text) {
        int hash = text.indexOf('#');
        String t = hash >= 0 ? text.substring(0, hash) : text;
        return t.replaceAll("\\s*<[^>]*>", "");
    }
}
