package kdive.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kdive.dump.DumpFile;
import kdive.io.MissingDebugInfoException;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dump commands without --vmlinux find it by the dump's release and build-id, here in a kdump directory. */
@Tag("vmcore")
@Tag("every-kernel")
class VmlinuxDiscoveryTest {

    @TempDir
    Path tmp;

    @AfterEach
    void unlink() throws IOException {
        try (var s = Files.walk(tmp)) {
            for (Path p : s.filter(Files::isSymbolicLink).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void infoOnAKdumpDirectoryFindsTheVmlinuxBesideTheDump() throws IOException {
        Path sysrq = Fixtures.scenario("sysrq");
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        Path dir = Files.createDirectories(tmp.resolve("var/crash/127.0.0.1-2026-11-25-15:00"));
        Files.createSymbolicLink(dir.resolve("dump.202611251500"), sysrq.resolve("kdump-zlib"));
        Files.createSymbolicLink(dir.resolve("vmlinux"), vmlinux);
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(new String[] {"info", dir.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isZero();
        assertThat(err.toString()).isEqualTo("vmlinux: " + dir.resolve("vmlinux") + " (found by release)\n");
        assertThat(out.toString()).contains("VMLINUX: " + dir.resolve("vmlinux") + " (matches)").contains("KASLR: offset 0x");

        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.createSymbolicLink(other.resolve("vmcore"), sysrq.resolve("kdump-zlib"));
        Files.createSymbolicLink(other.resolve("vmlinux"), Fixtures.scenario("skb").resolve("crashlab_skb.ko"));
        try (DumpFile dump = DumpArgs.open(other.toString())) {
            var quiet = new StringWriter();
            var s = DumpArgs.findVmlinux(dump, List.of(), Map.of(), new PrintWriter(quiet));
            assertThat(s.looked()).first().asString().startsWith(other.resolve("vmlinux-") + "")
                    .endsWith(" (absent)");
            String want = dump.vmcoreInfo().orElseThrow().buildId().orElseThrow();
            assertThat(s.looked()).anyMatch(l -> l.startsWith(other.resolve("vmlinux") + " (build-id ")
                    && l.endsWith(", not " + want + ")"));
            assertThat(s.looked()).last().isEqualTo("debuginfod (DEBUGINFOD_URLS not set)");
        }
    }

    @Test
    void fromTheDebuginfodCacheWithoutARequest() throws IOException {
        Path cache = tmp.resolve("debuginfod_client");
        try (DumpFile dump = DumpArgs.open(Fixtures.scenario("sysrq").resolve("kdump-zlib").toString())) {
            String id = dump.vmcoreInfo().orElseThrow().buildId().orElseThrow();
            Path cached = Files.createDirectories(cache.resolve(id)).resolve("debuginfo");
            Files.createSymbolicLink(cached, Fixtures.kernel().resolve("vmlinux"));
            var err = new StringWriter();
            // Port 9 (discard) on loopback refuses: had the cache been missed, the search would fail.
            var env = java.util.Map.of("DEBUGINFOD_URLS", "http://127.0.0.1:9", "DEBUGINFOD_CACHE_PATH", cache.toString());
            var s = DumpArgs.findVmlinux(dump, List.of(), env, new PrintWriter(err));
            assertThat(s.found().orElseThrow().path()).isEqualTo(cached);
            assertThat(err.toString()).isEqualTo("vmlinux: " + cached + " (found by build-id in the debuginfod cache " + cache + ")\n");
            Files.delete(cached);
            var miss = DumpArgs.findVmlinux(dump, List.of(), env, new PrintWriter(err));
            assertThat(miss.found()).isEmpty();
            assertThat(miss.looked()).last().asString().startsWith("debuginfod http://127.0.0.1:9: cannot connect");
        }
    }

    @Test
    void debugDirLaidOutLikeUsrLibDebug() {
        // Debian's -dbg tree has vmlinux-REL at its top (a link to boot/vmlinux-REL): taken as a plain file.
        Path tree = Fixtures.kernel().resolve("debug/usr/lib/debug");
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(new String[] {"info", "--debug-dir", tree.toString(),
                Fixtures.scenario("sysrq").resolve("kdump-zlib").toString()}, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isZero();
        String release = Fixtures.kernel().getFileName().toString();
        assertThat(err.toString()).isEqualTo("vmlinux: " + tree.resolve("vmlinux-" + release) + " (found by release)\n");
        assertThat(out.toString()).contains("VMLINUX: " + tree.resolve("vmlinux-" + release) + " (matches)");
    }

    @Test
    void logDashTFindsItsVmlinuxBesideTheDump() throws IOException {
        Path sysrq = Fixtures.scenario("sysrq");
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        Path dir = Files.createDirectories(tmp.resolve("crash"));
        Files.createSymbolicLink(dir.resolve("vmcore"), sysrq.resolve("kdump-zlib"));
        Files.createSymbolicLink(dir.resolve("vmlinux-" + Fixtures.kernel().getFileName()), vmlinux);
        var given = new StringWriter();
        int code = Main.run(new String[] {"log", "-T", "--vmlinux", vmlinux.toString(), sysrq.resolve("kdump-zlib").toString()},
                new PrintWriter(given), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        var out = new StringWriter();
        var err = new StringWriter();
        assertThat(Main.run(new String[] {"log", "-T", dir.toString()}, new PrintWriter(out), new PrintWriter(err))).isZero();
        assertThat(err.toString()).isEqualTo("vmlinux: " + dir.resolve("vmlinux-" + Fixtures.kernel().getFileName())
                + " (found by release)\n");
        assertThat(out.toString()).isEqualTo(given.toString()).contains("] Linux version ");
    }

    @Test
    void aDumpWithoutVmcoreinfoSaysWhyNothingWasLookedFor() {
        try (DumpFile dump = DumpArgs.open(Fixtures.scenario("novmcoreinfo").resolve("qemu-kdump-zlib.flat").toString())) {
            var err = new StringWriter();
            assertThat(catchThrowable(() -> DumpArgs.requireVmlinux(dump, null, List.of(), "rd needs --vmlinux FILE", new PrintWriter(err))))
                    .isInstanceOf(MissingDebugInfoException.class)
                    .hasMessage("rd needs --vmlinux FILE: no vmlinux; looked at: nowhere: the dump has no vmcoreinfo (no OSRELEASE, no BUILD-ID); give --vmlinux");
            assertThat(err.toString()).isEmpty();
        }
    }
}
