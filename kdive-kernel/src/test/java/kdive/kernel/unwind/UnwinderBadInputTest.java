package kdive.kernel.unwind;

import static org.assertj.core.api.Assertions.assertThat;

import kdive.dump.DumpFile;
import kdive.elf.ElfFile;
import kdive.kernel.Dumps;
import kdive.kernel.Program;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Garbage first registers end a trace with one reason, quickly: no exception, no endless loop. */
@Tag("vmcore")
@Tag("every-kernel")
class UnwinderBadInputTest {
    private static ElfFile vmlinux;
    private static DumpFile dump;
    private static Program prog;

    @BeforeAll
    static void open() {
        vmlinux = Dumps.openVmlinux();
        dump = DumpFile.open(Dumps.file("sysrq", "kdump-zlib"));
        prog = Program.of(dump, vmlinux);
    }

    @AfterAll
    static void close() {
        if (prog != null) {
            prog.close();
            dump.close();
        }
        if (vmlinux != null) {
            vmlinux.close();
        }
    }

    private static RegisterState at(long pc, long sp) {
        return RegisterState.empty().with(X86Reg.RIP, pc).with(X86Reg.RSP, sp).with(X86Reg.RBP, sp);
    }

    @Test
    void anUnmappedStackPointerIsAFault() {
        StackTrace t = new Unwinder(prog).unwind(at(prog.symbol("vfs_write") + 0x40, 0xdead000000000000L));
        assertThat(t.frames()).hasSize(1);
        assertThat(t.stop()).isInstanceOf(Stop.Fault.class);
        assertThat(t.stop().reason()).startsWith("cannot read the stack at 0xdead0000");
    }

    @Test
    void aPcOutsideKernelTextStopsAtOnce() {
        StackTrace t = new Unwinder(prog).unwind(at(0x400000, prog.symbol("init_task")));
        assertThat(t.frames()).isEmpty();
        assertThat(t.stop()).isEqualTo(new Stop.BadPc(0x400000));
    }

    /** A stack of return addresses pointing back at one function: SP moves up each frame, until the words run out. */
    @Test
    void dataMistakenForAStackEndsBounded() {
        long sp = prog.symbol("init_task"); // a task_struct, not a stack: whatever its words say, the trace is bounded
        StackTrace t = new Unwinder(prog).unwind(at(prog.symbol("schedule") + 0x20, sp));
        assertThat(t.frames().size()).isLessThanOrEqualTo(Unwinder.MAX_FRAMES);
        assertThat(t.stop()).isNotInstanceOf(Stop.UserMode.class);
    }
}
