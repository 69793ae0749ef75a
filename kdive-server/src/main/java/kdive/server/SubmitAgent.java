package kdive.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import kdive.io.UsageException;
import kdive.server.internal.Hashes;
import kdive.server.internal.Spool;

/**
 * The sending side of the fleet collector. Every report carries an id derived from its text, so a
 * retry, a re-run or a spooled copy sent later is stored once (the server answers 200). Transient
 * failures (connection refused, timeouts, 5xx, 429) are retried with exponential backoff and jitter;
 * when the retries run out the request is written to the spool directory, and {@code --flush} sends it.
 */
public final class SubmitAgent {
    /** Exit codes: see {@link Outcome#exitCode()}. */
    public static final int EXIT_SPOOLED = 3;

    /** Beside a dump's vmcore-dmesg.txt: the diagnosis sent with it. */
    public static final String DIAGNOSIS_FILE = "kdive-diagnosis.json";

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final SubmitOptions opts;
    private final PrintWriter out;
    private final PrintWriter err;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Spool spool;

    public SubmitAgent(SubmitOptions opts, PrintWriter out, PrintWriter err) {
        this.opts = opts;
        this.out = out;
        this.err = err;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.spool = new Spool(opts.spool());
    }

    /**
     * What happened to each report. {@code exitCode}: 0 every report is stored (new or already there);
     * 1 nothing was stored (no input, empty spool, no crash in any text); 2 the server refused a report
     * for good (token, body, size) or an input was unreadable (a report refused for its token is
     * spooled too); 3 some reports wait in the spool because the server was unreachable.
     */
    public record Outcome(int created, int duplicates, int noCrash, int refused, int spooled) {
        public int exitCode() {
            if (refused > 0) {
                return 2;
            }
            if (spooled > 0) {
                return EXIT_SPOOLED;
            }
            return created + duplicates > 0 ? 0 : 1;
        }

        Outcome plus(Outcome o) {
            return new Outcome(created + o.created, duplicates + o.duplicates, noCrash + o.noCrash,
                    refused + o.refused, spooled + o.spooled);
        }
    }

    /** The fate of one POST. */
    private enum Result { CREATED, DUPLICATE, NO_CRASH, REFUSED, AUTH, UNREACHABLE }

    public Outcome run() {
        var total = new Outcome(0, 0, 0, 0, 0);
        for (Path file : reportFiles()) {
            total = total.plus(submitFile(file));
        }
        if (opts.inputs().contains("-")) {
            total = total.plus(submitText("<stdin>", readStdin(), null, null));
        }
        if (opts.flush()) {
            total = total.plus(flush());
        }
        out.printf("kdive submit: %d new, %d already stored, %d without crash, %d refused, %d spooled%n",
                total.created(), total.duplicates(), total.noCrash(), total.refused(), total.spooled());
        out.flush();
        return total;
    }

    /** Inputs expanded: a file as is; a directory's vmcore-dmesg.txt, or those of its dump subdirectories. */
    List<Path> reportFiles() {
        var files = new ArrayList<Path>();
        for (String in : opts.inputs()) {
            if (in.equals("-")) {
                continue;
            }
            Path p = Path.of(in);
            if (Files.isRegularFile(p)) {
                files.add(p);
            } else if (Files.isDirectory(p)) {
                files.addAll(kdumpFiles(p));
            } else {
                throw new UsageException(in + ": no such file or directory");
            }
        }
        return files;
    }

    private static List<Path> kdumpFiles(Path dir) {
        Path direct = dir.resolve("vmcore-dmesg.txt");
        if (Files.isRegularFile(direct)) {
            return List.of(direct);
        }
        try (Stream<Path> subdirs = Files.list(dir)) {
            List<Path> found = subdirs.map(d -> d.resolve("vmcore-dmesg.txt")).filter(Files::isRegularFile)
                    .sorted().toList();
            if (found.isEmpty()) {
                throw new UsageException(dir + ": no vmcore-dmesg.txt in it or in its subdirectories");
            }
            return found;
        } catch (IOException e) {
            throw new UsageException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    private Outcome submitFile(Path file) {
        String text;
        String collectedAt = null;
        JsonNode diagnosis = null;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            if (file.getFileName().toString().equals("vmcore-dmesg.txt")) {
                // kdump writes it right after the crash: its mtime is the best crash time we have. A
                // host whose clock was never set (1970) would have it refused, so such a time is left
                // out and the server's receive time stands in.
                var mtime = Files.getLastModifiedTime(file).toInstant();
                if (mtime.isAfter(java.time.Instant.parse("1990-01-01T00:00:00Z"))
                        && mtime.isBefore(java.time.Instant.now().plus(java.time.Duration.ofDays(1)))) {
                    collectedAt = mtime.toString();
                }
                diagnosis = diagnosis(file.resolveSibling(DIAGNOSIS_FILE));
            }
        } catch (IOException e) {
            err.println("kdive submit: " + file + ": cannot read: " + e.getMessage());
            return new Outcome(0, 0, 0, 1, 0);
        }
        return submitText(file.toString(), text, collectedAt, diagnosis);
    }

    /**
     * The dump's diagnosis ({@code kdive diagnose --format json} saved beside vmcore-dmesg.txt, where a
     * vmcore and its debuginfo were at hand), or null when absent or not a JSON object.
     */
    private JsonNode diagnosis(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            return null;
        }
        try {
            JsonNode node = json.readTree(Files.readAllBytes(path));
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            // reported below, and the report goes without it
        }
        err.println("kdive submit: " + path + ": not a JSON object; sent without diagnosis");
        return null;
    }

