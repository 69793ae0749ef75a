package kdive.oops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kdive.oops.internal.HeaderScanner;
import kdive.oops.internal.LinuxReportParser;
import kdive.oops.internal.LinuxReportParser.RawReport;
import kdive.oops.internal.LinuxRules;
import kdive.oops.internal.LogLines;
import kdive.oops.internal.Rx;
import kdive.oops.internal.TitleRules;

/**
 * Finds kernel crash reports in console output and titles them exactly as syzkaller's
 * {@code pkg/report} does for Linux, so titles can serve as fleet bucket keys.
 *
 * <p>Besides syzkaller's console logs ({@code [  time]}, {@code [  time][  T123]} prefixes) it reads
 * dmesg and vmcore-dmesg.txt output, syslog/journal lines ({@code Nov 25 10:00:00 host kernel: ...})
 * and bare {@code <4>} log levels. Instances are immutable and thread-safe; work is linear in the
 * input size (regular expressions run on RE2/J, and each report looks at a bounded window).
 */
public final class ReportParser {

    private static final ReportParser LINUX = new ReportParser();

    private final LinuxReportParser engine = new LinuxReportParser();
    private final HeaderScanner headers = LinuxReportParser.headerScanner();

    private ReportParser() {}

    /** The parser for Linux logs (syzkaller's x86-64 configuration, as the corpus expects). */
    public static ReportParser linux() {
        return LINUX;
    }

    /** The first crash in {@code log}, or empty when it holds none. */
    public Optional<CrashReport> parse(String log) {
        LogLines lines = LogLines.of(log);
        RawReport raw = engine.parse(lines, 0);
        if (raw == null) {
            return Optional.empty();
        }
        return Optional.of(finish(raw, new LogFacts(lines), 0));
    }

    /**
     * Every crash in {@code log}, in order. A report's region ends where the next report starts
     * (an oops line that is not a continuation such as {@code Kernel panic - not syncing} or
     * {@code invalid opcode: 0000}); the search for the next report starts there.
     */
    public List<CrashReport> parseAll(String log) {
        LogLines lines = LogLines.of(log);
        List<CrashReport> out = new ArrayList<>();
        LogFacts facts = null;
        LinuxReportParser.Budget budget = new LinuxReportParser.Budget(lines);
        int from = 0;
        while (from < lines.size()) {
            RawReport raw = engine.parse(lines, from, budget);
            if (raw == null) {
                break;
            }
            if (facts == null) {
                facts = new LogFacts(lines);
            }
            out.add(finish(raw, facts, from));
            from = raw.nextSearchLine();
        }
        return List.copyOf(out);
    }

    /**
     * A cheap pre-filter for streaming: false means this line cannot start or belong to the
     * header of a crash report, so a scanner may drop it without parsing. True for every line
     * holding one of the oops header texts, whatever its prefixes (timestamps, caller ids,
     * {@code <4>} levels, syslog/journal prefixes).
     */
    public boolean mayStartReport(CharSequence line) {
        return headers.any(line);
    }

    /** {@link #mayStartReport(CharSequence)} over a line's raw bytes (any ASCII-compatible encoding). */
    public boolean mayStartReport(byte[] bytes, int offset, int length) {
        return headers.any(bytes, offset, length);
    }

    private static CrashReport finish(RawReport raw, LogFacts facts, int from) {
        String title = TitleRules.finish(raw.title());
        List<String> alts = new ArrayList<>(raw.altTitles().size());
        for (String alt : raw.altTitles()) {
            alts.add(TitleRules.finish(alt));
        }
        boolean corrupted = raw.corrupted();
        String reason = raw.corruptedReason();
        if (facts.gceHangup) {
            corrupted = true;
            if (reason.isEmpty()) {
                reason = "console connection lost (" + LinuxRules.GCE_CONSOLE_HANGUP + ")";
            }
        }
        return new CrashReport(
                title,
                alts,
                TitleRules.typeOf(title),
                TitleRules.frameOf(title),
                corrupted,
                corrupted ? reason : "",
                facts.suppressed,
                facts.lastPanicLine >= from,
                raw.executor(),
                raw.startLine() + 1,
                raw.endLine() + 1,
                raw.reportLines());
    }

    /** Whole-log facts: computed once per log, only when it holds a report. */
    private static final class LogFacts {
        private static final String PANIC = "Kernel panic - not syncing";
        private static final List<String> MARKERS = markers();
        private static final HeaderScanner SCANNER = new HeaderScanner(MARKERS);

        final boolean suppressed;
        final boolean gceHangup;
        final int lastPanicLine;

        /** Literal texts of the suppressions (each must start with one), the GCE hang-up, the panic. */
        private static List<String> markers() {
            List<String> m = new ArrayList<>();
            for (Rx r : LinuxRules.SUPPRESSIONS) {
                m.add(r.literal());
            }
            m.add(LinuxRules.GCE_CONSOLE_HANGUP);
            m.add(PANIC);
            return List.copyOf(m);
        }

        LogFacts(LogLines lines) {
            boolean supp = false;
            boolean gce = false;
            int panic = -1;
            int n = LinuxRules.SUPPRESSIONS.size();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                long hits = SCANNER.scan(line);
                if (hits == 0) {
                    continue;
                }
                for (int k = 0; k < n && !supp; k++) {
                    if ((hits & (1L << k)) != 0 && LinuxRules.SUPPRESSIONS.get(k).find(line)) {
                        supp = true;
                    }
                }
                if ((hits & (1L << n)) != 0) {
                    gce = true;
                }
                if ((hits & (1L << (n + 1))) != 0) {
                    panic = i;
                }
            }
            suppressed = supp;
            gceHangup = gce;
            lastPanicLine = panic;
        }
    }
}
