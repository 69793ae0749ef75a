package kdive.oops;

import java.util.List;
import java.util.Optional;

/**
 * Finds kernel crash reports in console output and titles them exactly as syzkaller's
 * {@code pkg/report} does for Linux, so titles can serve as fleet bucket keys.
 */
public final class ReportParser {

    private ReportParser() {}

    /** The parser for Linux logs (syzkaller's x86-64 configuration, as the corpus expects). */
    public static ReportParser linux() {
        return new ReportParser();
    }

    /** The first crash in {@code log}, or empty when it holds none. */
    public Optional<CrashReport> parse(String log) {
        List<CrashReport> all = parseAll(log);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    /** Every crash in {@code log}, in order; each search starts after the previous report's end. */
    public List<CrashReport> parseAll(String log) {
        return List.of(); // filled in by the title/report rules
    }

    /**
     * A cheap pre-filter for streaming: false means this line cannot start or belong to the
     * header of a crash report, so a scanner may drop it without parsing.
     */
    public boolean mayStartReport(String line) {
        return false;
    }
}
