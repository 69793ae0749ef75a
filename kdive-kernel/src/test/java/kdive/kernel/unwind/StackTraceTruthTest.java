package kdive.kernel.unwind;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import kdive.dump.DumpFile;
import kdive.elf.ElfFile;
import kdive.kernel.Dumps;
import kdive.kernel.Program;
import kdive.kernel.SymbolHit;
import kdive.kernel.helpers.Task;
import kdive.kernel.helpers.Tasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Stack traces of every fixture dump against the kernel's own word: the panicking task's frames
 * equal the console's reliable Call Trace frames (no '?') and its register dumps; every return
 * address follows a call instruction; every sleeping task starts at the context switch and ends
 * at the user pt_regs or ret_from_fork.
 */
@Tag("vmcore")
@Tag("every-kernel")
class StackTraceTruthTest {
    /** X86Reg names as the console's register dump spells them. */
    private static final Map<String, X86Reg> CONSOLE_NAMES = Map.ofEntries(
            Map.entry("RAX", X86Reg.RAX), Map.entry("RBX", X86Reg.RBX), Map.entry("RCX", X86Reg.RCX),
            Map.entry("RDX", X86Reg.RDX), Map.entry("RSI", X86Reg.RSI), Map.entry("RDI", X86Reg.RDI),
            Map.entry("RBP", X86Reg.RBP), Map.entry("RSP", X86Reg.RSP), Map.entry("R08", X86Reg.R8),
            Map.entry("R09", X86Reg.R9), Map.entry("R10", X86Reg.R10), Map.entry("R11", X86Reg.R11),
            Map.entry("R12", X86Reg.R12), Map.entry("R13", X86Reg.R13), Map.entry("R14", X86Reg.R14),
            Map.entry("R15", X86Reg.R15), Map.entry("EFLAGS", X86Reg.EFLAGS), Map.entry("ORIG_RAX", X86Reg.ORIG_RAX));

    private static ElfFile vmlinux;

    @BeforeAll
    static void open() {
        vmlinux = Dumps.openVmlinux();
    }

