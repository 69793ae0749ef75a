package kdive.oops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Oopses as people paste them (bug trackers, mailing lists, blogs; RHEL/CentOS, Fedora, Ubuntu, Debian,
 * Android and Raspberry Pi boards; 2.6.27 to 7.x; x86-64, i386, arm, arm64, and a few ppc64/s390x/riscv):
 * one test per file compares every fact read by hand into its headers with what the parser reads, and the
 * per-field match rates are printed at the end.
 */
class RealWorldCorpusTest {

    private static final Map<String, int[]> RATES = new LinkedHashMap<>();
    private static final List<String> MISMATCHES = new ArrayList<>();

    static {
        RealWorldOops.FIELDS.forEach(f -> RATES.put(f, new int[2]));
    }

    @TestFactory
    Stream<DynamicTest> everyFactOfEveryFile() {
        List<Path> files = RealWorldOops.files();
        assertThat(files).as("real-world corpus under " + RealWorldOops.root()).hasSizeGreaterThanOrEqualTo(100);
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path p) {
        RealWorldOops oops = RealWorldOops.read(p);
        SequencedMap<String, String> got = OopsFacts.of(oops.log());
        List<String> wrong = new ArrayList<>();
        synchronized (RATES) {
            for (String field : RealWorldOops.FIELDS) {
                String want = oops.facts().get(field);
                boolean ok = want.equals(got.get(field));
                int[] rate = RATES.get(field);
                rate[0] += ok ? 1 : 0;
                rate[1]++;
                if (!ok) {
                    wrong.add(field + ": want [" + want + "] got [" + got.get(field) + "]");
                }
            }
            wrong.forEach(w -> MISMATCHES.add(oops.name() + " " + w));
        }
        assertThat(wrong).as(oops.name() + " (" + oops.source() + ")").isEmpty();
    }

    @AfterAll
    static void printRates() {
        System.out.println("== real-world corpus: per-field rates");
        RATES.forEach((field, r) -> System.out.printf("  %-14s %d/%d (%.1f%%)%n", field, r[0], r[1],
                r[1] == 0 ? 100.0 : 100.0 * r[0] / r[1]));
        MISMATCHES.forEach(m -> System.out.println("  " + m));
    }
}
