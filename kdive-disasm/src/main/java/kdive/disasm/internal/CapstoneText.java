package kdive.disasm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import kdive.disasm.Access;
import kdive.disasm.Instruction;
import kdive.disasm.Operand;
import kdive.disasm.Syntax;

/**
 * Turns a {@link CsInsn} into an {@link Instruction}, re-rendering the operand text from Capstone's
 * structured operands the way binutils objdump prints it (hex everywhere, {@code ,1} scales, no
 * space after commas, {@code 0x0(} for an encoded zero displacement, immediates masked to the operand
 * size, upper-case {@code PTR} in Intel syntax) and dropping AT&T size suffixes where a register
 * operand gives the size. Forms this renderer does not model (x87 stack, AVX-512 masks, string
 * instructions) keep Capstone's own text with only the comma spacing fixed; the differences that
 * remain are listed in {@code CapstoneVsObjdumpTest}.
 */
final class CapstoneText {
    private CapstoneText() {}

    /** objdump 2.40 spells these without the q Capstone 4 adds (64-bit default operand size). */
    private static final Set<String> DEFAULT_64 = Set.of("call", "ret", "push", "pop", "jmp", "leave", "iret",
            "pushf", "popf", "lret", "enter");

    static final Set<String> SHIFTS = Set.of("shl", "shr", "sal", "sar", "rol", "ror", "rcl", "rcr");

    private static boolean isImplicitShiftByOne(CsInsn in, String base) {
        if (!SHIFTS.contains(base) || in.ops().size() != 2 || in.immSize() != 0) {
            return false;
        }
        return in.ops().stream().anyMatch(o -> o.kind() == CsInsn.Kind.IMM && o.imm() == 1);
    }

    static Instruction toInstruction(CsInsn in, Syntax syntax) {
        List<Operand> ops = new ArrayList<>();
        for (CsInsn.Op op : in.ops()) {
            Access a = switch (op.access() & 3) {
                case 1 -> Access.READ;
                case 2 -> Access.WRITE;
                case 3 -> Access.READ_WRITE;
                default -> Access.NONE;
            };
            switch (op.kind()) {
                case REG -> ops.add(new Operand.Reg(op.reg(), a));
                case IMM -> ops.add(new Operand.Imm(op.imm(), a));
                case MEM -> ops.add(new Operand.Mem(op.segment(), op.base(), op.index(), op.scale(), op.disp(),
                        op.size(), a));
                case INVALID -> { }
            }
        }
        List<CsInsn.Op> intelOrder = in.ops();
        if (syntax == Syntax.ATT) {
            // In AT&T mode Capstone lists operands in AT&T order; Instruction wants Intel order.
            ops = ops.reversed();
            intelOrder = intelOrder.reversed();
        }
        boolean byOne = isImplicitShiftByOne(in, Mnemonics.base(in.mnemonic()));
        if (byOne) {
            // D0/D1 shifts: objdump's AT&T shows no count operand for "by 1", its Intel text a bare 1.
            ops = ops.subList(0, 1);
            intelOrder = intelOrder.subList(0, 1);
        }
        String[] text = render(in, intelOrder, syntax);
        if (byOne && syntax == Syntax.INTEL) {
            text[1] = text[1] + ",1";
        }
        // Capstone 4's access bits are wrong for some common forms (test mem: READ_WRITE, lock cmpxchg
        // mem: READ, movups store: READ), so both backends use the same mnemonic table.
        List<Operand> accessed = OperandAccess.assign(Mnemonics.base(text[0]), ops);
        return new Instruction(in.address(), in.bytes(), text[0], text[1], AccessRules.fix(text[0], accessed));
    }