    @AfterAll
    static void close() {
        if (vmlinux != null) {
            vmlinux.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyDump() {
        var tests = new ArrayList<DynamicTest>();
        for (String s : Dumps.SCENARIOS) {
            for (String f : Dumps.FILES) {
                tests.add(DynamicTest.dynamicTest(s + "/" + f, () -> check(s, f)));
            }
        }
        // No vmcoreinfo: the ORC layout comes from init_uts_ns's release, KASLR from QEMU's CPU note.
        tests.add(DynamicTest.dynamicTest("novmcoreinfo/qemu-kdump-zlib.flat",
                () -> check("novmcoreinfo", "qemu-kdump-zlib.flat")));
        return tests.stream();
    }

    private static void check(String scenario, String file) {
        ConsoleTrace console = ConsoleTrace.parse(Dumps.console(scenario));
        try (DumpFile d = DumpFile.open(Dumps.file(scenario, file)); Program prog = Program.of(d, vmlinux)) {
            Tasks.TaskList list = Tasks.list(prog);
            TaskTraces traces = new TaskTraces(new Unwinder(prog));
            Task panicking = list.panicTask().orElseThrow();
            StackTrace t = traces.of(panicking);
            panickingTask(prog, console, t);
            for (Task task : list.tasks()) {
                if (!task.active()) {
                    sleeping(task, traces.of(task));
                }
            }
        }
    }

    private static void panickingTask(Program prog, ConsoleTrace console, StackTrace t) {
        List<Frame> frames = t.frames();
        List<String> expected = console.reliable().stream().map(ConsoleTrace.Line::key).toList();
        List<String> ours;
        if (console.exception().isPresent()) {
            // The oops: the frame the exception interrupted is the console's RIP, its callers the Call Trace.
            int exc = indexOfException(frames, false);
            assertThat(exc).as("a kernel exception frame in %s", names(frames)).isGreaterThanOrEqualTo(0);
            Frame interrupted = frames.get(exc + 1);
            ConsoleTrace.Regs regs = console.exception().get();
            assertThat(key(interrupted)).isEqualTo(regs.rip().replaceAll("/0x[0-9a-f]+$", ""));
            sameRegisters(frames.get(exc).exception().orElseThrow().registers(), regs);
            ours = frames.subList(exc + 2, frames.size()).stream().map(StackTraceTruthTest::key).toList();
        } else {
            // panic()'s own dump_stack: the trace was printed from inside panic, the dump taken later in it.
            int consolePanic = expected.indexOf(expected.stream().filter(k -> k.startsWith("panic+")).findFirst()
                    .orElseThrow());
            expected = expected.subList(consolePanic + 1, expected.size());
            int panic = -1;
            for (int i = 0; i < frames.size() && panic < 0; i++) {
                if (frames.get(i).symbol().map(SymbolHit::name).orElse("").equals("panic")) {
                    panic = i;
                }
            }
            assertThat(panic).as("panic in %s", names(frames)).isGreaterThanOrEqualTo(0);
            ours = frames.subList(panic + 1, frames.size()).stream().map(StackTraceTruthTest::key).toList();
        }
        assertThat(ours).isEqualTo(expected);
        assertThat(t.stop()).isInstanceOf(Stop.UserMode.class);
        Frame last = frames.getLast();
        sameRegisters(last.exception().orElseThrow().registers(), console.user().orElseThrow());
        for (Frame f : frames) {
            if (!f.exact()) {
                assertThat(followsCall(prog, f.pc())).as("a call instruction ends at 0x%x (%s)", f.pc(), key(f)).isTrue();
            }
        }
    }

    /** The first frame holding kernel-mode (or, with {@code user}, user-mode) pt_regs. */
    private static int indexOfException(List<Frame> frames, boolean user) {
        for (int i = 0; i < frames.size(); i++) {
            Optional<Frame.Exception> e = frames.get(i).exception();
            if (e.isPresent() && e.get().registers().userMode() == user) {
                return i;
            }
        }
        return -1;
    }

    private static void sameRegisters(RegisterState ours, ConsoleTrace.Regs console) {
        assertThat(console.values()).hasSizeGreaterThanOrEqualTo(17);
        console.values().forEach((name, value) -> {
            X86Reg r = CONSOLE_NAMES.get(name);
            assertThat(ours.value(r)).as("%s", name).isEqualTo(value);
        });
    }

    /**
     * Whether the instruction before {@code pc} is a call: e8 rel32, or ff /2 (indirect) with a
     * register, [reg], [reg+disp8], [reg+disp32] or [rip+disp32] operand, with or without a REX prefix.
     */
    static boolean followsCall(Program prog, long pc) {
        byte[] b = prog.read(pc - 7, 7);
        if ((b[2] & 0xff) == 0xe8) {
            return true;
        }
        for (int len = 2; len <= 7; len++) {
            int op = b[7 - len] & 0xff;
            int modrm = b[8 - len] & 0xff;
            if (op != 0xff || (modrm >> 3 & 7) != 2) {
                continue;
            }
            int mod = modrm >> 6;
            int rm = modrm & 7;
            int sib = rm == 4 && mod != 3 ? 1 : 0;
            int disp = switch (mod) {
                case 0 -> rm == 5 ? 4 : 0;
                case 1 -> 1;
                case 2 -> 4;
                default -> 0;
            };
            if (2 + sib + disp == len) {
                return true;
            }
        }
        return false;
    }

    /** A task off the CPU: __switch_to_asm saved its frame in __schedule; it ends at user pt_regs or ret_from_fork. */
    private static void sleeping(Task task, StackTrace t) {
        List<Frame> frames = t.frames();
        String what = "task %d %s: %s (%s)".formatted(task.pid(), task.comm(), names(frames), t.stop().reason());
        assertThat(frames).as(what).isNotEmpty();
        assertThat(name(frames.getFirst())).as(what).isIn("__schedule", "__switch_to_asm", "ret_from_fork",
                "ret_from_fork_asm");
        if (task.idle()) {
            assertThat(t.stop()).as(what).isInstanceOf(Stop.EndOfStack.class); // start_kernel's or a secondary CPU's boot frame
        } else if (t.stop() instanceof Stop.EndOfStack) {
            assertThat(name(frames.getLast())).as(what).startsWith("ret_from_fork");
        } else {
            assertThat(t.stop()).as(what).isInstanceOf(Stop.UserMode.class);
        }
    }

    private static String name(Frame f) {
        return f.symbol().map(SymbolHit::name).orElse("?");
    }

    private static String key(Frame f) {
        return f.symbol().map(s -> s.name() + "+0x" + Long.toHexString(s.offset())).orElse("0x" + Long.toHexString(f.pc()));
    }

    private static List<String> names(List<Frame> frames) {
        return frames.stream().map(StackTraceTruthTest::key).toList();
    }
}
