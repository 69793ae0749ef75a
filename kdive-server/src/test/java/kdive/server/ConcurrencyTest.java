package kdive.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kdive.triage.Triage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 32 clients post 10,000 real reports (the syzkaller corpus logs under varied host names) over loopback,
 * then retry some: every first POST must be 201, every retry 200, and each bucket must count exactly the
 * reports and hosts whose text the parser titles with the bucket's title.
 */
class ConcurrencyTest {
    static final int CLIENTS = 32;
    static final int REPORTS = 10_000;
    static final int RETRIES = 500;
    static final String TOKEN = "load-token";

    @TempDir
    Path tmp;

    /** A corpus log with the title the parser gives it. */
    record Sample(String text, String title) {}

    /** Parsed once per test JVM (both backends and the crash test use the same samples). */
    static List<Sample> samples() {
        return SamplesHolder.SAMPLES;
    }

    private static final class SamplesHolder {
        static final List<Sample> SAMPLES = load();
    }

    private static List<Sample> load() {
        var out = new ArrayList<Sample>();
        // Some corpus files hold the same log: keep one, so that every (host, text) pair is new.
        try (Triage triage = Triage.create()) {
            for (String log : new java.util.LinkedHashSet<>(Corpus.syzkallerLogs())) {
                var found = triage.analyzeText("corpus", log);
                if (!found.isEmpty()) {
                    out.add(new Sample(log, found.getFirst().report().title()));
                }
            }
        }
        return List.copyOf(out);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void thirtyTwoClientsTenThousandReports(Backend backend) throws Exception {
        List<Sample> samples = samples();
        assertThat(samples).as("corpus logs with a crash").hasSizeGreaterThan(100);
        int n = samples.size();
        // Report i = sample i % n sent by host i / n: 10,000 distinct (host, text) pairs.
        Map<String, Long> expectedCount = new HashMap<>();
        Map<String, Set<String>> expectedHosts = new HashMap<>();
        for (int i = 0; i < REPORTS; i++) {
            String title = samples.get(i % n).title();
            expectedCount.merge(title, 1L, Long::sum);
            expectedHosts.computeIfAbsent(title, t -> new HashSet<>()).add(host(i / n));
        }
        try (FleetServer server = FleetServer.start(new ServerConfig("127.0.0.1", 0, backend.prepare(tmp),
                Tokens.of(TOKEN), false, ServerConfig.DEFAULT_MAX_BODY))) {
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/reports");
            var errors = new ConcurrentLinkedQueue<String>();
            var next = new AtomicInteger();
            var statusCounts = new java.util.concurrent.ConcurrentHashMap<Integer, AtomicInteger>();
            try (var pool = Executors.newFixedThreadPool(CLIENTS)) {
                for (int c = 0; c < CLIENTS; c++) {
                    pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < REPORTS + RETRIES; i = next.getAndIncrement()) {
                            // The last RETRIES requests repeat earlier reports: they must be answered 200.
                            int report = i < REPORTS ? i : (i - REPORTS) * (REPORTS / RETRIES);
                            int expected = i < REPORTS ? 201 : 200;
                            try {
                                var body = Client.body(Map.of("host", host(report / n),
                                        "text", samples.get(report % n).text()));
                                var resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                                        .header("Authorization", "Bearer " + TOKEN)
                                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                statusCounts.computeIfAbsent(resp.statusCode(), k -> new AtomicInteger())
                                        .incrementAndGet();
                                if (resp.statusCode() != expected) {
                                    errors.add("report " + report + ": HTTP " + resp.statusCode() + " " + resp.body());
                                }
                            } catch (Exception e) {
                                errors.add("report " + report + ": " + e);
                            }
                        }
                        return null;
                    });
                }
                pool.shutdown();
                assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).as("clients finished").isTrue();
            }
            assertThat(errors).as("errors (status counts %s)", statusCounts).isEmpty();

            JsonNode list = Client.json(new Client(server.port()).get("/api/v1/buckets?limit=1000", TOKEN));
            assertThat(list.get("total").asLong()).isEqualTo(expectedCount.size());
            Map<String, Long> counts = new HashMap<>();
            Map<String, Long> hosts = new HashMap<>();
            for (JsonNode b : list.get("buckets")) {
                counts.put(b.get("title").asText(), b.get("count").asLong());
                hosts.put(b.get("title").asText(), b.get("hosts").asLong());
            }
            assertThat(counts).isEqualTo(expectedCount);
            Map<String, Long> expectedHostCounts = new HashMap<>();
            expectedHosts.forEach((t, h) -> expectedHostCounts.put(t, (long) h.size()));
            assertThat(hosts).isEqualTo(expectedHostCounts);
        }
    }

    static String host(int k) {
        return switch (k % 3) {
            case 0 -> "web-%03d.fleet.example".formatted(k);
            case 1 -> "db-%03d".formatted(k);
            default -> "build-%03d.ci.example.org".formatted(k);
        };
    }
}
