package kdive.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** close() lets a request in flight finish (and store its report), then stops listening. */
class GracefulStopTest {
    @TempDir
    Path tmp;

    @Test
    void requestInFlightCompletesDuringStop() throws Exception {
        Path db = tmp.resolve("stop.sqlite");
        FleetServer server = FleetServer.start(ServerConfig.loopback(db, Tokens.of("t")));
        int port = server.port();
        byte[] body = Client.body(Map.of("host", "h", "text", Corpus.example())).getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            var out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            // The handler runs, blocked reading the rest of the body.
            await(() -> server.inFlight() == 1);
            CompletableFuture<Void> stop = CompletableFuture.runAsync(server::close);
            await(server::stopping);
            assertThat(stop).isNotDone();
            out.write(body, body.length / 2, body.length - body.length / 2);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 201");
            stop.get();
        }
        assertThatThrownBy(() -> new Client(port).get("/healthz", null)).isInstanceOf(IOException.class);
        // The report was committed before the pool closed.
        try (FleetServer again = FleetServer.start(ServerConfig.loopback(db, Tokens.of("t")))) {
            var list = Client.json(new Client(again.port()).get("/api/v1/buckets", "t"));
            assertThat(list.get("buckets").get(0).get("count").asLong()).isEqualTo(1);
        }
    }

    /** Waits for a condition, bounded: 30 s. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
