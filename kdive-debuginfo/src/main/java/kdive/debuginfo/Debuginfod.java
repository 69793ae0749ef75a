package kdive.debuginfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kdive.debuginfo.internal.BuildIds;
import kdive.elf.BuildId;
import kdive.io.Progress;

/**
 * A debuginfod client: {@code GET <server>/buildid/<hex>/<kind>} on each server in turn, cached as
 * {@code <cache>/<hex>/<kind>} - the layout of elfutils' libdebuginfod client, so gdb, drgn and kdive
 * share one cache. A download goes to a temporary file in the same directory, its build-id is checked,
 * and only then is it renamed into place, so a crash or a wrong file never leaves a bad cache entry.
 */
public final class Debuginfod {

    /** What a server is asked for (the last part of the URL and the cache file name). */
    public enum Kind {
        DEBUGINFO("debuginfo"),
        EXECUTABLE("executable");

        private final String path;

        Kind(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }
    }

    /** elfutils' default for DEBUGINFOD_TIMEOUT: a server silent for this long before its headers is skipped. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

    /** The outcome of one fetch: a verified file, or one reason per server (and the cache) why not. */
    public sealed interface Result {
        record Hit(Found found) implements Result {}

        record Miss(List<String> reasons) implements Result {
            public Miss {
                reasons = List.copyOf(reasons);
            }
        }
    }

    /**
     * Without DEBUGINFOD_MAXSIZE a download still stops here, so a server streaming without end cannot
     * fill the disk; debug vmlinux files are 0.5-1.5 GB.
     */
    public static final long DEFAULT_MAX_SIZE = 8L << 30;

    private static final int BUFFER = 1 << 20;

    private final List<URI> servers;
    private final Path cache;
    private final Duration timeout;
    private final long maxSize;
    private final Progress progress;

    public Debuginfod(List<URI> servers, Path cache, Duration timeout, Progress progress) {
        this(servers, cache, timeout, DEFAULT_MAX_SIZE, progress);
    }

    /** {@code maxSize}: a larger file is refused (from its Content-Length when given, else when it gets there). */
    public Debuginfod(List<URI> servers, Path cache, Duration timeout, long maxSize, Progress progress) {
        this.servers = List.copyOf(servers);
        this.cache = cache;
        this.timeout = timeout;
        this.maxSize = maxSize;
        this.progress = progress;
    }

    /**
     * The client the environment asks for, as elfutils reads it: DEBUGINFOD_URLS (servers separated by
     * spaces), DEBUGINFOD_CACHE_PATH, DEBUGINFOD_TIMEOUT (seconds), DEBUGINFOD_MAXSIZE (bytes); empty
     * when no server is configured.
     */
    public static Optional<Debuginfod> fromEnvironment(Map<String, String> env, Progress progress) {
        List<URI> urls = servers(env.getOrDefault("DEBUGINFOD_URLS", ""));
        if (urls.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Debuginfod(urls, cachePath(env), timeout(env), maxSize(env), progress));
    }

