package kdive.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Whatever bytes come in, triage finishes with reports or nothing: never an exception, never unbounded. */
class TriagePropertiesTest {

    static final Triage TRIAGE = Triage.create();
    static final Path CORPUS = Path.of(System.getProperty("kdive.shared", "../../shared"),
            "corpus/syzkaller-linux-report/report");

    @AfterContainer
    static void close() {
        TRIAGE.close();
    }

    static void checkInvariants(List<Analysis> analyses, int lineCount) {
        for (Analysis a : analyses) {
            assertThat(a.report().startLine()).isBetween(1, Math.max(1, lineCount));
            assertThat(a.report().endLine()).isBetween(a.report().startLine(), Math.max(1, lineCount));
            assertThat(a.code().entries().stream().filter(e -> e.faulting()).count()).isLessThanOrEqualTo(1);
        }
    }

    @Property(tries = 300)
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 20_000) byte[] bytes) throws IOException {
        var analyses = TRIAGE.analyze("random", new ByteArrayInputStream(bytes));
        checkInvariants(analyses, lines(bytes));
    }

    @Provide
    Arbitrary<Path> corpusFiles() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return Arbitraries.of(files.sorted().toList());
        }
    }

    @Property(tries = 300)
    void truncatedAndMutatedCorpusFilesNeverThrow(@ForAll("corpusFiles") Path file,
                                                  @ForAll double cut, @ForAll byte flip, @ForAll double where)
            throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] bytes = Arrays.copyOf(all, (int) (Math.abs(cut) % 1.0 * all.length));
        if (bytes.length > 0) {
            bytes[(int) (Math.abs(where) % 1.0 * bytes.length)] ^= flip;
        }
        checkInvariants(TRIAGE.analyze(file.getFileName().toString(), new ByteArrayInputStream(bytes)), lines(bytes));
    }

    @Test
    void aHugeLineWithoutNewlineStaysBounded() throws IOException {
        long size = 512L * 1024 * 1024;
        InputStream endless = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'A' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 'A');
                left -= n;
                return n;
            }
        };
        assertThat(TRIAGE.analyze("huge", endless)).isEmpty();
    }

    private static int lines(byte[] bytes) {
        int n = 1;
        for (byte b : bytes) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }
}
