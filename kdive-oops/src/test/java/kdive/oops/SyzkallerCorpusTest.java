package kdive.oops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Table-driven check against syzkaller's own golden outputs: every file of the report corpus is
 * parsed and each field compared. Per-field match rates and the title mismatches are printed.
 */
class SyzkallerCorpusTest {

    private static final ReportParser PARSER = ReportParser.linux();

    /** Matched/total per field. */
    private static final class Rate {
        int ok;
        int total;

        void add(boolean match) {
            total++;
            if (match) {
                ok++;
            }
        }

        double pct() {
            return total == 0 ? 100.0 : 100.0 * ok / total;
        }

        @Override
        public String toString() {
            return String.format("%d/%d (%.1f%%)", ok, total, pct());
        }
    }

    @Test
    void corpusMatchesSyzkaller() throws IOException {
        List<Path> files = new ArrayList<>(CorpusFile.files("report"));
        files.addAll(CorpusFile.files("all_report"));
        files.addAll(CorpusFile.files("symbolize"));
        assertThat(files).as("corpus files under " + CorpusFile.corpusRoot()).hasSizeGreaterThan(100);

        Map<String, Rate> rates = new LinkedHashMap<>();
        for (String f : List.of("title", "alt", "type", "corrupted", "suppressed", "panicked", "executor", "frame",
                "report", "start/end", "reparse-from-start", "next-after-end")) {
            rates.put(f, new Rate());
        }
        List<String> titleMismatches = new ArrayList<>();
        List<String> otherMismatches = new ArrayList<>();
        long slowest = 0;
        String slowestName = "";
        for (Path p : files) {
            CorpusFile c = CorpusFile.read(p);
            long t0 = System.nanoTime();
            Optional<CrashReport> got = PARSER.parse(c.log());
            long took = System.nanoTime() - t0;
            if (took > slowest) {
                slowest = took;
                slowestName = c.name();
            }
            String gotTitle = got.map(CrashReport::title).orElse("");
            boolean titleOk = gotTitle.equals(c.title());
            rates.get("title").add(titleOk);
            if (!titleOk) {
                titleMismatches.add(c.name() + ": want [" + c.title() + "] got [" + gotTitle + "]"
                        + got.map(r -> " (" + r.corruptedReason() + ")").orElse(""));
            }
            if (c.title().isEmpty() || got.isEmpty()) {
                continue;
            }
            CrashReport r = got.get();
            check(rates, otherMismatches, c, "alt", sorted(c.alts()), sorted(r.altTitles()));
            check(rates, otherMismatches, c, "type", c.type().isEmpty() ? "UNKNOWN" : c.type(), r.type());
            check(rates, otherMismatches, c, "corrupted", c.corrupted(), r.corrupted());
            check(rates, otherMismatches, c, "suppressed", c.suppressed(), r.suppressed());
            check(rates, otherMismatches, c, "panicked", c.panicked(), r.panicked());
            check(rates, otherMismatches, c, "executor", c.executor(), r.executor());
            if (!c.frame().isEmpty()) {
                check(rates, otherMismatches, c, "frame", c.frame(), r.frame());
            }
            if (c.report() != null && !c.name().startsWith("symbolize/")) {
                String text = String.join("\n", r.reportLines()) + "\n";
                check(rates, otherMismatches, c, "report", c.report(), text);
            }
            if (!c.start().isEmpty()) {
                String end = c.end().isEmpty() ? c.start() : c.end();
                int startLine = CorpusFile.lineOf(c.log(), c.log().indexOf(c.start()));
                int endLine = CorpusFile.lineOf(c.log(), c.log().indexOf(end) + end.length());
                check(rates, otherMismatches, c, "start/end", startLine + "-" + endLine, r.startLine() + "-" + r.endLine());
            }
            // syzkaller's invariants: parsing from the report start finds the same report...
            if (r.startLine() > 1) {
                String from = fromLine(c.log(), r.startLine());
                Optional<CrashReport> again = PARSER.parse(from);
                check(rates, otherMismatches, c, "reparse-from-start", r.title(),
                        again.map(CrashReport::title).orElse("<none>"));
                // ...and parsing after its region finds what parseAll reports next (syzkaller: nothing
                // more, as its region spans every later oops line; here a region stops where the next
                // report starts, so parseAll can return it).
                String after = fromLine(c.log(), r.endLine() + 1);
                List<CrashReport> all = PARSER.parseAll(c.log());
                check(rates, otherMismatches, c, "next-after-end",
                        all.size() > 1 ? all.get(1).title() : "<none>",
                        PARSER.parse(after).map(CrashReport::title).orElse("<none>"));
            }
        }
        System.out.println("== syzkaller corpus: " + files.size() + " files (report/, all_report/, symbolize/)");
        rates.forEach((k, v) -> System.out.printf("  %-20s %s%n", k, v));
        System.out.printf("  slowest parse: %s in %.1f ms%n", slowestName, slowest / 1e6);
        System.out.println("== title mismatches (" + titleMismatches.size() + ")");
        titleMismatches.forEach(m -> System.out.println("  " + m));
        System.out.println("== other field mismatches (" + otherMismatches.size() + ")");
        otherMismatches.forEach(m -> System.out.println("  " + m));

        assertThat(rates.get("title").pct()).as("title match rate").isGreaterThanOrEqualTo(95.0);
        assertThat(rates.get("alt").pct()).as("alt match rate").isGreaterThanOrEqualTo(90.0);
        assertThat(rates.get("type").pct()).as("type match rate").isGreaterThanOrEqualTo(95.0);
        assertThat(rates.get("corrupted").pct()).as("corrupted match rate").isGreaterThanOrEqualTo(90.0);
        assertThat(rates.get("suppressed").pct()).as("suppressed match rate").isGreaterThanOrEqualTo(95.0);
        assertThat(rates.get("panicked").pct()).as("panicked match rate").isGreaterThanOrEqualTo(95.0);
        assertThat(rates.get("executor").pct()).as("executor match rate").isGreaterThanOrEqualTo(95.0);
        assertThat(rates.get("frame").pct()).as("frame match rate").isGreaterThanOrEqualTo(85.0);
        assertThat(rates.get("report").pct()).as("report text match rate").isGreaterThanOrEqualTo(80.0);
        assertThat(rates.get("reparse-from-start").pct()).as("reparse invariant").isGreaterThanOrEqualTo(95.0);
        assertThat(rates.get("next-after-end").pct()).as("continuation invariant").isGreaterThanOrEqualTo(95.0);
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

    private static void check(Map<String, Rate> rates, List<String> mismatches, CorpusFile c, String field,
                              Object want, Object got) {
        boolean ok = want.equals(got);
        rates.get(field).add(ok);
        if (!ok) {
            String w = String.valueOf(want);
            String g = String.valueOf(got);
            if (w.length() > 300) {
                w = w.substring(0, 300) + "...";
                g = g.length() > 300 ? g.substring(0, 300) + "..." : g;
            }
            mismatches.add(c.name() + " " + field + ": want [" + w + "] got [" + g + "]");
        }
    }
}
