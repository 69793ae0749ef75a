package kdive.kernel.helpers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kdive.kernel.Dumps;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * sys on every dump file against crash 8.0.2's sys on the same crash (crash-kdump-zlib.txt),
 * field by field where crash is right (and where it can read the dump at all: not 6.12), and
 * against the guest's uname -a. crash's TASKS (3) is wrong on 6.1: ours is the guest's task
 * count (and drgn's, where drgn can list them) plus the two idle tasks.
 */
@Tag("vmcore")
@Tag("every-kernel")
class SysInfoTruthTest extends DumpTruthTest {
    private static final List<String> AS_CRASH = List.of("CPUS", "DATE", "UPTIME", "LOAD AVERAGE", "NODENAME",
            "RELEASE", "VERSION", "MACHINE", "MEMORY", "PANIC");
    /** crash's "NAME: value" header rows; empty where crash could not read the dump (6.12). */
    static Map<String, String> crashSys(String scenario) {
        var m = new LinkedHashMap<String, String>();
        for (String l : kdive.testkit.Fixtures.crashOutputIfAny(Dumps.file(scenario, "crash-kdump-zlib.txt")).orElse(List.of())) {
            if (l.matches(" *[A-Z][A-Z ]+: .*") && !l.startsWith("WARNING") && !m.containsKey("PANIC")) {
                int colon = l.indexOf(": ");
                m.putIfAbsent(l.substring(0, colon).strip(), l.substring(colon + 2));
            }
        }
        return m;
    }

    @TestFactory
    Stream<DynamicTest> sysEqualsCrash() {
        var tests = new ArrayList<DynamicTest>();
        for (String s : Dumps.SCENARIOS) {
            for (String f : Dumps.FILES) {
                tests.add(DynamicTest.dynamicTest(s + "/" + f, () -> {
                    Map<String, String> ours = rows(s, f);
                    Map<String, String> crash = crashSys(s);
                    if (!crash.isEmpty()) {
                        for (String k : AS_CRASH) {
                            assertThat(ours.get(k)).as(k).isEqualTo(crash.get(k));
                        }
                    }
                    assertThat(Dumps.truth(s, "uname").getFirst()).isEqualTo("Linux %s %s %s %s GNU/Linux".formatted(
                            ours.get("NODENAME"), ours.get("RELEASE"), ours.get("VERSION"), ours.get("MACHINE").split(" ")[0]));
                    assertThat(ours.get("KERNEL").endsWith("  [TAINTED]")).isEqualTo(s.equals("skb"));
                    // makedumpfile's dumps leave pages out; QEMU's ELF holds them all. Its kdump file
                    // holds them all too but says dump level 1, which crash calls partial (checked by hand:
                    // crash 8.0.2's sys on qemu-kdump-zlib.flat prints "[PARTIAL DUMP]").
                    assertThat(ours.get("DUMPFILE").endsWith("  [PARTIAL DUMP]"))
                            .isEqualTo(f.startsWith("kdump") || f.equals("qemu-kdump-zlib.flat"));
                    // Every task: the guest's processes but ps, the threads process's other threads, the idle tasks.
                    long processes = TasksTruthTest.consolePs(s).stream().filter(r -> !r.comm().equals("ps")).count();
                    long threads = TasksTruthTest.ThreadGroup.of(s).tids().size() - 1;
                    long late = read(s, f, prog -> Tasks.list(prog).tasks().stream()
                            .filter(TasksTruthTest.bornAfterPs(s)).count());
                    assertThat(ours.get("TASKS")).isEqualTo(String.valueOf(processes + threads + 2 + late));
                    TasksTruthTest.drgnCpus(s).ifPresent(drgn -> assertThat(ours.get("TASKS")).isEqualTo(String.valueOf(drgn.size() + 2)));
                }));
            }
        }
        tests.add(DynamicTest.dynamicTest("novmcoreinfo/qemu-kdump-zlib.flat: uname -a", () -> {
            Map<String, String> ours = rows("novmcoreinfo", "qemu-kdump-zlib.flat");
            String uname = Dumps.truth("novmcoreinfo", "uname").getFirst();
            assertThat(uname).isEqualTo("Linux %s %s %s %s GNU/Linux".formatted(ours.get("NODENAME"),
                    ours.get("RELEASE"), ours.get("VERSION"), ours.get("MACHINE").split(" ")[0]));
            assertThat(ours.get("CPUS")).isEqualTo("2 [OFFLINE: 1]");
            assertThat(ours.get("MEMORY")).isEqualTo("255.5 MB");
            // The log is found through vmcoreinfo: without it, sys says so instead of guessing.
            assertThat(ours.get("PANIC")).startsWith("(not found");
        }));
        return tests.stream();
    }

    private static Map<String, String> rows(String scenario, String file) {
        return read(scenario, file, prog -> {
            var m = new LinkedHashMap<String, String>();
            SysInfo.of(prog, Tasks.list(prog)).rows().forEach(r -> m.put(r[0], r[1]));
            return m;
        });
    }
}
