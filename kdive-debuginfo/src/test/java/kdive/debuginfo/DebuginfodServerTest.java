package kdive.debuginfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kdive.dump.DumpFile;
import kdive.dump.VmcoreInfo;
import kdive.elf.BuildId;
import kdive.io.Progress;
import kdive.elf.ElfFile;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real elfutils debuginfod (Debian's package, scripts/ci/40-debuginfod.sh) on loopback, serving the
 * kernel's -dbg .deb: the vmlinux is fetched by the BUILD-ID in the real vmcore's vmcoreinfo and must
 * be the fixture's vmlinux byte for byte. One server for the class: indexing the 283 MB .deb takes
 * about 20 s on two cores, the first download of the 590 MB vmlinux a few seconds more.
 */
@Tag("vmcore")
class DebuginfodServerTest {

    private static final Duration INDEX_DEADLINE = Duration.ofMinutes(5);

    @TempDir
    static Path work;
    static Process server;
    static URI url;
    static String release;
    static BuildId vmcoreBuildId;
    static Path vmlinux;
    static Path debugTree;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        Path kernel = Fixtures.kernel();
        release = kernel.getFileName().toString();
        vmlinux = kernel.resolve("vmlinux");
        debugTree = kernel.resolve("debug/usr/lib/debug");
        try (DumpFile dump = DumpFile.open(Fixtures.scenario("sysrq").resolve("kdump-zlib"))) {
            VmcoreInfo vi = dump.vmcoreInfo().orElseThrow();
            assertThat(vi.osRelease()).isEqualTo(release);
            vmcoreBuildId = new BuildId(vi.buildId().orElseThrow());
        }
        Path debs = Fixtures.cache().resolve("debs").resolve(release);
        boolean haveDeb;
        try (var s = Files.list(debs)) {
            haveDeb = s.anyMatch(p -> p.getFileName().toString().matches("linux-image-.*-dbg_.*\\.deb"));
        } catch (IOException e) {
            haveDeb = false;
        }
        Fixtures.require(haveDeb, "no linux-image-" + release + "-dbg .deb in " + debs + ": run scripts/ci/40-debuginfod.sh");
        Fixtures.require(onPath("debuginfod"), "no debuginfod on PATH: run scripts/ci/40-debuginfod.sh");
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        url = URI.create("http://127.0.0.1:" + port);
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        var pb = new ProcessBuilder("debuginfod", "-p", Integer.toString(port), "-d", work.resolve("index.sqlite").toString(),
                // Debian's -U wants bsdtar; dpkg-deb is always there and gives the same data tarball.
                "-Z", ".deb=dpkg-deb --fsys-tarfile", "-t", "0", "-g", "0", "--disable-source-scan", debs.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("debuginfod.log").toFile());
        pb.environment().put("TMPDIR", tmp.toString()); // its extracted-archive cache, removed with the test
        long t0 = System.nanoTime();
        server = pb.start();
        waitForIndex();
        System.out.printf("debuginfod indexed %s in %.1f s%n", debs, (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }

    private static String metrics() throws IOException, InterruptedException {
        try (var http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(url.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private static long metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Until the .deb is scanned (its scan counter is bumped at the end of the archive) and no scan is pending. */
    private static void waitForIndex() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + INDEX_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("debuginfod exited " + server.exitValue() + ": "
                        + Files.readString(work.resolve("debuginfod.log")).lines().reduce((a, b) -> b).orElse(""));
            }
            try {
                String m = metrics();
                if (metric(m, "scanned_files_total{source=\".deb archive\"}") >= 1
                        && metric(m, "thread_work_pending{role=\"scan\"}") == 0) {
                    return;
                }
            } catch (java.net.ConnectException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("debuginfod did not index the .deb within " + INDEX_DEADLINE);
    }

    private static DebugFiles files(Path cache) {
        var client = new Debuginfod(List.of(url), cache, Duration.ofSeconds(120), Progress.NONE);
        return new DebugFiles(new DebugFiles.Locations(work.resolve("empty-root"), List.of(), List.of()), Optional.of(client));
    }

    private static long debuginfoRequests() throws IOException, InterruptedException {
        return metric(metrics(), "http_requests_total{type=\"debuginfo\"}");
    }

    @Test
    void vmlinuxByTheVmcoresBuildIdIsTheFixturesVmlinuxAndIsThenCached() throws IOException, InterruptedException {
        Path cache = work.resolve("cache-vmlinux");
        long t0 = System.nanoTime();
        Found found = files(cache).vmlinux(release, Optional.of(vmcoreBuildId)).orElseThrow();
        System.out.printf("vmlinux %d bytes downloaded in %.1f s%n", Files.size(found.path()), (System.nanoTime() - t0) / 1e9);
        assertThat(found.path()).isEqualTo(cache.resolve(vmcoreBuildId.hex()).resolve("debuginfo"));
        assertThat(found.describe("vmlinux")).isEqualTo("vmlinux: " + found.path() + " (found by build-id via debuginfod " + url + ")");
        assertThat(Files.mismatch(found.path(), vmlinux)).isEqualTo(-1);

        long before = debuginfoRequests();
        assertThat(before).isPositive();
        Found again = files(cache).vmlinux(release, Optional.of(vmcoreBuildId)).orElseThrow();
        assertThat(again).isEqualTo(new Found(found.path(), new Found.Source.DebuginfodCache(cache)));
        assertThat(debuginfoRequests()).isEqualTo(before);
    }

    @Test
    void moduleDebugFileByBuildId() throws IOException {
        Path ko = debugTree.resolve("lib/modules/" + release + "/kernel/lib/libcrc32c.ko");
        BuildId id;
        try (ElfFile elf = ElfFile.open(ko)) {
            id = elf.buildId().orElseThrow();
        }
        Found found = files(work.resolve("cache-module")).debugFile(id).orElseThrow();
        assertThat(found.source()).isEqualTo(new Found.Source.Debuginfod(url));
        assertThat(Files.mismatch(found.path(), ko)).isEqualTo(-1);
    }

    @Test
    void aModuleTheServerNeverSawIsNotFoundInOneLine() {
        Path ko = Fixtures.scenario("skb").resolve("crashlab_skb.ko");
        BuildId id;
        try (ElfFile elf = ElfFile.open(ko)) {
            id = elf.buildId().orElseThrow();
        }
        Search s = files(work.resolve("cache-missing")).debugFile(id);
        assertThat(s.found()).isEmpty();
        assertThat(s.looked()).containsExactly("debuginfod " + url + ": not found");
        assertThat(catchThrowable(s::orElseThrow)).hasMessage("no debug file with build-id " + id
                + "; looked at: debuginfod " + url + ": not found");
    }
}
