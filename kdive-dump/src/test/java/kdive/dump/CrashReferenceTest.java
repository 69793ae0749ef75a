package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Against what crash 8.0.2 printed on the same files (crash-*.txt beside the fixtures, written by
 * make-vmcores.sh when crash is installed): RELEASE, rd words, vtop's physical address, and the
 * log lines. crash's ps is not a reference here: it lists 3 of the ~40 tasks on this kernel.
 */
@Tag("vmcore")
@Tag("every-kernel")
class CrashReferenceTest {
    private static final Pattern RD = Pattern.compile("^([0-9a-f]{16}):  ((?:[0-9a-f]{16} ?)+)");
    private static final Pattern VTOP = Pattern.compile("^([0-9a-f]{16})  ([0-9a-f]+)\\s*$");

    @TestFactory
    Stream<DynamicTest> agreesWithCrash() {
        return Fixtures.SCENARIOS.stream().flatMap(s -> Stream.of("kdump-zlib", "qemu.elf")
                .map(f -> DynamicTest.dynamicTest(s + "/" + f, () -> compare(s, f))));
    }

    private static void compare(String scenario, String file) throws IOException {
        Path ref = Fixtures.file(scenario, "crash-" + file + ".txt");
        List<String> crash = kdive.testkit.Fixtures.crashOutput(ref);
        try (DumpFile d = DumpFile.open(Fixtures.file(scenario, file))) {
            VmcoreInfo vi = d.vmcoreInfo().orElseThrow();
            X86Paging paging = X86Paging.of(d);
            assertThat(crash).anyMatch(l -> l.strip().equals("RELEASE: " + vi.osRelease()));
            int words = 0;
            for (String line : crash) {
                Matcher m = RD.matcher(line);
                if (m.find()) {
                    long addr = Long.parseUnsignedLong(m.group(1), 16);
                    String[] values = m.group(2).strip().split(" ");
                    var bytes = java.nio.ByteBuffer.wrap(paging.read(addr, 8 * values.length))
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    for (String v : values) {
                        assertThat("%016x".formatted(bytes.getLong())).isEqualTo(v);
                        words++;
                    }
                }
            }
            assertThat(words).as("rd words in " + ref).isEqualTo(8);
            int at = crash.indexOf(crash.stream().filter(l -> l.startsWith("VIRTUAL ")).findFirst().orElseThrow());
            Matcher v = VTOP.matcher(crash.get(at + 1));
            assertThat(v.matches()).as(crash.get(at + 1)).isTrue();
            long vaddr = Long.parseUnsignedLong(v.group(1), 16);
            assertThat(vaddr).isEqualTo(vi.symbol("init_uts_ns"));
            assertThat(paging.toPhysical(vaddr)).isEqualTo(Long.parseUnsignedLong(v.group(2), 16));
            // crash prints a multi-line record's later lines indented instead of prefixed: compare prefixed lines.
            List<String> crashLog = crash.stream().filter(l -> l.matches("\\[ *\\d+\\.\\d{6}\\] .*")).toList();
            List<String> ours = KernelLog.read(d).stream().flatMap(r -> r.lines().stream()).toList();
            assertThat(crashLog).hasSizeGreaterThan(300);
            assertThat(ours).containsSubsequence(crashLog);
        }
    }
}
