package kdive.cli;

import static kdive.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kdive.testkit.Bytes;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 (5, 2): escape sequences and NULs from the crashed machine (a kernel command line, a
 * task name, vmcoreinfo) reached the terminal raw; they are shown as dmesg shows them ({@code \x1b}).
 * An OSRELEASE holding a NUL crashed the vmlinux search with InvalidPathException.
 */
class TerminalEscapeTest {
    /** ESC [2J clears the screen, ESC ]0;..BEL retitles the window. */
    static final String PLANTED = "\u001b[2J\u001b]0;pw\u0007\0\0xx";

    @Test
    void analyzeEscapesControlCharactersInText(@TempDir Path dir) throws IOException {
        String seed = Files.readString(AnalyzeCommandTest.SEED);
        Path log = Files.writeString(dir.resolve("esc.log"), seed.replace("Comm: nginx", "Comm: ng" + PLANTED));
        CliRun r = run("analyze", log.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("task     ng\\x1b[2J\\x1b]0;pw\\x07\\x00\\x00xx (pid 2790)");
        assertNoControlCharacters(r.out());
        CliRun json = run("analyze", "--json", log.toString());
        assertThat(json.out()).contains("\"comm\" : \"ng\\u001B[2J\\u001B]0;pw\\u0007\\u0000\\u0000xx\"");
    }

    @Test
    @Tag("vmcore")
    void logAndInfoEscapeWhatTheDumpHolds(@TempDir Path dir) throws IOException {
        byte[] dump = Files.readAllBytes(Fixtures.scenario("skb").resolve("kdump-elf"));
        int planted = replaceAll(dump, "ignore_loglevel", PLANTED);
        assertThat(planted).isPositive();
        String release = Files.readString(Fixtures.kernel().resolve("release")).strip();
        String badRelease = ("\0\u001b[2J" + release).substring(0, release.length());
        assertThat(replaceAll(dump, "OSRELEASE=" + release, "OSRELEASE=" + badRelease)).isPositive();
        Path f = Files.write(dir.resolve("vmcore"), dump);

        CliRun log = run("log", f.toString());
        assertThat(log.code()).isZero();
        assertThat(log.out()).contains("Command line: console=ttyS0 \\x1b[2J\\x1b]0;pw\\x07\\x00\\x00xx");
        assertNoControlCharacters(log.out());

        CliRun info = run("info", "--vmcoreinfo", f.toString());
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).contains("RELEASE: \\x00\\x1b[2J").contains("OSRELEASE=\\x00\\x1b[2J");
        assertNoControlCharacters(info.out());
        assertNoControlCharacters(info.err());
        // sys looks for the vmlinux by that release: one line saying it names no file, exit 2.
        CliRun sys = run("sys", f.toString());
        assertThat(sys.code()).isEqualTo(2);
        assertThat(sys.err()).startsWith("kdive: sys needs the kernel's debug vmlinux").contains("is not a file name")
                .doesNotContain("InvalidPath").hasLineCount(1);
        assertNoControlCharacters(sys.err());
    }

    static void assertNoControlCharacters(String s) {
        assertThat(s.chars().filter(c -> (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f).count())
                .as("raw control characters in %s", s.length() > 200 ? s.substring(0, 200) + "..." : s).isZero();
    }

    private static int replaceAll(byte[] hay, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = to.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(b).hasSameSizeAs(a);
        int n = 0;
        for (int i = Bytes.indexOf(hay, a); i >= 0; i = Bytes.indexOf(hay, a, i + 1)) {
            System.arraycopy(b, 0, hay, i, b.length);
            n++;
        }
        return n;
    }
}
