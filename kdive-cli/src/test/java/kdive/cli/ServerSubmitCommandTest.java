package kdive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import kdive.server.FleetServer;
import kdive.server.ServerConfig;
import kdive.server.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server and submit front ends: option checks and exit codes, against a real server on loopback. */
class ServerSubmitCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run kdive(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void submitSendsTheExampleOnceAndReportsWhatHappened() throws Exception {
        Path tokens = Files.writeString(tmp.resolve("tokens"), "# fleet\ncli-token\nother\n");
        Path example = Path.of(System.getProperty("kdive.root", ".")).resolve("examples/centos7-skb_entail/vmcore-dmesg.txt");
        var cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("cli.sqlite").toString(), Tokens.load(tokens), false,
                ServerConfig.DEFAULT_MAX_BODY);
        try (FleetServer server = FleetServer.start(cfg)) {
            String url = "http://127.0.0.1:" + server.port();
            String spool = tmp.resolve("spool").toString();
            Run first = kdive("submit", "--server", url, "--token-file", tokens.toString(), "--host", "web-1",
                    "--spool", spool, example.toString());
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.out()).contains("1 new");
            Run again = kdive("submit", "--server", url, "--token-file", tokens.toString(), "--host", "web-1",
                    "--spool", spool, example.toString());
            assertThat(again.code()).isZero();
            assertThat(again.out()).contains("1 already stored");
            Path boring = Files.writeString(tmp.resolve("boot.log"), "booted fine\n");
            assertThat(kdive("submit", "--server", url, "--token-file", tokens.toString(), "--spool", spool,
                    boring.toString()).code()).isEqualTo(1);
        }
    }

    @Test
    void usageErrorsExitTwoWithOneLine() throws Exception {
        Path tokens = Files.writeString(tmp.resolve("tokens"), "t\n");
        Run noInput = kdive("submit", "--server", "http://127.0.0.1:1", "--token-file", tokens.toString());
        assertThat(noInput.code()).isEqualTo(2);
        assertThat(noInput.err()).contains("--flush");
        assertThat(kdive("submit", "--server", "ftp://x", "--token-file", tokens.toString(), "a").code()).isEqualTo(2);
        Run badListen = kdive("server", "--listen", "nowhere", "--token-file", tokens.toString());
        assertThat(badListen.code()).isEqualTo(2);
        assertThat(badListen.err()).contains("--listen");
        Run emptyTokens = kdive("server", "--listen", "127.0.0.1:0", "--token-file",
                Files.writeString(tmp.resolve("empty"), "\n").toString());
        assertThat(emptyTokens.code()).isEqualTo(2);
        assertThat(emptyTokens.err()).contains("no token");
    }
}
