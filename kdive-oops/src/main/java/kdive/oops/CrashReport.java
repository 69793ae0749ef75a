package kdive.oops;

import java.util.List;
import java.util.Optional;

/**
 * One kernel crash found in a log, as syzkaller's Linux report parser would describe it.
 *
 * @param title the bucket key: same text as syzkaller's title (e.g. {@code "KASAN: use-after-free Read in foo"})
 * @param altTitles alternative titles used for de-duplication (e.g. {@code "bad-access in foo"})
 * @param type syzkaller's crash class (e.g. {@code "KASAN-READ"}, {@code "NULL-POINTER-DEREFERENCE"}),
 *        or {@code "UNKNOWN"} when the title maps to none
 * @param frame the guilty function named in the title, empty when none
 * @param corrupted the report is truncated, interleaved or has no usable stack
 * @param corruptedReason why {@code corrupted} was set, empty when it was not
 * @param suppressed a known non-kernel noise pattern is in the log
 * @param panicked the log holds "Kernel panic - not syncing"
 * @param executor {@code "proc=P, id=N"} when the report names a syz-executor task, else empty
 * @param startLine first line of the report in the log (1-based)
 * @param endLine last line of the report in the log (1-based, inclusive)
 * @param reportLines the report's lines with timestamps and caller ids removed
 */
public record CrashReport(
        String title,
        List<String> altTitles,
        String type,
        String frame,
        boolean corrupted,
        String corruptedReason,
        boolean suppressed,
        boolean panicked,
        String executor,
        int startLine,
        int endLine,
        List<String> reportLines) {

    public CrashReport {
        altTitles = List.copyOf(altTitles);
        reportLines = List.copyOf(reportLines);
    }

    public Optional<String> frameIfAny() {
        return frame.isEmpty() ? Optional.empty() : Optional.of(frame);
    }
}
