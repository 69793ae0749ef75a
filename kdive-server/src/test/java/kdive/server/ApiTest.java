package kdive.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The HTTP contract over real loopback HTTP, on SQLite and PostgreSQL. */
class ApiTest {
    static final String TOKEN = "s3cret-token-A";
    static final String OTHER_TOKEN = "second token from the same file";

    @TempDir
    Path tmp;

    FleetServer start(Backend backend, boolean readOpen) {
        Tokens tokens = Tokens.of(TOKEN, OTHER_TOKEN);
        return FleetServer.start(ServerConfig.loopback(Path.of(backend.prepare(tmp)), tokens)
                .withDatabase(backend.prepare(tmp)).withReadOpen(readOpen));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void ingestIsIdempotentAndBucketsCount(Backend backend) throws Exception {
        try (FleetServer server = start(backend, false)) {
            var c = new Client(server.port());
            String text = Corpus.example();
            var first = c.postReport(TOKEN, "web-1", text, null);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
            assertThat(first.headers().firstValue("Location")).isPresent();
            var again = c.postReport(OTHER_TOKEN, "web-1", text, null);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(Client.json(again).get("id").asText()).isEqualTo(Client.json(first).get("id").asText());
            assertThat(Client.json(again).get("created").asBoolean()).isFalse();
            assertThat(c.postReport(TOKEN, "web-2", text, "dump-2026-01").statusCode()).isEqualTo(201);
            assertThat(c.postReport(TOKEN, "web-2", text, "dump-2026-01").statusCode()).isEqualTo(200);
            assertThat(c.postReport(TOKEN, "web-3", text, null).statusCode()).isEqualTo(201);

            var list = Client.json(c.get("/api/v1/buckets", TOKEN));
            assertThat(list.get("total").asLong()).isEqualTo(1);
            var b = list.get("buckets").get(0);
            assertThat(b.get("title").asText()).isEqualTo(Client.json(first).get("title").asText());
            assertThat(b.get("count").asLong()).isEqualTo(3);
            assertThat(b.get("hosts").asLong()).isEqualTo(3);
            assertThat(b.get("kernels").get(0).asText()).isEqualTo("3.10.0-327.36.1.el7.x86_64");
            assertThat(b.get("firstSeen").asText()).endsWith("Z");

            var detail = Client.json(c.get("/api/v1/buckets/" + b.get("id").asText(), TOKEN));
            assertThat(detail.get("count").asLong()).isEqualTo(3);
            assertThat(detail.get("hostCounts")).hasSize(3);
            assertThat(detail.get("days").get(0).get("count").asLong()).isEqualTo(3);
            assertThat(detail.get("reports")).hasSize(3);

            var report = Client.json(c.get("/api/v1/reports/" + Client.json(first).get("id").asText(), TOKEN));
            assertThat(report.get("text").asText()).isEqualTo(text);
            assertThat(report.get("host").asText()).isEqualTo("web-1");
            assertThat(report.get("parsed").get("reports")).isNotEmpty();
            assertThat(c.get("/api/v1/reports/ffff", TOKEN).statusCode()).isEqualTo(404);
            assertThat(c.get("/api/v1/buckets/ffff", TOKEN).statusCode()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void refusesWhatItCannotStore(Backend backend) throws Exception {
        try (FleetServer server = start(backend, false)) {
            var c = new Client(server.port());
            String ok = Client.body(Map.of("host", "h", "text", Corpus.example()));
            assertThat(c.get("/healthz", null).statusCode()).isEqualTo(200);
            var noToken = c.post("/api/v1/reports", null, ok);
            assertThat(noToken.statusCode()).isEqualTo(401);
            assertThat(noToken.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(c.post("/api/v1/reports", "wrong", ok).statusCode()).isEqualTo(403);
            assertThat(c.post("/api/v1/reports", TOKEN + "x", ok).statusCode()).isEqualTo(403);
            assertThat(c.get("/api/v1/buckets", null).statusCode()).isEqualTo(401);
            assertThat(c.get("/api/v1/buckets", "wrong").statusCode()).isEqualTo(403);
            var page = c.get("/buckets", null);
            assertThat(page.statusCode()).isEqualTo(401);
            assertThat(page.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
            // A browser sends the token as the Basic password (any user name).
            var basic = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/buckets"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            ("ops:" + OTHER_TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(basic.statusCode()).isEqualTo(200);
            assertThat(basic.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");

            var badJson = c.post("/api/v1/reports", TOKEN, "{\"host\": \"h\", \"text\": ");
            assertThat(badJson.statusCode()).isEqualTo(400);
            assertThat(Client.json(badJson).get("error").asText()).startsWith("body: not JSON");
            assertThat(c.post("/api/v1/reports", TOKEN, "[1,2]").statusCode()).isEqualTo(400);
            assertThat(c.post("/api/v1/reports", TOKEN, "{\"text\":\"x\"}").statusCode()).isEqualTo(400);
            assertThat(c.post("/api/v1/reports", TOKEN,
                    Client.body(Map.of("host", "h", "text", "x", "collectedAt", "yesterday"))).statusCode())
                    .isEqualTo(400);
            var noOops = c.postReport(TOKEN, "h", "just a boot log\nnothing crashed here\n", null);
            assertThat(noOops.statusCode()).isEqualTo(422);
            assertThat(c.get("/api/v1/buckets?sort=nope", TOKEN).statusCode()).isEqualTo(400);
            assertThat(c.get("/api/v1/buckets?limit=0", TOKEN).statusCode()).isEqualTo(400);
            assertThat(c.get("/api/v1/buckets?since=later", TOKEN).statusCode()).isEqualTo(400);
            assertThat(Client.json(c.get("/api/v1/buckets", TOKEN)).get("total").asLong()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void bodyLimitIs413(Backend backend) throws Exception {
        Tokens tokens = Tokens.of(TOKEN);
        var cfg = new ServerConfig("127.0.0.1", 0, backend.prepare(tmp), tokens, false, 64 * 1024);
        try (FleetServer server = FleetServer.start(cfg)) {
            var c = new Client(server.port());
            String big = "x".repeat(65 * 1024);
            assertThat(c.postReport(TOKEN, "h", big, null).statusCode()).isEqualTo(413);
            // Streamed without Content-Length (chunked): still cut at the limit.
            byte[] bigBody = Client.body(Map.of("host", "h", "text", big)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            var http = HttpClient.newHttpClient();
            var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/reports"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(bigBody)))
                    .build();
            assertThat(http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
            assertThat(c.postReport(TOKEN, "h", Corpus.example(), null).statusCode()).isEqualTo(201);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void readOpenServesReadsWithoutTokenButNotWrites(Backend backend) throws Exception {
        try (FleetServer server = start(backend, true)) {
            var c = new Client(server.port());
            assertThat(c.get("/api/v1/buckets", null).statusCode()).isEqualTo(200);
            assertThat(c.get("/buckets", null).statusCode()).isEqualTo(200);
            assertThat(c.postReport(null, "h", Corpus.example(), null).statusCode()).isEqualTo(401);
        }
    }
}
