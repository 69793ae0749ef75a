package kdive.debuginfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static String run(long minBytes, long total, long... steps) {
        var text = new StringWriter();
        Progress p = Progress.terminal(new PrintWriter(text), minBytes);
        for (long done : steps) {
            p.update("3b43fad50348 debuginfo", done, total);
        }
        return text.toString();
    }

    @Test
    void oneLineRewrittenPerMibAndEndedOnce() {
        long mib = 1 << 20;
        assertThat(run(16 * mib, 32 * mib, 1, 2, mib, mib + 1, 32 * mib)).isEqualTo(
                "\rdownloading 3b43fad50348 debuginfo: 0/32 MiB (0%)"
                        + "\rdownloading 3b43fad50348 debuginfo: 1/32 MiB (3%)"
                        + "\rdownloading 3b43fad50348 debuginfo: 32/32 MiB (100%)\n");
        assertThat(run(16 * mib, 4 * mib, mib, 4 * mib)).as("small files say nothing").isEmpty();
        assertThat(run(16 * mib, -1, 3 * mib)).isEqualTo("\rdownloading 3b43fad50348 debuginfo: 3 MiB");
        var text = new StringWriter();
        Progress p = Progress.terminal(new PrintWriter(text), 16 * mib);
        p.update("x", 3 * mib, -1);
        p.update("x", 3 * mib, 3 * mib); // the end of a body of unknown length still ends the line
        assertThat(text.toString()).isEqualTo("\rdownloading x: 3 MiB\rdownloading x: 3/3 MiB (100%)\n");
    }
}
