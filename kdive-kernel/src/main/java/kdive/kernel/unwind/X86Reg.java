package kdive.kernel.unwind;

import java.util.Optional;

/**
 * The x86-64 registers as the unwinder and the dump formats number them, in one table:
 * the System V psABI's DWARF register number (§3.6.2, figure 3.36; -1 where it has none), and the
 * word index in {@code struct user_regs_struct} (arch/x86/include/asm/user_64.h), which is the
 * layout of an ELF core's NT_PRSTATUS {@code pr_reg} and, for its first 21 words, of the kernel's
 * {@code struct pt_regs} (arch/x86/include/asm/ptrace.h). Constants are in pt_regs order.
 */
public enum X86Reg {
    R15("r15", 15), R14("r14", 14), R13("r13", 13), R12("r12", 12), RBP("rbp", 6), RBX("rbx", 3),
    R11("r11", 11), R10("r10", 10), R9("r9", 9), R8("r8", 8), RAX("rax", 0), RCX("rcx", 2), RDX("rdx", 1),
    RSI("rsi", 4), RDI("rdi", 5), ORIG_RAX("orig_rax", -1), RIP("rip", 16), CS("cs", 51), EFLAGS("eflags", 49),
    RSP("rsp", 7), SS("ss", 52), FS_BASE("fs_base", 58), GS_BASE("gs_base", 59), DS("ds", 53), ES("es", 50),
    FS("fs", 54), GS("gs", 55);

    /** Words of pt_regs: r15 .. ss. */
    public static final int PT_REGS_WORDS = 21;
    /** sizeof(struct pt_regs) on x86-64. */
    public static final int PT_REGS_SIZE = PT_REGS_WORDS * 8;
    /** Offset of the hardware's iret frame (ip, cs, flags, sp, ss) in pt_regs: IRET_FRAME_OFFSET. */
    public static final int IRET_FRAME_OFFSET = 16 * 8;

    private static final X86Reg[] BY_DWARF = new X86Reg[64];

    static {
        for (X86Reg r : values()) {
            if (r.dwarf >= 0) {
                BY_DWARF[r.dwarf] = r;
            }
        }
    }

    private final String name;
    private final int dwarf;

    X86Reg(String name, int dwarf) {
        this.name = name;
        this.dwarf = dwarf;
    }

    /** The name as gdb and crash print it (lower case, no %). */
    public String regName() { return name; }

    /** The psABI DWARF number; -1 for orig_rax, which has none. */
    public int dwarf() { return dwarf; }

    /** The word index in NT_PRSTATUS's pr_reg; also in pt_regs for the first {@link #PT_REGS_WORDS}. */
    public int index() { return ordinal(); }

    /** The register with DWARF number {@code n} (16 is the return-address column, RIP). */
    public static Optional<X86Reg> ofDwarf(int n) {
        return n >= 0 && n < BY_DWARF.length ? Optional.ofNullable(BY_DWARF[n]) : Optional.empty();
    }
}
