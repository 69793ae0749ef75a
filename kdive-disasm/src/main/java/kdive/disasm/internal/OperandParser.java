package kdive.disasm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import kdive.disasm.Access;
import kdive.disasm.Instruction;
import kdive.disasm.Operand;
import kdive.disasm.Syntax;

/**
 * Structured operands from objdump's AT&T or Intel text. Memory sizes come from the Intel
 * {@code PTR} keyword, the AT&T size suffix, or the size of a register operand; access comes from
 * {@link OperandAccess}. Implicit operands (stack, {@code rsi}/{@code rdi} of string instructions)
 * are not added, as with the Capstone backend.
 */
final class OperandParser {
    private OperandParser() {}

    private static final Pattern ATT_MEM = Pattern.compile(
            "(?:%([a-z]s):)?([-+]?(?:0x)?[0-9a-f]+)?(?:\\((%[a-z0-9]+)?(?:,(%[a-z0-9]+))?(?:,([1248]))?\\))?");
    private static final Map<String, Integer> PTR_SIZES = Map.ofEntries(
            Map.entry("BYTE", 1), Map.entry("WORD", 2), Map.entry("DWORD", 4), Map.entry("FWORD", 6),
            Map.entry("QWORD", 8), Map.entry("TBYTE", 10), Map.entry("XMMWORD", 16), Map.entry("OWORD", 16),
            Map.entry("YMMWORD", 32), Map.entry("ZMMWORD", 64));

    static Instruction instruction(ObjdumpOutput.Line line, Syntax syntax) {
        String base = Mnemonics.base(line.mnemonic());
        List<String> parts = splitOperands(line.operands());
        if (line.mnemonic().equals("xchg") && (line.operands().equals("%ax,%ax") || line.operands().equals("ax,ax"))) {
            parts = List.of(); // 66 90: the two-byte nop, no operands (as Capstone reports it)
        }
        List<Operand> ops = new ArrayList<>(parts.size());
        boolean branch = OperandAccess.isBranch(base);
        for (String part : parts) {
            Operand op = switch (syntax) {
                case ATT -> att(part, branch);
                case INTEL -> intel(part, branch);
            };
            if (op != null) {
                ops.add(op);
            }
        }
        if (syntax == Syntax.ATT) {
            ops = new ArrayList<>(ops.reversed());
            ops = withAttSizes(line.mnemonic(), ops, base);
        }
        ops = OperandAccess.assign(base, ops);
        return new Instruction(line.address(), line.bytes(), line.mnemonic(), line.operands(),
                AccessRules.fix(line.mnemonic(), ops));
    }

    /** Splits at commas outside parentheses, brackets and braces. */
    static List<String> splitOperands(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        String last = text.substring(start).strip();
        if (!last.isEmpty()) {
            out.add(last);
        }
        return out;
    }

    private static Operand att(String raw, boolean branch) {
        String s = raw.replaceAll("\\{[^}]*}", "").strip();
        if (s.startsWith("*")) {
            s = s.substring(1);
        }
        if (s.startsWith("$")) {
            return new Operand.Imm(number(s.substring(1)), Access.READ);
        }
        if (s.startsWith("%") && !s.contains(":") && !s.contains("(") || s.startsWith("%st(")) {
            return new Operand.Reg(s.substring(1), Access.READ);
        }
        if (branch && s.matches("0x[0-9a-f]+")) {
            return new Operand.Imm(number(s), Access.READ);
        }
        Matcher m = ATT_MEM.matcher(s);
        if (!m.matches() || s.isEmpty()) {
            return null;
        }
        String index = reg(m.group(4));
        int scale = m.group(5) == null ? 1 : Integer.parseInt(m.group(5));
        long disp = m.group(2) == null ? 0 : number(m.group(2));
        return new Operand.Mem(nullToEmpty(m.group(1)), reg(m.group(3)), index, scale, disp, 0, Access.READ);
    }

