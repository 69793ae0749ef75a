package kdive.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 17 (4, 9): implausible collection times, trailing garbage, oversized and slow requests. */
class RequestLimitsTest {
    static final String TOKEN = "limits";

    @TempDir
    Path tmp;
    FleetServer server;
    Client client;

    @BeforeEach
    void start() {
        server = FleetServer.start(ServerConfig.loopback(tmp.resolve("limits.sqlite"), Tokens.of(TOKEN)));
        client = new Client(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Year +999999999 overflowed the batch writer (503, stack trace); -1 and 9999 moved a bucket's firstSeen/lastSeen for good. */
    @ParameterizedTest
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "-0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "1970-01-01T00:00:00Z", "1989-12-31T23:59:59Z"})
    void implausibleCollectionTimeIs400(String at) throws Exception {
        var r = client.post("/api/v1/reports", TOKEN, Client.body(Map.of("host", "h", "text", Corpus.example(),
                "collectedAt", at)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(Client.json(r).get("error").asText()).startsWith("collectedAt: expected a time between 1990");
        assertThat(Client.json(client.get("/api/v1/buckets", TOKEN)).get("total").asLong()).isZero();
    }

    @Test
    void plausibleCollectionTimeIsStored() throws Exception {
        var r = client.post("/api/v1/reports", TOKEN, Client.body(Map.of("host", "h", "text", Corpus.example(),
                "collectedAt", "2026-01-31T12:00:00Z")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        var bucket = Client.json(client.get("/api/v1/buckets", TOKEN)).get("buckets").get(0);
        assertThat(bucket.get("firstSeen").asText()).isEqualTo("2026-01-31T12:00:00Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", " {}", "[1]", " \"x\"", "}"})
    void trailingTokensAfterTheBodyAre400(String tail) throws Exception {
        var r = client.post("/api/v1/reports", TOKEN, Client.body(Map.of("host", "h", "text", Corpus.example())) + tail);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(Client.json(r).get("error").asText()).startsWith("body: not JSON");
    }

    /** Was: the server read the absent body until the 30 s idle timeout, then answered 400. */
    @Test
    void declaredLengthOverTheLimitIs413AtOnce() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            s.getOutputStream().write(("POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{\"host\":")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = statusLine(s.getInputStream());
            assertThat(status).startsWith("HTTP/1.1 413");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        }
    }

    /** Was: a client sending one header byte at a time kept its connection as long as it kept sending. */
    @Test
    void slowRequestHeadIsCutAtTheDeadline() throws Exception {
        long deadline = FleetServer.HEAD_DEADLINE.toMillis();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean closed = false;
            while (!closed && (System.nanoTime() - start) / 1_000_000 < deadline + 10_000) {
                try {
                    out.write('X');
                    out.flush();
                    Thread.sleep(250);
                } catch (SocketException e) {
                    closed = true;
                }
                if (!closed) {
                    s.setSoTimeout(1);
                    try {
                        closed = s.getInputStream().read() < 0;
                    } catch (java.net.SocketTimeoutException e) {
                        // still open
                    } catch (SocketException e) {
                        closed = true;
                    }
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(closed).as("connection closed while the head trickled in").isTrue();
            assertThat(ms).isBetween(deadline - 1_000, deadline + 5_000);
        }
        assertThat(client.get("/healthz", null).statusCode()).isEqualTo(200);
    }

    private static String statusLine(InputStream in) throws IOException {
        var b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            b.append((char) c);
        }
        return b.toString().strip();
    }
}