    /** {mnemonic, operand text}. */
    private static String[] render(CsInsn in, List<CsInsn.Op> ops, Syntax syntax) {
        String mnemonic = in.mnemonic();
        String base = Mnemonics.base(mnemonic);
        if (in.bytes().length == 2 && (in.bytes()[0] & 0xff) == 0x66 && (in.bytes()[1] & 0xff) == 0x90) {
            return new String[] {"xchg", syntax == Syntax.ATT ? "%ax,%ax" : "ax,ax"};
        }
        if (!modelled(in, base)) {
            return CapstoneFallbackText.render(mnemonic, base, in.opStr(), syntax);
        }
        boolean branch = OperandAccess.isBranch(base);
        boolean indirect = (base.equals("call") || base.equals("jmp")) && !ops.isEmpty()
                && ops.getFirst().kind() != CsInsn.Kind.IMM;
        List<String> parts = new ArrayList<>();
        for (CsInsn.Op op : ops) {
            parts.add(switch (syntax) {
                case ATT -> att(op, in, branch, indirect);
                case INTEL -> intel(op, in, branch, base);
            });
        }
        String prefixWords = prefixWords(in, base, indirect);
        String m = switch (syntax) {
            case ATT -> attMnemonic(mnemonic, base, ops);
            case INTEL -> mnemonic;
        };
        m = prefixWords + m;
        if (syntax == Syntax.ATT) {
            parts = parts.reversed();
        }
        return new String[] {m, String.join(",", parts)};
    }

    /** Forms whose text we rebuild; the rest keep Capstone's text. */
    private static boolean modelled(CsInsn in, String base) {
        String s = in.opStr();
        if (s.contains("{") || s.contains("st(") || s.contains("%st") || s.matches(".*\\bst\\b.*")) {
            return false;
        }
        if (base.startsWith("movs") && !base.startsWith("movsx") && base.length() <= 5
                || base.startsWith("stos") || base.startsWith("lods") || base.startsWith("scas")
                || base.startsWith("cmps") || base.startsWith("ins") || base.startsWith("outs")) {
            return false;
        }
        return OperandParser.splitOperands(s).size() == in.ops().size();
    }

    /**
     * Prefixes objdump shows as words: null segment overrides ({@code cs nopw ...}), extra 0x66 as
     * {@code data16}, and on branches {@code notrack}, {@code repz}, {@code bnd}; Capstone 4 drops these.
     */
    private static String prefixWords(CsInsn in, String base, boolean indirect) {
        boolean branch = OperandAccess.isBranch(base) || base.equals("ret");
        StringBuilder sb = new StringBuilder();
        byte[] b = in.bytes();
        int n66 = 0;
        int i = 0;
        for (; i < b.length && Prefixes.isLegacy(b[i] & 0xff); i++) {
            switch (b[i] & 0xff) {
                case 0x66 -> n66++;
                case 0x2e -> sb.append("cs ");
                case 0x3e -> sb.append(indirect ? "notrack " : "ds "); // CET: 3E on an indirect branch
                case 0xf3 -> sb.append(branch ? "repz " : "");  // "repz ret" of older gcc output
                case 0xf2 -> sb.append(branch ? "bnd " : "");   // MPX bnd prefix
                case 0x26 -> sb.append("es ");
                case 0x36 -> sb.append("ss ");
                default -> { }
            }
        }
        boolean usesOpsize = in.prefix()[2] != 0 && n66 > 0;
        int extra = usesOpsize ? n66 - 1 : n66;
        return "data16 ".repeat(Math.max(0, extra)) + sb;
    }

    /**
     * objdump prints the AT&T size suffix only when no register operand tells the size (a shift
     * count in {@code %cl} does not), and never for near branches, push and pop.
     */
    private static String attMnemonic(String mnemonic, String base, List<CsInsn.Op> ops) {
        String last = Mnemonics.lastWord(mnemonic);
        String head = mnemonic.substring(0, mnemonic.length() - last.length());
        if (last.equals("movabsq")) {
            return head + "movabs";
        }
        if (last.equals("movd") && ops.stream().anyMatch(o -> o.kind() == CsInsn.Kind.REG
                && Registers.size(o.reg()) == 8)) {
            return head + "movq"; // 66 REX.W 0F 6E/7E: objdump names the 64-bit form movq
        }
        if (Mnemonics.isCmovWithSuffix(last)) {
            return head + last.substring(0, last.length() - 1); // cmov always has a register destination
        }
        if (last.equals(base) || !Mnemonics.SUFFIXABLE.contains(base)) {
            return mnemonic;
        }
        boolean strip = DEFAULT_64.contains(base) && last.endsWith("q");
        for (int i = 0; i < ops.size() && !strip; i++) {
            CsInsn.Op op = ops.get(i);
            boolean shiftCount = i == 1 && op.kind() == CsInsn.Kind.REG && op.reg().equals("cl") && SHIFTS.contains(base);
            strip = op.kind() == CsInsn.Kind.REG && !shiftCount && Registers.size(op.reg()) > 0;
        }
        if (!strip) {
            return mnemonic;
        }
        return head + base;
    }

