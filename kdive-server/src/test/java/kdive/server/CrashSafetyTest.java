package kdive.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code kill -9} of the server while 16 clients post: after a restart every report that was answered
 * 201/200 is there, none twice, and the bucket counters agree with the stored reports (the ingest
 * transaction is atomic).
 */
class CrashSafetyTest {
    static final int CLIENTS = 16;
    static final int KILL_AFTER_ACKS = 1000;
    static final int MAX_ATTEMPTS = 20_000;
    static final String TOKEN = "crash-token";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void killDashNineLosesNoAcknowledgedReport(Backend backend) throws Exception {
        List<ConcurrencyTest.Sample> samples = ConcurrencyTest.samples();
        int n = samples.size();
        String db = backend.prepare(tmp);
        Set<Integer> attempted = ConcurrentHashMap.newKeySet();
        Map<Integer, String> acked = new ConcurrentHashMap<>();
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (ServerProcess child = ServerProcess.start(db, TOKEN, tmp.resolve("server.log"))) {
            URI uri = URI.create("http://127.0.0.1:" + child.port() + "/api/v1/reports");
            var next = new AtomicInteger();
            var killed = new AtomicBoolean();
            try (var pool = Executors.newFixedThreadPool(CLIENTS)) {
                for (int c = 0; c < CLIENTS; c++) {
                    pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < MAX_ATTEMPTS; i = next.getAndIncrement()) {
                            attempted.add(i);
                            try {
                                var resp = http.send(post(uri, i, samples), HttpResponse.BodyHandlers.ofString());
                                if (resp.statusCode() == 201 || resp.statusCode() == 200) {
                                    acked.put(i, Client.JSON.readTree(resp.body()).get("id").asText());
                                }
                            } catch (Exception e) {
                                if (killed.get()) {
                                    return null; // the server is gone: this client stops
                                }
                            }
                        }
                        return null;
                    });
                }
                // Kill while the clients are mid-flight.
                while (acked.size() < KILL_AFTER_ACKS && next.get() < MAX_ATTEMPTS) {
                    Thread.sleep(5);
                }
                killed.set(true);
                child.kill9();
                pool.shutdown();
                assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
            }
        }
        assertThat(acked.size()).isGreaterThanOrEqualTo(KILL_AFTER_ACKS);

        try (FleetServer server = FleetServer.start(new ServerConfig("127.0.0.1", 0, db, Tokens.of(TOKEN), false,
                ServerConfig.DEFAULT_MAX_BODY))) {
            var client = new Client(server.port());
            for (var e : acked.entrySet()) {
                var r = client.get("/api/v1/reports/" + e.getValue(), TOKEN);
                assertThat(r.statusCode()).as("acknowledged report %d", e.getKey()).isEqualTo(200);
                assertThat(Client.json(r).get("clientId").asText()).isEqualTo("crash-" + e.getKey());
            }
            long stored = storedReports(client);
            // Requests in flight at the kill may have committed without an answer: at most one per client.
            assertThat(stored).isBetween((long) acked.size(), (long) acked.size() + CLIENTS);
            // Resending everything attempted (8 clients): acknowledged ones are 200, none is stored twice.
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/reports");
            var created = new AtomicInteger();
            var wrong = new java.util.concurrent.ConcurrentLinkedQueue<String>();
            try (var pool = Executors.newFixedThreadPool(8)) {
                for (int i : attempted) {
                    pool.submit(() -> {
                        var resp = http.send(post(uri, i, samples), HttpResponse.BodyHandlers.ofString());
                        int expected = acked.containsKey(i) ? 200 : resp.statusCode() == 201 ? 201 : 200;
                        if (resp.statusCode() != expected) {
                            wrong.add("report " + i + " resent: HTTP " + resp.statusCode());
                        }
                        created.addAndGet(resp.statusCode() == 201 ? 1 : 0);
                        return null;
                    });
                }
                pool.shutdown();
                assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
            }
            assertThat(wrong).isEmpty();
            int createdNow = created.get();
            assertThat(storedReports(client)).isEqualTo(attempted.size()).isEqualTo(stored + createdNow);
        }
    }

    private static HttpRequest post(URI uri, int i, List<ConcurrencyTest.Sample> samples) throws Exception {
        int n = samples.size();
        String body = Client.body(Map.of("host", "crash-host-" + i / n, "id", "crash-" + i,
                "text", samples.get(i % n).text()));
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Reports stored, summed from the bucket counters: also proves counters and rows agree. */
    private static long storedReports(Client client) throws Exception {
        JsonNode list = Client.json(client.get("/api/v1/buckets?limit=1000", TOKEN));
        long sum = 0;
        for (JsonNode b : list.get("buckets")) {
            long count = b.get("count").asLong();
            JsonNode detail = Client.json(client.get("/api/v1/buckets/" + b.get("id").asText(), TOKEN));
            long byDay = 0;
            for (JsonNode d : detail.get("days")) {
                byDay += d.get("count").asLong();
            }
            assertThat(byDay).as("per-day counts of %s", b.get("title").asText()).isEqualTo(count);
            sum += count;
        }
        return sum;
    }
}
