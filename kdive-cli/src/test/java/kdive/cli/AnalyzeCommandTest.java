package kdive.cli;

import static kdive.cli.CliRun.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {

    static final Path SEED = Path.of(System.getProperty("kdive.root", ".."), "examples/centos7-skb_entail/vmcore-dmesg.txt");



    @Test
    void seedTextReportSaysWhatHappened() {
        CliRun r = run("analyze", SEED.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("BUG: unable to handle kernel NULL pointer dereference in skb_entail")
                .contains("write to 0x0 through %rax = NULL at mov %rsi,(%rax)")
                .contains("nginx (pid 2790) on CPU 0")
                .contains("mov    %eax,0x44(%rsi)")
                .contains("tcp_sendmsg+0x6f2/0xc20");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void jsonIsOneDocumentForAllInputs(@TempDir Path dir) throws IOException {
        Path copy = Files.copy(SEED, dir.resolve("again.txt"));
        CliRun r = run("analyze", "--json", SEED.toString(), copy.toString());
        assertThat(r.code()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.path("reports")).hasSize(2);
        assertThat(root.path("reports").get(1).path("source").asText()).isEqualTo(copy.toString());
    }

    @Test
    void missingFileIsOneLineAndExitTwo() {
        CliRun r = run("analyze", "/nonexistent/oops.txt");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).first().asString().startsWith("kdive: /nonexistent/oops.txt:");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void logWithoutOopsExitsOne(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("boot.log"), "[    0.000000] Linux version 6.1.0\n[    1.0] all good\n");
        CliRun r = run("analyze", log.toString());
        assertThat(r.code()).isEqualTo(1);
        CliRun json = run("analyze", "--json", log.toString());
        assertThat(json.code()).isEqualTo(1);
        assertThat(json.out()).contains("\"reports\" : [ ]");
    }

    @Test
    void binaryGarbageNeverThrows(@TempDir Path dir) throws IOException {
        byte[] junk = new byte[1 << 20];
        new Random(42).nextBytes(junk);
        Path bin = Files.write(dir.resolve("junk.bin"), junk);
        CliRun r = run("analyze", bin.toString());
        assertThat(r.code()).isIn(0, 1);
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void directoryTakesEveryFileAndSkipsDumps(@TempDir Path dir) throws IOException {
        Files.copy(SEED, dir.resolve("vmcore-dmesg.txt"));
        Files.write(dir.resolve("vmcore"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        CliRun r = run("analyze", "--json", dir.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("vmcore: skipped (a crash dump; the directory's log files are read)");
        assertThat(r.out()).contains("skb_entail");
    }

    @Test
    void stdinIsDash() throws IOException {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(SEED)));
            CliRun r = run("analyze", "--json", "-");
            assertThat(r.code()).isZero();
            assertThat(new ObjectMapper().readTree(r.out()).path("reports").get(0).path("source").asText())
                    .isEqualTo("-");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void helpAndVersion() {
        assertThat(run("--version").out()).startsWith("kdive ");
        CliRun help = run("analyze", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--json").contains("--intel");
        assertThat(run("analyze").code()).isEqualTo(2);
    }
}
