package kdive.oops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** syzkaller's guilty/ and guilty_raw/ corpus: the file to blame for a symbolized report. */
class GuiltyFileCorpusTest {

    private record GuiltyCase(Map<String, String> vars, String report) {}

    /** Header up to the first blank line ({@code KEY: value}, values trimmed, {@code #} comments), then the report. */
    private static GuiltyCase read(Path p) throws IOException {
        String data = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        int nlnl = data.indexOf("\n\n");
        Map<String, String> vars = new HashMap<>();
        for (String ln : data.substring(0, nlnl).split("\n")) {
            ln = ln.strip();
            if (ln.isEmpty() || ln.startsWith("#")) {
                continue;
            }
            int colon = ln.indexOf(':');
            vars.put(ln.substring(0, colon).strip(), ln.substring(colon + 1).strip());
        }
        return new GuiltyCase(vars, data.substring(nlnl + 2));
    }

    @Test
    void guiltyFilesMatchSyzkaller() throws IOException {
        int ok = 0;
        int total = 0;
        List<String> mismatches = new ArrayList<>();
        for (Path p : CorpusFile.files("guilty")) {
            GuiltyCase c = read(p);
            String want = c.vars().getOrDefault("FILE", "");
            String got = GuiltyFile.extract(c.report()).orElse("");
            total++;
            if (want.equals(got)) {
                ok++;
            } else {
                mismatches.add("guilty/" + p.getFileName() + ": want [" + want + "] got [" + got + "]");
            }
        }
        for (Path p : CorpusFile.files("guilty_raw")) {
            GuiltyCase c = read(p);
            String want = c.vars().getOrDefault("FILE", "");
            String got = GuiltyFile.extract(c.vars().getOrDefault("TITLE", ""), c.report()).orElse("");
            total++;
            if (want.equals(got)) {
                ok++;
            } else {
                mismatches.add("guilty_raw/" + p.getFileName() + ": want [" + want + "] got [" + got + "]");
            }
        }
        double pct = total == 0 ? 0 : 100.0 * ok / total;
        System.out.printf("== guilty files: %d/%d (%.1f%%)%n", ok, total, pct);
        mismatches.forEach(m -> System.out.println("  " + m));
        assertThat(total).isGreaterThan(10);
        assertThat(pct).as("guilty file match rate").isGreaterThanOrEqualTo(90.0);
    }
}
