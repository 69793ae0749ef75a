package kdive.disasm.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import kdive.disasm.Syntax;

/**
 * Capstone's own operand text, moved toward objdump's spelling, for the forms {@link CapstoneText}
 * does not rebuild from operands: x87 stack registers, string instructions, AVX-512 masks.
 */
final class CapstoneFallbackText {
    private CapstoneFallbackText() {}

    private static final Set<String> STRING_WITH_REGISTER = Set.of("stos", "lods", "scas");
    /** x87 forms objdump prints with the implicit %st: {@code fmul %st(2),%st}, {@code fmulp %st,%st(1)}. */
    private static final Set<String> X87_TO_ST = Set.of("fadd", "fmul", "fsub", "fsubr", "fdiv", "fdivr", "fcomi",
            "fucomi", "fcomip", "fucomip", "fcmovb", "fcmove", "fcmovbe", "fcmovu", "fcmovnb", "fcmovne",
            "fcmovnbe", "fcmovnu");
    private static final Set<String> X87_FROM_ST = Set.of("faddp", "fmulp", "fsubp", "fsubrp", "fdivp", "fdivrp");
    private static final Pattern DECIMAL = Pattern.compile("(?<![0-9A-Za-z_%.$])(-?)(\\d+)(?=\\(|$|,|])");
    private static final Pattern DECIMAL_IMM = Pattern.compile("\\$(-?)(\\d+)\\b");

    /** {mnemonic, operand text}. */
    static String[] render(String mnemonic, String base, String opStr, Syntax syntax) {
        String ops = opStr.replace(", ", ",");
        return switch (syntax) {
            case ATT -> att(mnemonic, base, ops);
            case INTEL -> intel(mnemonic, base, ops);
        };
    }

    private static String[] att(String mnemonic, String base, String ops) {
        String m = mnemonic;
        String o = hexify(ops);
        if (base.startsWith("movs") || base.startsWith("stos") || base.startsWith("lods")
                || base.startsWith("scas") || base.startsWith("cmps")) {
            o = o.replaceAll("(?<![:%a-z])\\(%rdi\\)", "%es:(%rdi)").replaceAll("(?<![:%a-z])\\(%rsi\\)", "%ds:(%rsi)");
            if (STRING_WITH_REGISTER.contains(base) && o.contains("%")) {
                String last = Mnemonics.lastWord(m);
                m = m.substring(0, m.length() - last.length()) + base;
            }
        }
        if (o.contains(",")) {
            o = o.replace("%st(0)", "%st"); // objdump: fsub %st,%st(1) but fld %st(0)
        }
        String lastWord = Mnemonics.lastWord(m);
        if (o.matches("%st\\(\\d\\)")) {
            if (X87_TO_ST.contains(lastWord)) {
                o = o + ",%st";
            } else if (X87_FROM_ST.contains(lastWord)) {
                o = "%st," + o;
            }
        }
        return new String[] {m, o};
    }

    private static String[] intel(String mnemonic, String base, String ops) {
        String out = hexify(ops.replace(" + ", "+").replace(" - ", "-").replace(" * ", "*"));
        for (String w : List.of("zmmword", "ymmword", "xmmword", "tbyte", "qword", "fword", "dword", "word",
                "byte")) {
            out = out.replace(w + " ptr", w.toUpperCase(Locale.ROOT) + " PTR");
        }
        String m = mnemonic;
        String last = Mnemonics.lastWord(m);
        if (out.contains("[rdi]") || out.contains("[rsi]")) {
            // String instructions: objdump spells them movs/stos/... with explicit es:/ds: segments.
            out = out.replace(" [rdi]", " es:[rdi]").replace(" [rsi]", " ds:[rsi]");
            if (last.matches("(movs|stos|lods|scas|cmps)[bwdq]")) {
                m = m.substring(0, m.length() - 1);
            }
        }
        if (out.contains(",")) {
            out = out.replace("st(0)", "st");
        } else if (out.matches("st\\(\\d\\)")) {
            if (X87_TO_ST.contains(last)) {
                out = "st," + out;
            } else if (X87_FROM_ST.contains(last)) {
                out = out + ",st";
            }
        }
        return new String[] {m, out};
    }

    /** Capstone prints small numbers in decimal; objdump always in hex. */
    static String hexify(String s) {
        Matcher imm = DECIMAL_IMM.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (imm.find()) {
            imm.appendReplacement(sb, Matcher.quoteReplacement(
                    "$" + imm.group(1) + "0x" + Long.toHexString(Long.parseLong(imm.group(2)))));
        }
        imm.appendTail(sb);
        Matcher d = DECIMAL.matcher(sb.toString());
        StringBuilder out = new StringBuilder();
        while (d.find()) {
            d.appendReplacement(out, Matcher.quoteReplacement(
                    d.group(1) + "0x" + Long.toHexString(Long.parseLong(d.group(2)))));
        }
        d.appendTail(out);
        return out.toString();
    }
}
