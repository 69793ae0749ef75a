package kdive.debuginfo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import kdive.elf.BuildId;
import kdive.io.Progress;
import kdive.testkit.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a small in-process HTTP server that can misbehave on purpose (wrong file, short
 * body, 404), with ELF files gcc builds with a chosen build-id. The real debuginfod is in
 * {@link DebuginfodServerTest}.
 */
class DebuginfodClientTest {

    private static final BuildId WANTED = new BuildId("0123456789abcdef0123456789abcdef01234567");
    private static final BuildId OTHER = new BuildId("fedcba9876543210fedcba9876543210fedcba98");

    @TempDir
    static Path bin;
    static Path wanted;
    static Path other;

    @TempDir
    Path cache;

    private final List<HttpServer> servers = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void build() throws IOException, InterruptedException {
        wanted = Tools.gcc(bin, Tools.source("sample.c"), "wanted", "-Wl,--build-id=0x" + WANTED.hex());
        other = Tools.gcc(bin, Tools.source("sample.c"), "other", "-Wl,--build-id=0x" + OTHER.hex());
    }

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /**
     * Serves {@code file} for every /buildid/ request (null: 404); {@code cut} bytes are promised but not
     * sent; {@code cut < 0}: chunked, no Content-Length.
     */
    private URI serve(Path file, int cut) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/buildid/", ex -> {
            requests.incrementAndGet();
            if (file == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            ex.sendResponseHeaders(200, cut < 0 ? 0 : body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body, 0, body.length - Math.max(cut, 0));
            } catch (IOException e) {
                // the client gave up on the short body: that is what the test wants
            }
        });
        s.start();
        servers.add(s);
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
    }

    /** Two seconds: the short-body server stalls until the client gives up. */
    private Debuginfod client(URI... urls) {
        return new Debuginfod(List.of(urls), cache, Duration.ofSeconds(2), Progress.NONE);
    }

    private static List<String> misses(Debuginfod.Result r) {
        assertThat(r).isInstanceOf(Debuginfod.Result.Miss.class);
        return ((Debuginfod.Result.Miss) r).reasons();
    }

    private List<Path> cacheFiles() throws IOException {
        try (var s = Files.walk(cache)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void downloadIsVerifiedCachedAndTheSecondCallMakesNoRequest() throws IOException {
        Debuginfod d = client(serve(wanted, 0));
        var first = d.fetch(WANTED, Debuginfod.Kind.DEBUGINFO);
        assertThat(first).isInstanceOf(Debuginfod.Result.Hit.class);
        Path got = ((Debuginfod.Result.Hit) first).found().path();
        assertThat(got).isEqualTo(cache.resolve(WANTED.hex()).resolve("debuginfo"));
        assertThat(Files.mismatch(got, wanted)).isEqualTo(-1);
        assertThat(requests).hasValue(1);
        var second = d.fetch(WANTED, Debuginfod.Kind.DEBUGINFO);
        assertThat(((Debuginfod.Result.Hit) second).found().source()).isEqualTo(new Found.Source.DebuginfodCache(cache));
        assertThat(requests).hasValue(1);
        assertThat(cacheFiles()).containsExactly(got);
    }

    @Test
    void progressCountsUpToTheFileSize() throws IOException {
        var calls = new java.util.concurrent.CopyOnWriteArrayList<long[]>();
        var d = new Debuginfod(List.of(serve(wanted, 0)), cache, Duration.ofSeconds(2),
                (task, done, total) -> calls.add(new long[] {done, total}));
        assertThat(d.fetch(WANTED, Debuginfod.Kind.DEBUGINFO)).isInstanceOf(Debuginfod.Result.Hit.class);
        long size = Files.size(wanted);
        assertThat(calls).isNotEmpty().allSatisfy(c -> assertThat(c[1]).isEqualTo(size));
        assertThat(calls.getLast()).containsExactly(size, size);
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i)[0]).isGreaterThan(calls.get(i - 1)[0]);
        }
    }

    @Test
    void aFileWithAnotherBuildIdIsRefusedAndNotCached() throws IOException {
        URI url = serve(other, 0);
        assertThat(misses(client(url).fetch(WANTED, Debuginfod.Kind.DEBUGINFO)))
                .containsExactly("debuginfod " + url + ": refused: build-id " + OTHER + ", not " + WANTED);
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void aShortOrNonElfDownloadIsRefusedAndNotCached() throws IOException {
        Path text = bin.resolve("text");
        Files.writeString(text, "<html>proxy error</html>");
        URI notElf = serve(text, 0);
        URI shortBody = serve(wanted, 100);
        List<String> why = misses(client(notElf, shortBody).fetch(WANTED, Debuginfod.Kind.DEBUGINFO));
        assertThat(why).hasSize(2);
        assertThat(why.get(0)).startsWith("debuginfod " + notElf + ": refused: not an ELF file");
        assertThat(why.get(1)).isEqualTo("debuginfod " + shortBody
                + ": download failed: nothing received for 2 s (DEBUGINFOD_TIMEOUT)");
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void aFileOverTheSizeLimitIsRefused() throws IOException {
        URI url = serve(wanted, 0);
        long size = Files.size(wanted);
        var small = new Debuginfod(List.of(url), cache, Duration.ofSeconds(2), size - 1, Progress.NONE);
        assertThat(misses(small.fetch(WANTED, Debuginfod.Kind.DEBUGINFO))).containsExactly("debuginfod " + url
                + ": refused: " + size + " bytes, over the limit of " + (size - 1) + " (DEBUGINFOD_MAXSIZE)");
        assertThat(cacheFiles()).isEmpty();
        URI chunked = serve(wanted, -1);
        var smallChunked = new Debuginfod(List.of(chunked), cache, Duration.ofSeconds(2), size - 1, Progress.NONE);
        assertThat(misses(smallChunked.fetch(WANTED, Debuginfod.Kind.DEBUGINFO))).containsExactly("debuginfod " + chunked
                + ": refused: over the limit of " + (size - 1) + " bytes (DEBUGINFOD_MAXSIZE)");
        assertThat(cacheFiles()).isEmpty();
        var exact = new Debuginfod(List.of(chunked), cache, Duration.ofSeconds(2), size, Progress.NONE);
        assertThat(exact.fetch(WANTED, Debuginfod.Kind.DEBUGINFO)).isInstanceOf(Debuginfod.Result.Hit.class);
        assertThat(Files.mismatch(cache.resolve(WANTED.hex()).resolve("debuginfo"), wanted)).isEqualTo(-1);
    }

    @Test
    void notFoundThenTheNextServer() throws IOException {
        URI missing = serve(null, 0);
        URI good = serve(wanted, 0);
        var r = client(missing, good).fetch(WANTED, Debuginfod.Kind.EXECUTABLE);
        Found f = ((Debuginfod.Result.Hit) r).found();
        assertThat(f.source()).isEqualTo(new Found.Source.Debuginfod(good));
        assertThat(f.path()).endsWith(Path.of(WANTED.hex(), "executable"));
        assertThat(misses(client(missing).fetch(OTHER, Debuginfod.Kind.DEBUGINFO)))
                .containsExactly("debuginfod " + missing + ": not found");
    }

    @Test
    void anUnreachableServerIsOneLine() throws IOException {
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + port);
        List<String> why = misses(client(dead).fetch(WANTED, Debuginfod.Kind.DEBUGINFO));
        assertThat(why).hasSize(1);
        assertThat(why.getFirst()).startsWith("debuginfod " + dead + ": cannot connect").doesNotContain("\n");
        var search = new DebugFiles(new DebugFiles.Locations(cache, List.of(), List.of()), Optional.of(client(dead)))
                .debugFile(WANTED);
        assertThat(search.found()).isEmpty();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(search::orElseThrow))
                .isInstanceOf(kdive.io.MissingDebugInfoException.class)
                .hasMessageStartingWith("no debug file with build-id " + WANTED.hex() + "; looked at: ")
                .hasMessageContaining(": cannot connect")
                .hasMessageNotContaining("\n");
    }

    @Test
    void elfutilsNegativeCacheEntryIsAskedAgain() throws IOException {
        Path negative = cache.resolve(WANTED.hex()).resolve("debuginfo");
        Files.createDirectories(negative.getParent());
        Files.createFile(negative);
        var r = client(serve(wanted, 0)).fetch(WANTED, Debuginfod.Kind.DEBUGINFO);
        assertThat(r).isInstanceOf(Debuginfod.Result.Hit.class);
        assertThat(requests).hasValue(1);
        assertThat(Files.size(negative)).isEqualTo(Files.size(wanted));
    }

    @Test
    void aBadBuildIdNeverBecomesAPath() {
        Debuginfod d = client(URI.create("http://127.0.0.1:9"));
        for (String bad : List.of("../../etc/passwd", "ABCD", "abc", "", "0g")) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> d.fetch(new BuildId(bad), Debuginfod.Kind.DEBUGINFO)))
                    .as(bad).isInstanceOf(kdive.io.UsageException.class).hasMessageContaining("not a build-id");
        }
    }

    private record Env(Map<String, String> env, List<String> urls, String cache, long timeoutSeconds, long maxSize) {}

    @Test
    void environmentIsReadLikeElfutils() {
        var table = List.of(
                new Env(Map.of("HOME", "/h", "DEBUGINFOD_URLS", "https://debuginfod.debian.net"),
                        List.of("https://debuginfod.debian.net"), "/h/.cache/debuginfod_client", 90, Debuginfod.DEFAULT_MAX_SIZE),
                new Env(Map.of("HOME", "/h", "XDG_CACHE_HOME", "/x", "DEBUGINFOD_URLS", "  http://a:8002/  http://b/x//\thttp://c ",
                        "DEBUGINFOD_TIMEOUT", "5", "DEBUGINFOD_MAXSIZE", "1000000"),
                        List.of("http://a:8002", "http://b/x", "http://c"), "/x/debuginfod_client", 5, 1_000_000),
                new Env(Map.of("HOME", "/h", "XDG_CACHE_HOME", "/x", "DEBUGINFOD_CACHE_PATH", "/c", "DEBUGINFOD_URLS", "http://a"),
                        List.of("http://a"), "/c", 90, Debuginfod.DEFAULT_MAX_SIZE));
        for (Env e : table) {
            Debuginfod d = Debuginfod.fromEnvironment(e.env(), Progress.NONE).orElseThrow();
            assertThat(d.servers().stream().map(URI::toString).toList()).as(e.toString()).isEqualTo(e.urls());
            assertThat(d.cache()).isEqualTo(Path.of(e.cache()));
            assertThat(Debuginfod.timeout(e.env())).isEqualTo(Duration.ofSeconds(e.timeoutSeconds()));
            assertThat(Debuginfod.maxSize(e.env())).isEqualTo(e.maxSize());
        }
        assertThat(Debuginfod.fromEnvironment(Map.of("DEBUGINFOD_URLS", "  "), Progress.NONE)).isEmpty();
        assertThat(Debuginfod.fromEnvironment(Map.of(), Progress.NONE)).isEmpty();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> Debuginfod.fromEnvironment(Map.of("DEBUGINFOD_URLS", "ftp://x"), Progress.NONE)))
                .isInstanceOf(kdive.io.UsageException.class).hasMessage("DEBUGINFOD_URLS: ftp://x: not an http:// or https:// URL");
    }
}
