package kdive.disasm.internal;

import java.util.Locale;
import java.util.Set;

/** x86-64 register names and sizes. */
final class Registers {
    private Registers() {}

    private static final Set<String> GPR64 = Set.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip");
    private static final Set<String> GPR32 = Set.of("eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp",
            "eip");
    private static final Set<String> GPR16 = Set.of("ax", "bx", "cx", "dx", "si", "di", "bp", "sp");
    private static final Set<String> GPR8 = Set.of("al", "bl", "cl", "dl", "sil", "dil", "bpl", "spl",
            "ah", "bh", "ch", "dh");

    /** Size in bytes of a register, 0 if unknown (segment, control, mask registers...). */
    static int size(String name) {
        String r = name.toLowerCase(Locale.ROOT);
        if (GPR64.contains(r)) {
            return 8;
        }
        if (GPR32.contains(r) || r.matches("r\\d+d")) {
            return 4;
        }
        if (GPR16.contains(r) || r.matches("r\\d+w")) {
            return 2;
        }
        if (GPR8.contains(r) || r.matches("r\\d+b")) {
            return 1;
        }
        if (r.startsWith("xmm")) {
            return 16;
        }
        if (r.startsWith("ymm")) {
            return 32;
        }
        if (r.startsWith("zmm")) {
            return 64;
        }
        return 0;
    }
}
