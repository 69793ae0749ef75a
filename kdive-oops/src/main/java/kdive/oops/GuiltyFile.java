package kdive.oops;

import java.util.Optional;
import kdive.oops.internal.GuiltyRules;
import kdive.oops.internal.LinuxReportParser;
import kdive.oops.internal.LinuxReportParser.RawReport;
import kdive.oops.internal.LogLines;
import kdive.oops.internal.TitleRules;

/**
 * The source file to blame for a crash, as syzkaller's {@code extractGuiltyFile} picks it: the
 * first {@code file.c:line} of a symbolized report that is not generic infrastructure
 * (allocators, locking, printk, sanitizers, arch fault handling...), preferring a deeper path in
 * the same directory further down the trace.
 */
public final class GuiltyFile {

    private GuiltyFile() {}

    /**
     * The guilty file of a symbolized report (frames carry {@code file.c:line}). The report is
     * parsed first, as syzkaller does, to know its title and where the report proper begins.
     */
    public static Optional<String> extract(String symbolizedReport) {
        LogLines lines = LogLines.of(symbolizedReport);
        RawReport raw = new LinuxReportParser().parse(lines, 0);
        if (raw == null) {
            return nonEmpty(GuiltyRules.extract("", symbolizedReport));
        }
        StringBuilder text = new StringBuilder();
        int prefixLen = 0;
        for (int i = 0; i < raw.reportLines().size(); i++) {
            text.append(raw.reportLines().get(i)).append('\n');
            if (i < raw.prefixLines()) {
                prefixLen = text.length();
            }
        }
        String report = text.toString();
        // Parsing may cut a symbolized report short (inlined frames repeat the title line):
        // then the whole input is used, past the prefix syzkaller added (as its test does).
        if (!symbolizedReport.endsWith(report)) {
            report = symbolizedReport;
        }
        report = report.substring(Math.min(prefixLen, report.length()));
        return nonEmpty(GuiltyRules.extract(TitleRules.finish(raw.title()), report));
    }

    /** The guilty file given a known title and report text, without parsing (syzkaller's raw variant). */
    public static Optional<String> extract(String title, String report) {
        return nonEmpty(GuiltyRules.extract(title, report));
    }

    private static Optional<String> nonEmpty(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
