package kdive.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kdive.io.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kdive submit}'s agent against a real server: kdump layouts, idempotency, spool and flush, exit codes. */
class SubmitAgentTest {
    static final String TOKEN = "agent-token";

    @TempDir
    Path tmp;

    private SubmitAgent.Outcome submit(URI server, String token, String host, boolean flush, String... inputs) {
        var opts = new SubmitOptions(server, token, host, tmp.resolve("spool"), 1, Duration.ofMillis(10), flush,
                List.of(inputs));
        return new SubmitAgent(opts, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).run();
    }

    /** /var/crash layout: one directory per dump, each with a vmcore-dmesg.txt. */
    private Path crashDir() throws Exception {
        Path crash = tmp.resolve("var-crash");
        for (String dump : List.of("127.0.0.1-2026-01-02-03:04:05", "127.0.0.1-2026-02-03-04:05:06")) {
            Path d = Files.createDirectories(crash.resolve(dump));
            String text = Corpus.example();
            // Two crashes of the same bug on different days: different texts, one bucket.
            Files.writeString(d.resolve("vmcore-dmesg.txt"), dump.endsWith("05") ? text : text.replace("705327", "805327"));
        }
        Files.writeString(crash.resolve("127.0.0.1-2026-01-02-03:04:05").resolve(SubmitAgent.DIAGNOSIS_FILE),
                "{\"verdict\": \"NULL sk_buff in skb_entail\", \"lines\": [\"<b>net/ipv4/tcp.c:605</b>\"]}");
        return crash;
    }

    @Test
    void sendsKdumpDirectoriesOnceAndSpoolsWhenTheServerIsDown() throws Exception {
        Path crash = crashDir();
        int freePort;
        try (var s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        // Server down: both reports are spooled, exit 3.
        var down = submit(URI.create("http://127.0.0.1:" + freePort), TOKEN, "node-1", false, crash.toString());
        assertThat(down.spooled()).isEqualTo(2);
        assertThat(down.exitCode()).isEqualTo(SubmitAgent.EXIT_SPOOLED);
        try (var files = Files.list(tmp.resolve("spool"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".json"))).hasSize(2);
        }

        var cfg = new ServerConfig("127.0.0.1", freePort, tmp.resolve("agent.sqlite").toString(), Tokens.of(TOKEN),
                false, ServerConfig.DEFAULT_MAX_BODY);
        try (FleetServer server = FleetServer.start(cfg)) {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/");
            // Flush sends the spool; the same dumps submitted again are already stored (200), exit 0.
            var flushed = submit(url, TOKEN, "node-1", true);
            assertThat(flushed.created()).isEqualTo(2);
            assertThat(flushed.exitCode()).isZero();
            try (var files = Files.list(tmp.resolve("spool"))) {
                assertThat(files.filter(p -> p.toString().endsWith(".json"))).isEmpty();
            }
            var again = submit(url, TOKEN, "node-1", false, crash.toString());
            assertThat(again.duplicates()).isEqualTo(2);
            assertThat(again.exitCode()).isZero();
            // Another host: new reports in the same bucket.
            var other = submit(url, TOKEN, "node-2", false, crash.resolve("127.0.0.1-2026-01-02-03:04:05").toString());
            assertThat(other.created()).isEqualTo(1);

            var list = Client.json(new Client(server.port()).get("/api/v1/buckets", TOKEN));
            var detail = Client.json(new Client(server.port()).get("/api/v1/buckets/"
                    + list.get("buckets").get(0).get("id").asText(), TOKEN));
            long withDiagnosis = 0;
            for (var r : detail.get("reports")) {
                var report = Client.json(new Client(server.port()).get("/api/v1/reports/" + r.get("id").asText(), TOKEN));
                if (report.get("diagnosis").isObject()) {
                    assertThat(report.get("diagnosis").get("verdict").asText()).isEqualTo("NULL sk_buff in skb_entail");
                    withDiagnosis++;
                }
            }
            assertThat(withDiagnosis).as("reports of the dump with a diagnosis, from node-1 and node-2").isEqualTo(2);
            assertThat(list.get("total").asLong()).isEqualTo(1);
            assertThat(list.get("buckets").get(0).get("count").asLong()).isEqualTo(3);
            assertThat(list.get("buckets").get(0).get("hosts").asLong()).isEqualTo(2);

            // No crash in the text: 1. Wrong token: 2, and the report waits in the spool.
            Path boring = Files.writeString(tmp.resolve("boot.log"), "[    0.000000] Linux version 6.1.0\nall good\n");
            assertThat(submit(url, TOKEN, "node-1", false, boring.toString()).exitCode()).isEqualTo(1);
            var badToken = submit(url, "not-the-token", "node-3", false, Corpus.root()
                    .resolve("examples/centos7-skb_entail/vmcore-dmesg.txt").toString());
            assertThat(badToken.exitCode()).isEqualTo(2);
            assertThat(badToken.spooled()).isEqualTo(1);
            assertThat(submit(url, TOKEN, "node-3", true).created()).isEqualTo(1);
        }
        assertThatThrownBy(() -> submit(URI.create("http://127.0.0.1:1"), TOKEN, "h", false,
                tmp.resolve("missing").toString())).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> submit(URI.create("http://127.0.0.1:1"), TOKEN, "h", false, tmp.toString()))
                .isInstanceOf(UsageException.class).hasMessageContaining("no vmcore-dmesg.txt");
    }
}
