package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** The log read from the dump equals the kernel lines of the guest's serial console, on every format. */
@Tag("vmcore")
@Tag("every-kernel")
class KernelLogTest {

    @TestFactory
    Stream<DynamicTest> logEqualsTheConsole() {
        return Fixtures.SCENARIOS.stream().flatMap(s -> Fixtures.FILES.keySet().stream()
                .map(f -> DynamicTest.dynamicTest(s + "/" + f, () -> {
                    List<String> console = Files.readAllLines(Fixtures.file(s, "console.log"), StandardCharsets.UTF_8)
                            .stream().map(l -> l.replace("\r", ""))
                            .filter(l -> l.matches("\\[ *\\d+\\.\\d{6}\\] .*")).toList();
                    try (DumpFile d = DumpFile.open(Fixtures.file(s, f))) {
                        List<LogRecord> records = KernelLog.read(d);
                        List<String> log = records.stream().flatMap(r -> r.lines().stream()).toList();
                        assertThat(log).hasSizeGreaterThan(300);
                        assertThat(log).isEqualTo(console);
                        for (int i = 1; i < records.size(); i++) {
                            assertThat(records.get(i).seq()).isEqualTo(records.get(i - 1).seq() + 1);
                        }
                    }
                })));
    }
}
