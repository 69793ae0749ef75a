package kdive.disasm.internal;

import java.util.Locale;
import java.util.Set;

import kdive.disasm.Instruction;
import kdive.disasm.Operand;

/**
 * How much an instruction looks like compiler output (gcc/clang for the kernel). Used only to pick
 * among start offsets before an oops marker: decoding from inside an instruction tends to produce
 * x87, I/O, privileged or never-emitted forms, redundant prefixes, {@code 00 00}
 * ({@code add %al,(%rax)}) runs and displacements that are neither struct offsets nor kernel
 * addresses. The gain is 1 for ordinary instructions, lower for rare ones, and {@link #REJECT} for
 * instructions a compiler does not emit in kernel text.
 */
final class Plausibility {
    private Plausibility() {}

    static final double REJECT = -100;

    /** Never in compiled kernel C code, or invalid/legacy in 64-bit mode. */
    private static final Set<String> NEVER = Set.of(
            "in", "out", "ins", "outs", "insb", "insw", "insl", "insd", "outsb", "outsw", "outsl", "outsd",
            "hlt", "int1", "icebp", "into", "iret", "iretq", "iretd", "iretw", "lret", "lretq", "retf", "retfq",
            "ljmp", "lcall", "sysexit", "sysret", "sysretq", "rsm", "enter", "enterq", "loop", "loope", "loopne",
            "loopz", "loopnz", "jrcxz", "jecxz", "xlat", "xlatb", "cmc", "std", "sahf", "lahf", "int", "salc",
            "fwait", "wait", "lds", "les", "lss", "lfs", "lgs", "bound", "arpl", "aaa", "aas", "aam", "aad",
            "daa", "das", "pusha", "popa", "(bad)", ".byte", "fnstenv", "fldenv", "frstor", "fnsave",
            "prefetchnta", "sldt", "str", "lldt", "ltr", "verr", "verw", "lar", "lsl", "smsw", "lmsw", "clts",
            "invd", "getsec", "rdpmc", "syscall", "sysenter", "ud1", "ud0", "emms", "femms", "vmcall",
            // Never from a C compiler (asm only); common when decoding from inside an instruction.
            "clc", "stc", "cld", "sal", "lods", "scas");

    /** Emitted, but rarely in the C code around a fault. */
    private static final Set<String> RARE = Set.of(
            "cli", "sti", "pushf", "popf", "pushfq", "popfq", "clac", "stac", "ud2", "int3", "leave",
            "leaveq", "xchg", "wbinvd", "rdmsr", "wrmsr", "cpuid", "rdtsc", "rdtscp", "lfence", "mfence",
            "sfence", "pause", "swapgs", "bswap", "cwtl", "cltd", "cqto", "cltq", "cbtw", "cwtd", "movs",
            "stos", "lods", "scas", "cmps", "rcl", "rcr", "shld", "shrd", "bsf", "bsr", "mul", "div", "idiv",
            "adc", "sbb", "btc", "lgdt", "lidt", "sgdt", "sidt", "invlpg", "xgetbv", "xsetbv");

    static double gain(Instruction insn) {
        String mnemonic = insn.mnemonic().toLowerCase(Locale.ROOT);
        String base = Mnemonics.base(mnemonic);
        if (NEVER.contains(base) || Mnemonics.isBarePrefix(mnemonic) || base.startsWith("f")
                && !base.startsWith("fx")) {
            return REJECT;
        }
        if (base.equals("stos") && !mnemonic.startsWith("rep")) {
            return REJECT; // gcc emits stos only as rep stos (memset)
        }
        if (base.equals("movabs") && insn.operands().stream().anyMatch(o -> o instanceof Operand.Mem)) {
            return REJECT; // A0-A3 moffs64 forms; movabs $imm64 (poison values) is common
        }
        byte[] b = insn.bytes();
        if (b.length >= 2 && b[0] == 0 && b[1] == 0) {
            return REJECT; // add %al,(%rax): zero padding or the middle of an immediate
        }
        double prefix = Prefixes.penalty(b, base);
        if (prefix >= 1) {
            return REJECT;
        }
        double operands = operandPenalty(insn);
        if (operands >= 1) {
            return REJECT;
        }
        double gain = 1 - prefix - operands;
        if (RARE.contains(base)) {
            gain -= 0.5;
        }
        return gain;
    }

    private static double operandPenalty(Instruction insn) {
        double penalty = 0;
        for (Operand op : insn.operands()) {
            switch (op) {
                case Operand.Reg r -> penalty += registerPenalty(r.name());
                case Operand.Mem m -> penalty += memoryPenalty(m);
                case Operand.Imm i -> { }
            }
        }
        return penalty;
    }

    private static double registerPenalty(String reg) {
        String r = reg.toLowerCase(Locale.ROOT);
        if (r.startsWith("st") || r.startsWith("mm") || r.matches("[c-gs]s")) {
            return 1; // x87, MMX and segment registers: not in kernel C code
        }
        if (r.startsWith("cr") || r.startsWith("dr") || r.equals("ah") || r.equals("bh") || r.equals("ch")
                || r.equals("dh")) {
            return 0.5;
        }
        return 0;
    }

    private static double memoryPenalty(Operand.Mem m) {
        if (m.base().equals("rip") || m.base().equals("eip")) {
            return 0;
        }
        long d = m.displacement();
        boolean noRegs = m.base().isEmpty() && m.index().isEmpty();
        if (m.base().startsWith("e") || m.index().startsWith("e")) {
            return 1; // 32-bit addressing needs an 0x67 prefix: not in 64-bit kernel code
        }
        if (d >= -0x40000 && d <= 0x40000) {
            return noRegs && m.segment().isEmpty() ? 0.5 : 0;
        }
        if (d <= -0x40000000L && d >= -0x80000000L) {
            return 0; // sign-extended kernel address: -mcmodel=kernel puts text and data in the top 2 GiB
        }
        if (d > 0x40000 && d <= 0x100000) {
            return 0.5;
        }
        return 1;
    }
}
