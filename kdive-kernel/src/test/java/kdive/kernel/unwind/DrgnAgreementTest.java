package kdive.kernel.unwind;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kdive.dump.DumpFile;
import kdive.kernel.Dumps;
import kdive.kernel.Program;
import kdive.kernel.helpers.Task;
import kdive.kernel.helpers.Tasks;
import kdive.testkit.Fixtures;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every task off the CPUs has the frames drgn's {@code prog.stack_trace(task)} finds (drgn reads the
 * same switch frame and unwinds by DWARF CFI, so agreement checks our ORC path against another
 * rule source): the same physical frames' PCs, in order, up to the user-mode registers. Running
 * tasks are left out, and so are pids 1 to the number of CPUs: drgn 0.0.22 takes a QEMU note's
 * pr_pid (vCPU index + 1) for a pid and unwinds that task from the vCPU's registers. Skipped where
 * drgn is not installed.
 */
@Tag("vmcore")
@Tag("every-kernel")
class DrgnAgreementTest {
    private static final String SCRIPT = """
            from drgn.helpers.linux.pid import for_each_task
            for t in for_each_task(prog):
                try:
                    frames = [f for f in prog.stack_trace(t) if not f.is_inline]
                    print("TASK %x %s" % (t.value_(), " ".join("%x" % f.pc for f in frames)))
                except Exception as e:
                    print("TASK %x ERROR" % t.value_())
            """;

    @TestFactory
    Stream<DynamicTest> sleepingTasks() {
        var tests = new ArrayList<DynamicTest>();
        for (String s : List.of("sysrq", "skb")) {
            tests.add(DynamicTest.dynamicTest(s + "/kdump-zlib", () -> check(s, "kdump-zlib")));
        }
        return tests.stream();
    }

    private static void check(String scenario, String file) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "drgn"))),
                "drgn is not installed");
        Path dump = Dumps.file(scenario, file);
        Fixtures.require(Files.exists(dump), "no " + dump);
        Path script = Files.createTempFile("kdive-drgn", ".py");
        Map<Long, List<Long>> drgn = new HashMap<>();
        try {
            Files.writeString(script, SCRIPT);
            String out = Tools.run(List.of("drgn", "-q", "-c", dump.toString(), "-s", Dumps.vmlinux().toString(),
                    script.toString()));
            for (String line : out.split("\n")) {
                String[] w = line.strip().split(" ");
                if (w.length >= 2 && w[0].equals("TASK") && !w[w.length - 1].equals("ERROR")) {
                    var pcs = new ArrayList<Long>();
                    for (int i = 2; i < w.length; i++) {
                        long pc = Long.parseUnsignedLong(w[i], 16);
                        if (pc < 0) { // kernel half; drgn goes on into the user PC, we stop at its pt_regs
                            pcs.add(pc);
                        }
                    }
                    drgn.put(Long.parseUnsignedLong(w[1], 16), pcs);
                }
            }
        } finally {
            Files.deleteIfExists(script);
        }
        assertThat(drgn).isNotEmpty();
        try (DumpFile d = DumpFile.open(dump); Program prog = Program.of(d, Dumps.openVmlinux())) {
            TaskTraces traces = new TaskTraces(new Unwinder(prog));
            int compared = 0;
            for (Task t : Tasks.list(prog).tasks()) {
                List<Long> theirs = drgn.get(t.address());
                if (t.active() || theirs == null || t.pid() >= 1 && t.pid() <= traces.cpuRegisters().size()) {
                    continue;
                }
                List<Long> ours = traces.of(t).frames().stream().map(Frame::pc).toList();
                assertThat(ours).as("task %d %s", t.pid(), t.comm()).isEqualTo(theirs);
                compared++;
            }
            assertThat(compared).isGreaterThan(20);
        }
    }
}