    private String readStdin() {
        try (InputStream in = System.in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("<stdin>: cannot read: " + e.getMessage(), e);
        }
    }

    private Outcome submitText(String source, String text, String collectedAt, JsonNode diagnosis) {
        ObjectNode body = json.createObjectNode();
        body.put("host", opts.host());
        body.put("text", text);
        body.put("id", "sha256:" + Hashes.sha256Hex(text).substring(0, 32));
        if (collectedAt != null) {
            body.put("collectedAt", collectedAt);
        }
        if (diagnosis != null) {
            body.set("diagnosis", diagnosis);
        }
        String payload = body.toString();
        Result r = sendWithRetries(source, payload, opts.retries());
        if (r == Result.UNREACHABLE || r == Result.AUTH) {
            Path spooled = spool.put(payload);
            err.println("kdive submit: " + source + ": spooled as " + spooled + " (send it with --flush)");
            return new Outcome(0, 0, 0, r == Result.AUTH ? 1 : 0, 1);
        }
        return count(r);
    }

    private static Outcome count(Result r) {
        return switch (r) {
            case CREATED -> new Outcome(1, 0, 0, 0, 0);
            case DUPLICATE -> new Outcome(0, 1, 0, 0, 0);
            case NO_CRASH -> new Outcome(0, 0, 1, 0, 0);
            case REFUSED, AUTH -> new Outcome(0, 0, 0, 1, 0);
            case UNREACHABLE -> new Outcome(0, 0, 0, 0, 1);
        };
    }

    /** Sends the spool oldest first; stops at the first transient failure so the order is kept. */
    private Outcome flush() {
        var total = new Outcome(0, 0, 0, 0, 0);
        List<Path> pending = spool.pending();
        for (int i = 0; i < pending.size(); i++) {
            Path p = pending.get(i);
            Result r = sendWithRetries(p.toString(), spool.read(p), Math.min(opts.retries(), 2));
            switch (r) {
                case CREATED, DUPLICATE -> spool.remove(p);
                case NO_CRASH, REFUSED -> spool.reject(p);
                case AUTH, UNREACHABLE -> {
                    return total.plus(new Outcome(0, 0, 0, r == Result.AUTH ? 1 : 0, pending.size() - i));
                }
            }
            total = total.plus(count(r));
        }
        return total;
    }

    private Result sendWithRetries(String source, String payload, int retries) {
        Duration wait = opts.backoff();
        for (int attempt = 0; ; attempt++) {
            String problem;
            try {
                HttpResponse<String> resp = http.send(request(payload), HttpResponse.BodyHandlers.ofString());
                int s = resp.statusCode();
                switch (s) {
                    case 201: return Result.CREATED;
                    case 200: return Result.DUPLICATE;
                    case 422:
                        err.println("kdive submit: " + source + ": no kernel crash found by the server");
                        return Result.NO_CRASH;
                    case 401, 403:
                        err.println("kdive submit: " + source + ": server refused the token (HTTP " + s + ")");
                        return Result.AUTH;
                    default:
                        if (s != 429 && s < 500) {
                            err.println("kdive submit: " + source + ": refused (HTTP " + s + "): " + resp.body());
                            return Result.REFUSED;
                        }
                        problem = "HTTP " + s;
                }
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Result.UNREACHABLE;
            }
            if (attempt >= retries) {
                err.println("kdive submit: " + source + ": server unavailable after " + (attempt + 1)
                        + " attempts (" + problem + ")");
                return Result.UNREACHABLE;
            }
            sleep(wait);
            wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
        }
    }

    private HttpRequest request(String payload) {
        return HttpRequest.newBuilder(endpoint(opts.server()))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + opts.token())
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
    }

    static URI endpoint(URI server) {
        String base = server.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "api/v1/reports");
    }

    private static void sleep(Duration d) {
        // Jitter: many hosts rebooting together must not retry in lockstep.
        long ms = d.toMillis() + ThreadLocalRandom.current().nextLong(d.toMillis() / 4 + 1);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