    static List<URI> servers(String urls) {
        var out = new ArrayList<URI>();
        for (String u : urls.strip().split("\\s+")) {
            if (u.isEmpty()) {
                continue;
            }
            String trimmed = u.replaceAll("/+$", "");
            try {
                URI uri = new URI(trimmed);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new kdive.io.UsageException("DEBUGINFOD_URLS: " + u + ": not an http:// or https:// URL");
                }
                out.add(uri);
            } catch (java.net.URISyntaxException e) {
                throw new kdive.io.UsageException("DEBUGINFOD_URLS: " + u + ": not a URL", e);
            }
        }
        return out;
    }

    /** DEBUGINFOD_CACHE_PATH, else $XDG_CACHE_HOME/debuginfod_client, else ~/.cache/debuginfod_client. */
    public static Path cachePath(Map<String, String> env) {
        String explicit = env.get("DEBUGINFOD_CACHE_PATH");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
        return base.resolve("debuginfod_client");
    }

    static long maxSize(Map<String, String> env) {
        String m = env.get("DEBUGINFOD_MAXSIZE");
        if (m == null || m.isBlank()) {
            return DEFAULT_MAX_SIZE;
        }
        try {
            long n = Long.parseLong(m.strip());
            return n > 0 ? n : DEFAULT_MAX_SIZE;
        } catch (NumberFormatException e) {
            throw new kdive.io.UsageException("DEBUGINFOD_MAXSIZE: " + m + ": not a number of bytes");
        }
    }

    static Duration timeout(Map<String, String> env) {
        String t = env.get("DEBUGINFOD_TIMEOUT");
        if (t == null || t.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            long s = Long.parseLong(t.strip());
            return s > 0 ? Duration.ofSeconds(s) : DEFAULT_TIMEOUT;
        } catch (NumberFormatException e) {
            throw new kdive.io.UsageException("DEBUGINFOD_TIMEOUT: " + t + ": not a number of seconds");
        }
    }

    public List<URI> servers() {
        return servers;
    }

    public Path cache() {
        return cache;
    }

    /** Where {@code id}'s {@code kind} is (or would be) cached. */
    public Path cached(BuildId id, Kind kind) {
        return cache.resolve(BuildIds.checked(id)).resolve(kind.path());
    }

    /**
     * The file of build-id {@code id}: from the cache when a file there has that build-id (no request is
     * made), else downloaded from the first server that has it and whose file has that build-id.
     */
    public Result fetch(BuildId id, Kind kind) {
        Path target = cached(id, kind);
        var reasons = new ArrayList<String>();
        // elfutils leaves an empty file to remember a miss for a while; that is not a hit, ask again.
        if (Files.isRegularFile(target) && size(target) > 0) {
            Optional<String> bad = BuildIds.mismatch(target, id);
            if (bad.isEmpty()) {
                return new Result.Hit(new Found(target, new Found.Source.DebuginfodCache(cache)));
            }
            reasons.add("cache " + target + ": " + bad.get());
        }
        for (URI server : servers) {
            Optional<String> why = download(server, id, kind, target);
            if (why.isEmpty()) {
                return new Result.Hit(new Found(target, new Found.Source.Debuginfod(server)));
            }
            reasons.add("debuginfod " + server + ": " + why.get());
        }
        return new Result.Miss(reasons);
    }

    /**
     * Downloads into {@code target}; empty on success, else why not (one line). One HttpClient per
     * request, shut down at once afterwards: its selector thread must not outlive a refused download.
     */
    private Optional<String> download(URI server, BuildId id, Kind kind, Path target) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            return download(http, server, id, kind, target);
        } finally {
            http.shutdownNow();
        }
    }

    private Optional<String> download(HttpClient http, URI server, BuildId id, Kind kind, Path target) {
        URI uri = URI.create(server + "/buildid/" + BuildIds.checked(id) + "/" + kind.path());
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "kdive").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            return Optional.of("no answer within " + timeout.toSeconds() + " s (DEBUGINFOD_TIMEOUT)");
        } catch (ConnectException e) {
            return Optional.of("cannot connect" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return Optional.of("not found");
            }
            if (response.statusCode() != 200) {
                return Optional.of("HTTP " + response.statusCode());
            }
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            return save(body, length, id, kind, target);
        } catch (IOException e) {
            return Optional.of("download failed: " + e.getMessage());
        }
    }

    /** Streams {@code body} to a temporary file, checks its length and build-id, renames it to {@code target}. */
    private Optional<String> save(InputStream body, OptionalLong length, BuildId id, Kind kind, Path target)
            throws IOException {
        if (length.isPresent() && length.getAsLong() > maxSize) {
            return Optional.of("refused: %d bytes, over the limit of %d (DEBUGINFOD_MAXSIZE)".formatted(length.getAsLong(), maxSize));
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + kind.path() + ".", ".tmp");
        try {
            long total = length.orElse(-1);
            long done = copy(body, tmp, total, "downloading " + id.hex().substring(0, Math.min(12, id.hex().length()))
                    + " " + kind.path());
            if (done > maxSize) {
                return Optional.of("refused: over the limit of %d bytes (DEBUGINFOD_MAXSIZE)".formatted(maxSize));
            }
            if (total >= 0 && done != total) {
                return Optional.of("refused: received %d of %d bytes".formatted(done, total));
            }
            Optional<String> bad = BuildIds.mismatch(tmp, id);
            if (bad.isPresent()) {
                return Optional.of("refused: " + bad.get());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Optional.empty();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Copies at most {@code total} bytes when known, else at most the size limit: a longer body is cut
     * and then refused by the caller. A server that sends nothing for {@code timeout} is dropped: a watchdog closes the body,
     * which ends the blocked read with an IOException, so a stalled download cannot hang a command.
     */
    private long copy(InputStream body, Path tmp, long total, String what) throws IOException {
        byte[] buf = new byte[BUFFER];
        long done = 0;
        var last = new AtomicLong(System.nanoTime());
        var stalled = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().name("debuginfod-watchdog").start(() -> watch(body, last, stalled));
        try (OutputStream out = Files.newOutputStream(tmp)) {
            int n;
            while ((n = body.read(buf)) > 0) {
                last.set(System.nanoTime());
                if (done + n > (total >= 0 ? total : maxSize)) {
                    return done + n; // more than announced or allowed: refused by the caller
                }
                out.write(buf, 0, n);
                done += n;
                progress.update(what, done, Math.max(total, 0)); // kdive.io.Progress: 0 = unknown
            }
        } catch (IOException e) {
            if (stalled.get()) {
                throw new IOException("nothing received for " + timeout.toSeconds() + " s (DEBUGINFOD_TIMEOUT)", e);
            }
            throw e;
        } finally {
            watchdog.interrupt();
        }
        if (done != total) {
            progress.update(what, done, done); // the end of a body of unknown length
        }
        return done;
    }

    private void watch(InputStream body, AtomicLong last, AtomicBoolean stalled) {
        long step = Math.max(1, Math.min(1000, timeout.toMillis() / 4));
        try {
            while (System.nanoTime() - last.get() < timeout.toNanos()) {
                Thread.sleep(step);
            }
            stalled.set(true);
            body.close();
        } catch (InterruptedException e) {
            // the copy finished
        } catch (IOException e) {
            // closing is all we wanted; the reader sees the failure
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "debuginfod " + Arrays.toString(servers.toArray()) + " cache " + cache;
    }
}
