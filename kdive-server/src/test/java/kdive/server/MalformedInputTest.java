package kdive.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated and mistyped request bodies (seeded, bounded): the server answers each with a 2xx or a 4xx
 * that names the problem, never a 5xx, and keeps serving.
 */
class MalformedInputTest {
    static final String TOKEN = "fuzz";

    @TempDir
    Path tmp;

    @Test
    void mutatedBodiesGetFourHundredsNeverFiveHundreds() throws Exception {
        var random = new Random(20261125);
        String valid = Client.body(Map.of("host", "fuzz-host", "text", Corpus.example(), "id", "x-1"));
        byte[] validBytes = valid.getBytes(StandardCharsets.UTF_8);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            byte[] b = validBytes.clone();
            switch (i % 5) {
                case 0 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length)); // truncated
                case 1 -> { // random bytes flipped, including invalid UTF-8
                    for (int k = 0; k < 1 + random.nextInt(8); k++) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> b = randomJson(random).getBytes(StandardCharsets.UTF_8);
                case 3 -> { // garbage
                    b = new byte[random.nextInt(2000)];
                    random.nextBytes(b);
                }
                default -> b = Client.body(Map.of("host", "h" + i, "text", Corpus.example(),
                        "collectedAt", List.of("2026-01-01", "2026-13-45T00:00:00Z", "", "now").get(i % 4),
                        "diagnosis", i % 2 == 0 ? Map.of("k", i) : List.of(i))).getBytes(StandardCharsets.UTF_8);
            }
            bodies.add(b);
        }
        try (FleetServer server = FleetServer.start(ServerConfig.loopback(tmp.resolve("fuzz.sqlite"), Tokens.of(TOKEN)))) {
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/reports");
            for (byte[] body : bodies) {
                var resp = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(resp.statusCode()).as(resp.body()).isIn(200, 201, 400, 422);
                if (resp.statusCode() >= 400) {
                    assertThat(Client.json(resp).get("error").asText()).isNotBlank();
                }
            }
            assertThat(new Client(server.port()).get("/healthz", null).statusCode()).isEqualTo(200);
        }
    }

    /** A JSON object whose known fields have random types. */
    private static String randomJson(Random r) throws Exception {
        Object[] values = {null, 1, -2.5, true, "", "text", List.of(1, "a"), Map.of("a", 1), "x".repeat(300)};
        var m = new java.util.LinkedHashMap<String, Object>();
        for (String field : List.of("host", "text", "id", "collectedAt", "diagnosis")) {
            if (r.nextBoolean()) {
                m.put(field, values[r.nextInt(values.length)]);
            }
        }
        return Client.JSON.writeValueAsString(m);
    }
}