    private static Operand intel(String raw, boolean branch) {
        String s = raw.replaceAll("\\{[^}]*}", "").strip();
        int size = 0;
        int ptr = s.indexOf(" PTR ");
        if (ptr > 0) {
            size = PTR_SIZES.getOrDefault(s.substring(0, ptr).strip(), 0);
            s = s.substring(ptr + 5).strip();
        }
        String segment = "";
        int colon = s.indexOf(':');
        if (colon > 0 && s.substring(0, colon).matches("[c-gs]s")) {
            segment = s.substring(0, colon);
            s = s.substring(colon + 1);
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            return intelMem(segment, s.substring(1, s.length() - 1), size);
        }
        if (s.matches("-?(0x)?[0-9a-f]+")) {
            if (!segment.isEmpty() || ptr > 0) {
                return new Operand.Mem(segment.equals("ds") ? "" : segment, "", "", 1, number(s), size, Access.READ);
            }
            return new Operand.Imm(number(s), Access.READ);
        }
        if (s.matches("[a-z][a-z0-9()]*")) {
            return new Operand.Reg(s, Access.READ);
        }
        return null;
    }

    /** {@code base+index*scale+disp}, any part optional. */
    private static Operand intelMem(String segment, String inner, int size) {
        String base = "";
        String index = "";
        int scale = 1;
        long disp = 0;
        for (String term : inner.replace("-", "+-").split("\\+")) {
            String t = term.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.contains("*")) {
                index = t.substring(0, t.indexOf('*'));
                scale = Integer.parseInt(t.substring(t.indexOf('*') + 1));
            } else if (t.matches("-?(0x)?[0-9a-f]+") && !t.matches("[a-f]+")) {
                disp += number(t);
            } else if (base.isEmpty()) {
                base = t;
            } else {
                index = t;
            }
        }
        return new Operand.Mem(segment, base, index, scale, disp, size, Access.READ);
    }

    /** AT&T memory sizes: the mnemonic's size suffix, else the size of a register operand. */
    private static List<Operand> withAttSizes(String mnemonic, List<Operand> ops, String base) {
        int size = suffixSize(mnemonic);
        if (size == 0 && (base.equals("call") || base.equals("jmp") || base.equals("push") || base.equals("pop"))) {
            size = 8; // 64-bit default operand size of near branches and stack operations (SDM vol. 1, 3.6.1)
        }
        if (size == 0) {
            for (Operand op : ops) {
                // General registers give the size; a vector register does not (movss reads 4 bytes).
                if (op instanceof Operand.Reg r && Registers.size(r.name()) <= 8) {
                    size = Registers.size(r.name());
                    break;
                }
            }
        }
        List<Operand> out = new ArrayList<>(ops.size());
        for (Operand op : ops) {
            out.add(op instanceof Operand.Mem m
                    ? new Operand.Mem(m.segment(), m.base(), m.index(), m.scale(), m.displacement(), size, m.access())
                    : op);
        }
        return out;
    }

    private static int suffixSize(String mnemonic) {
        String m = Mnemonics.lastWord(mnemonic).toLowerCase(Locale.ROOT);
        if (m.matches("movs[bwl][wlq]|movz[bw][wlq]")) {
            return sizeLetter(m.charAt(4)); // movzbl reads a byte: the first letter is the source size
        }
        String base = Mnemonics.base(m);
        if (base.equals(m) || m.length() != base.length() + 1) {
            return 0;
        }
        return sizeLetter(m.charAt(m.length() - 1));
    }

    private static int sizeLetter(char c) {
        return switch (c) {
            case 'b' -> 1;
            case 'w' -> 2;
            case 'l' -> 4;
            case 'q' -> 8;
            default -> 0;
        };
    }

    private static String reg(String g) {
        return g == null ? "" : g.substring(1);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** objdump prints hex with {@code 0x} (possibly negative) and small scale/decimal values bare. */
    static long number(String s) {
        String t = s.strip();
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        long v = t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        return negative ? -v : v;
    }
}