    private static String att(CsInsn.Op op, CsInsn in, boolean branch, boolean indirect) {
        return switch (op.kind()) {
            case REG -> (indirect ? "*%" : "%") + op.reg();
            case IMM -> branch ? hex(op.imm()) : "$" + hex(mask(op.imm(), op.size()));
            case MEM -> (indirect ? "*" : "") + attMem(op, in);
            case INVALID -> "";
        };
    }

    private static String attMem(CsInsn.Op op, CsInsn in) {
        StringBuilder sb = new StringBuilder();
        boolean nullSegment = op.segment().equals("cs") || op.segment().equals("ds") || op.segment().equals("ss")
                || op.segment().equals("es");
        if (!op.segment().isEmpty() && !nullSegment) {
            sb.append('%').append(op.segment()).append(':');
        }
        boolean regs = !op.base().isEmpty() || !op.index().isEmpty();
        if (!regs) {
            return sb.append(hex(op.disp())).toString();
        }
        if (in.dispSize() > 0 || op.disp() != 0) {
            sb.append(signedHex(op.disp()));
        }
        sb.append('(');
        if (!op.base().isEmpty()) {
            sb.append('%').append(op.base());
        }
        if (!op.index().isEmpty()) {
            sb.append(",%").append(op.index()).append(',').append(op.scale());
        }
        return sb.append(')').toString();
    }

    private static String intel(CsInsn.Op op, CsInsn in, boolean branch, String base) {
        return switch (op.kind()) {
            case REG -> op.reg();
            case IMM -> branch ? hex(op.imm()) : hex(mask(op.imm(), op.size()));
            case MEM -> intelMem(op, in, base);
            case INVALID -> "";
        };
    }

    private static String intelMem(CsInsn.Op op, CsInsn in, String base) {
        StringBuilder sb = new StringBuilder();
        String size = ptr(op.size());
        if (!base.equals("lea") && !size.isEmpty()) {
            sb.append(size).append(" PTR ");
        }
        boolean regs = !op.base().isEmpty() || !op.index().isEmpty();
        boolean nullSegment = op.segment().equals("cs") || op.segment().equals("ds") || op.segment().equals("ss")
                || op.segment().equals("es");
        if (!op.segment().isEmpty() && !nullSegment) {
            sb.append(op.segment()).append(':');
        } else if (!regs) {
            sb.append("ds:");
        }
        if (!regs) {
            return sb.append(hex(op.disp())).toString();
        }
        sb.append('[');
        if (!op.base().isEmpty()) {
            sb.append(op.base());
        }
        if (!op.index().isEmpty()) {
            sb.append(op.base().isEmpty() ? "" : "+").append(op.index()).append('*').append(op.scale());
        }
        if (in.dispSize() > 0 || op.disp() != 0) {
            // objdump -M intel prints a negative rip displacement as a 64-bit unsigned number.
            String d = op.base().equals("rip") ? hex(op.disp()) : signedHex(op.disp());
            sb.append(d.startsWith("-") ? d : "+" + d);
        }
        return sb.append(']').toString();
    }

    private static String ptr(int size) {
        return switch (size) {
            case 1 -> "BYTE";
            case 2 -> "WORD";
            case 4 -> "DWORD";
            case 6 -> "FWORD";
            case 8 -> "QWORD";
            case 10 -> "TBYTE";
            case 16 -> "XMMWORD";
            case 32 -> "YMMWORD";
            case 64 -> "ZMMWORD";
            default -> "";
        };
    }

    static long mask(long value, int size) {
        return switch (size) {
            case 1 -> value & 0xffL;
            case 2 -> value & 0xffffL;
            case 4 -> value & 0xffffffffL;
            default -> value;
        };
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String signedHex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }
}
