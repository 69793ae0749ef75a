package kdive.kernel.unwind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.StringJoiner;
import kdive.io.FormatException;
import kdive.kernel.Obj;
import kdive.kernel.Program;

/**
 * The registers of one frame: each of {@link X86Reg} known or not (a callee-clobbered register
 * after a call frame is unknown; DWARF's "undefined"). Immutable: {@link #with} returns a copy.
 */
public final class RegisterState {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt S32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int N = X86Reg.values().length;
    /** offsetof(struct elf_prstatus, pr_reg) on x86-64 (include/linux/elfcore.h: siginfo, cursig, 2 sigsets, 4 pids, 4 timevals). */
    private static final int PR_REG = 112;
    /** offsetof(struct elf_prstatus, pr_pid). */
    private static final int PR_PID = 32;

    private final long[] values;
    private final int known;

    private RegisterState(long[] values, int known) {
        this.values = values;
        this.known = known;
    }

    public static RegisterState empty() {
        return new RegisterState(new long[N], 0);
    }

    /**
     * The registers of an NT_PRSTATUS note's descriptor: what the kernel's crash_save_cpu()
     * stored (kdump), or QEMU's vCPU state at dump time (dump-guest-memory).
     */
    public static RegisterState fromPrstatus(byte[] desc, String file, long offset) {
        if (desc.length < PR_REG + N * 8) {
            throw new FormatException(file, offset, "an x86-64 NT_PRSTATUS of at least %d bytes, got %d"
                    .formatted(PR_REG + N * 8, desc.length));
        }
        MemorySegment s = MemorySegment.ofArray(desc);
        long[] v = new long[N];
        for (int i = 0; i < N; i++) {
            v[i] = s.get(U64, PR_REG + 8L * i);
        }
        return new RegisterState(v, (1 << N) - 1);
    }

    /** pr_pid of an NT_PRSTATUS: the task's pid for kdump, the vCPU index + 1 for QEMU. */
    public static int prstatusPid(byte[] desc) {
        return desc.length >= PR_PID + 4 ? MemorySegment.ofArray(desc).get(S32, PR_PID) : -1;
    }

    /** A {@code struct pt_regs} at {@code address}: all 21 of its words. */
    public static RegisterState fromPtRegs(Program prog, long address) {
        MemorySegment s = MemorySegment.ofArray(prog.read(address, X86Reg.PT_REGS_SIZE));
        long[] v = new long[N];
        for (int i = 0; i < X86Reg.PT_REGS_WORDS; i++) {
            v[i] = s.get(U64, 8L * i);
        }
        return new RegisterState(v, (1 << X86Reg.PT_REGS_WORDS) - 1);
    }

    /**
     * A sleeping task's registers: __switch_to_asm pushed the callee-saved ones as a
     * {@code struct inactive_task_frame} at {@code task->thread.sp} and the return address into
     * __schedule (or ret_from_fork for a task that never ran) above them; the task resumes with
     * SP just past that frame. Members by the kernel's own type (32-bit had si/di instead).
     */
    public static RegisterState fromInactiveFrame(Program prog, long task) {
        long sp = prog.object("struct task_struct", task).member("thread.sp").asLong();
        Obj frame = prog.object("struct inactive_task_frame", sp);
        RegisterState r = empty().with(X86Reg.RSP, sp + prog.types().sizeOf(frame.type().offset()))
                .with(X86Reg.RIP, frame.member("ret_addr").asLong());
        for (X86Reg reg : new X86Reg[] {X86Reg.R15, X86Reg.R14, X86Reg.R13, X86Reg.R12, X86Reg.RBX, X86Reg.RBP}) {
            String member = reg.regName().substring(reg == X86Reg.RBX || reg == X86Reg.RBP ? 1 : 0);
            if (frame.hasMember(member)) {
                r = r.with(reg, frame.member(member).asLong());
            }
        }
        return r;
    }

    public OptionalLong get(X86Reg r) {
        return (known & 1 << r.ordinal()) != 0 ? OptionalLong.of(values[r.ordinal()]) : OptionalLong.empty();
    }

    public boolean has(X86Reg r) {
        return (known & 1 << r.ordinal()) != 0;
    }

    /** The register's value; 0 when unknown (for display only: callers check {@link #has} first). */
    public long value(X86Reg r) {
        return values[r.ordinal()];
    }

    public long pc() { return values[X86Reg.RIP.ordinal()]; }

    public long sp() { return values[X86Reg.RSP.ordinal()]; }

    public RegisterState with(X86Reg r, long value) {
        long[] v = values.clone();
        v[r.ordinal()] = value;
        return new RegisterState(v, known | 1 << r.ordinal());
    }

    public RegisterState without(X86Reg r) {
        return new RegisterState(values, known & ~(1 << r.ordinal()));
    }

    /** Only the registers a call preserves (psABI §3.2.1: rbx, rbp, r12-r15, rsp) and rip. */
    public RegisterState calleeSaved() {
        int keep = 0;
        for (X86Reg r : new X86Reg[] {X86Reg.RBX, X86Reg.RBP, X86Reg.R12, X86Reg.R13, X86Reg.R14, X86Reg.R15,
                X86Reg.RSP, X86Reg.RIP}) {
            keep |= 1 << r.ordinal();
        }
        return new RegisterState(values, known & keep);
    }

    /** Whether the CS selector's privilege level is 3: registers of user mode (the kernel's user_mode()). */
    public boolean userMode() {
        return has(X86Reg.CS) && (value(X86Reg.CS) & 3) == 3;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RegisterState r) || r.known != known) {
            return false;
        }
        for (int i = 0; i < N; i++) {
            if ((known & 1 << i) != 0 && values[i] != r.values[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        long h = known;
        for (int i = 0; i < N; i++) {
            h = h * 31 + ((known & 1 << i) != 0 ? values[i] : 0);
        }
        return Long.hashCode(h);
    }

    @Override
    public String toString() {
        var j = new StringJoiner(" ", "{", "}");
        for (X86Reg r : X86Reg.values()) {
            get(r).ifPresent(v -> j.add("%s=%x".formatted(r.regName(), v)));
        }
        return j.toString();
    }

    long[] raw() {
        return Arrays.copyOf(values, N);
    }
}
