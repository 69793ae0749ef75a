package kdive.oops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Table-driven check against syzkaller's own golden outputs: one test per file of the report corpus,
 * comparing every field and syzkaller's invariants, so a single file cannot regress unseen behind an
 * overall rate. The per-field match rates are printed as a summary after the last file.
 */
class SyzkallerCorpusTest {

    private static final ReportParser PARSER = ReportParser.linux();
    private static final List<String> FIELDS = List.of("title", "alt", "type", "corrupted", "suppressed", "panicked",
            "executor", "frame", "report", "start/end", "reparse-from-start", "next-after-end");

    /** Matched/total per field, over the files run so far. */
    private static final Map<String, int[]> RATES = new LinkedHashMap<>();
    private static final List<String> MISMATCHES = new ArrayList<>();
    private static long slowest;
    private static String slowestName = "";

    static {
        FIELDS.forEach(f -> RATES.put(f, new int[2]));
    }

    @TestFactory
    Stream<DynamicTest> everyFileMatchesSyzkaller() throws IOException {
        List<Path> files = new ArrayList<>(CorpusFile.files("report"));
        files.addAll(CorpusFile.files("all_report"));
        files.addAll(CorpusFile.files("symbolize"));
        assertThat(files).as("corpus files under " + CorpusFile.corpusRoot()).hasSizeGreaterThan(100);
        return files.stream().map(p -> DynamicTest.dynamicTest(
                p.getParent().getFileName() + "/" + p.getFileName(), () -> checkFile(CorpusFile.read(p))));
    }

    private static void checkFile(CorpusFile c) {
        List<String> wrong = new ArrayList<>();
        long t0 = System.nanoTime();
        Optional<CrashReport> got = PARSER.parse(c.log());
        long took = System.nanoTime() - t0;
        String gotTitle = got.map(CrashReport::title).orElse("");
        check(wrong, "title", c.title(), gotTitle);
        if (!c.title().isEmpty() && got.isPresent()) {
            CrashReport r = got.get();
            check(wrong, "alt", sorted(c.alts()), sorted(r.altTitles()));
            check(wrong, "type", c.type().isEmpty() ? "UNKNOWN" : c.type(), r.type());
            check(wrong, "corrupted", c.corrupted(), r.corrupted());
            check(wrong, "suppressed", c.suppressed(), r.suppressed());
            check(wrong, "panicked", c.panicked(), r.panicked());
            check(wrong, "executor", c.executor(), r.executor());
            if (!c.frame().isEmpty()) {
                check(wrong, "frame", c.frame(), r.frame());
            }
            if (c.report() != null && !c.name().startsWith("symbolize/")) {
                check(wrong, "report", c.report(), String.join("\n", r.reportLines()) + "\n");
            }
            if (!c.start().isEmpty()) {
                String end = c.end().isEmpty() ? c.start() : c.end();
                int startLine = CorpusFile.lineOf(c.log(), c.log().indexOf(c.start()));
                int endLine = CorpusFile.lineOf(c.log(), c.log().indexOf(end) + end.length());
                check(wrong, "start/end", startLine + "-" + endLine, r.startLine() + "-" + r.endLine());
            }
            // syzkaller's invariants: parsing from the report start finds the same report...
            if (r.startLine() > 1) {
                Optional<CrashReport> again = PARSER.parse(fromLine(c.log(), r.startLine()));
                check(wrong, "reparse-from-start", r.title(), again.map(CrashReport::title).orElse("<none>"));
                // ...and parsing after its region finds what parseAll reports next (syzkaller: nothing
                // more, as its region spans every later oops line; here a region stops where the next
                // report starts, so parseAll can return it).
                List<CrashReport> all = PARSER.parseAll(c.log());
                check(wrong, "next-after-end", all.size() > 1 ? all.get(1).title() : "<none>",
                        PARSER.parse(fromLine(c.log(), r.endLine() + 1)).map(CrashReport::title).orElse("<none>"));
            }
        }
        synchronized (RATES) {
            if (took > slowest) {
                slowest = took;
                slowestName = c.name();
            }
            wrong.forEach(w -> MISMATCHES.add(c.name() + " " + w));
        }
        assertThat(wrong).as(c.name()).isEmpty();
    }

    @AfterAll
    static void printRates() {
        System.out.println("== syzkaller corpus (report/, all_report/, symbolize/): per-field rates");
        RATES.forEach((k, v) -> System.out.printf("  %-20s %d/%d (%.1f%%)%n", k, v[0], v[1],
                v[1] == 0 ? 100.0 : 100.0 * v[0] / v[1]));
        System.out.printf("  slowest parse: %s in %.1f ms%n", slowestName, slowest / 1e6);
        System.out.println("== mismatches (" + MISMATCHES.size() + ")");
        MISMATCHES.forEach(m -> System.out.println("  " + m));
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    private static String fromLine(String text, int line1) {
        int pos = 0;
        for (int l = 1; l < line1 && pos >= 0; l++) {
            pos = text.indexOf('\n', pos);
            if (pos >= 0) {
                pos++;
            }
        }
        return pos < 0 ? "" : text.substring(pos);
    }

    private static void check(List<String> wrong, String field, Object want, Object got) {
        boolean ok = want.equals(got);
        synchronized (RATES) {
            int[] rate = RATES.get(field);
            rate[0] += ok ? 1 : 0;
            rate[1]++;
        }
        if (!ok) {
            String w = String.valueOf(want);
            String g = String.valueOf(got);
            if (w.length() > 300) {
                w = w.substring(0, 300) + "...";
                g = g.length() > 300 ? g.substring(0, 300) + "..." : g;
            }
            wrong.add(field + ": want [" + w + "] got [" + g + "]");
        }
    }
}
