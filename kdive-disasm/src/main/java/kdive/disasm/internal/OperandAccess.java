package kdive.disasm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import kdive.disasm.Access;
import kdive.disasm.Operand;

/**
 * Read/write access of explicit operands from the mnemonic, for backends that only have text.
 * Operands are in Intel order: the first is the destination, written or updated; the others are
 * read. Exceptions are listed below (SDM vol. 2 instruction pages).
 */
final class OperandAccess {
    private OperandAccess() {}

    /** No destination: every operand is read. */
    private static final Set<String> READ_ONLY = Set.of(
            "cmp", "test", "bt", "push", "call", "jmp", "ucomiss", "ucomisd", "comiss", "comisd", "ptest",
            "vptest", "vucomiss", "vucomisd", "vcomiss", "vcomisd", "mul", "div", "idiv", "ret", "lret",
            "invlpg", "clflush", "int", "out", "outs", "lods", "scas", "cmps", "kortestw", "kortestq", "ktestw",
            "lgdt", "lidt", "lldt", "ltr", "wrmsr", "verr", "verw", "prefetcht0", "prefetcht1", "prefetcht2",
            "prefetchw", "prefetchnta", "bound");

    /** The destination is only written (its old value does not matter). */
    private static final Set<String> WRITE_ONLY = Set.of(
            "mov", "movzb", "movzw", "movsb", "movsw", "movsl", "movzx", "movsx", "movsxd", "movabs", "lea",
            "pop", "movaps", "movups", "movapd", "movupd", "movdqa", "movdqu", "movd", "movq", "movss", "movsd",
            "vmovaps", "vmovups", "vmovdqa", "vmovdqu", "vmovdqa64", "vmovdqu64", "vmovd", "vmovq", "movnti",
            "movntdq", "bsf", "bsr", "popcnt", "lzcnt", "tzcnt", "cvtsi2sd", "cvtsi2ss", "cvttsd2si",
            "cvttss2si", "sqrtsd", "sqrtss", "rdtsc", "sgdt", "sidt", "str", "sldt", "smsw", "movbe", "crc32",
            "setcc", "stos", "ins", "pmovmskb", "movmskps", "movmskpd", "pshufd", "pextrw", "pextrd", "pextrq",
            "andn", "shlx", "shrx", "sarx", "rorx", "bzhi", "pdep", "pext", "cqto", "cltq", "cwtl",
            "imul3");

    static boolean isBranch(String base) {
        return base.startsWith("j") || base.equals("call") || base.startsWith("loop") || base.equals("xbegin");
    }

    static List<Operand> assign(String base, List<Operand> ops) {
        List<Operand> out = new ArrayList<>(ops.size());
        String kind = base;
        if (base.startsWith("set")) {
            kind = "setcc";
        } else if (base.equals("imul") && ops.size() == 3) {
            kind = "imul3";
        } else if (base.startsWith("movz") || base.startsWith("movs") && base.length() == 6) {
            kind = "movzx"; // movzbl, movswq, movslq...
        }
        for (int i = 0; i < ops.size(); i++) {
            Access a;
            if (i > 0 || READ_ONLY.contains(kind) || isBranch(kind) || ops.size() == 1 && kind.equals("imul")) {
                a = Access.READ;
            } else if (WRITE_ONLY.contains(kind)) {
                a = Access.WRITE;
            } else if (kind.equals("nop")) {
                a = Access.NONE;
            } else {
                a = Access.READ_WRITE;
            }
            // xchg, xadd and cmpxchg write their source too.
            if (i == 1 && (kind.equals("xchg") || kind.equals("xadd"))) {
                a = Access.READ_WRITE;
            }
            out.add(withAccess(ops.get(i), a));
        }
        return out;
    }

    static Operand withAccess(Operand op, Access a) {
        return switch (op) {
            case Operand.Reg r -> new Operand.Reg(r.name(), a);
            case Operand.Imm i -> new Operand.Imm(i.value(), Access.READ);
            case Operand.Mem m -> new Operand.Mem(m.segment(), m.base(), m.index(), m.scale(), m.displacement(),
                    m.size(), a);
        };
    }
}
