package kdive.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import kdive.disasm.Syntax;
import kdive.oops.Frame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code analyze --vmlinux} on a real oops (scripts/make-vmcores.sh, sysrq scenario) with the real
 * Debian debug vmlinux: every trace frame's chain must equal {@code addr2line -f -i} at the call.
 */
@Tag("vmcore")
class VmlinuxSymbolizationTest {

    static Optional<Path> cacheFile(String... parts) {
        Path cache = Path.of(Optional.ofNullable(System.getenv("KDIVE_CACHE"))
                .orElse(System.getProperty("user.home") + "/.cache/kdive"));
        Path kernels = cache.resolve(parts[0]);
        if (!Files.isDirectory(kernels)) {
            return Optional.empty();
        }
        try (Stream<Path> releases = Files.list(kernels)) {
            return releases.sorted().map(r -> r.resolve(String.join("/", List.of(parts).subList(1, parts.length))))
                    .filter(Files::exists).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static void assumeFixture(boolean present, String what) {
        if (!present && "1".equals(System.getenv("KDIVE_REQUIRE_FIXTURES"))) {
            throw new AssertionError("fixture missing (KDIVE_REQUIRE_FIXTURES=1): " + what);
        }
        assumeTrue(present, "fixture missing: " + what + " (run scripts/fetch-kernel.sh and scripts/make-vmcores.sh)");
    }

    @Test
    void traceFramesMatchAddr2lineAtTheCall() throws Exception {
        Optional<Path> vmlinux = cacheFile("kernel", "vmlinux");
        Optional<Path> console = cacheFile("vmcores", "sysrq", "console.log");
        assumeFixture(vmlinux.isPresent() && console.isPresent(), "debug vmlinux and the sysrq console log");
        List<Analysis> analyses;
        try (Triage triage = Triage.create(Syntax.ATT, vmlinux.get())) {
            analyses = triage.analyzeText("console.log", Files.readString(console.get()));
        }
        assertThat(analyses).isNotEmpty();
        Analysis a = analyses.getFirst();
        Symbolized sym = a.symbols().orElseThrow();
        assertThat(sym.warnings()).isEmpty();
        List<Frame> trace = a.details().callTrace();
        int checked = 0;
        try (var symbolizer = kdive.symbolize.Symbolizer.open(vmlinux.get())) {
            for (int i = 0; i < trace.size(); i++) {
                Frame f = trace.get(i);
                if (f.symbol().isEmpty() || !f.module().isEmpty()) {
                    continue;
                }
                long call = symbolizer.resolve(f.symbol() + "+0x" + Long.toHexString(f.offset())) - 1;
                List<String> expected = addr2line(vmlinux.get(), call);
                var actual = new ArrayList<String>();
                for (SourceFrame sf : sym.callTrace().get(i)) {
                    actual.add(sf.function());
                    actual.add(sf.file() + ":" + sf.line());
                }
                assertThat(actual).as(f.display()).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(5);
        assertThat(sym.callTrace().stream().flatMap(List::stream).map(SourceFrame::file))
                .anyMatch(file -> file.endsWith("drivers/tty/sysrq.c"));
    }

    private static List<String> addr2line(Path vmlinux, long address) throws Exception {
        Process p = new ProcessBuilder("addr2line", "-f", "-i", "-e", vmlinux.toString(), Long.toHexString(address))
                .redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines()
                .map(l -> l.replaceFirst(" \\(discriminator \\d+\\)$", "")).toList();
        p.waitFor();
        return lines;
    }
}
