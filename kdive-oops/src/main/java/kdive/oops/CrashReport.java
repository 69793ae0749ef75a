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
 * @param startLine the report's oops line in the log (1-based): the line with the header that
 *        started it ({@code BUG: ...}, {@code WARNING: ...}); syzkaller's {@code StartPos}
 * @param endLine the last oops-marker line of this report's region (1-based, inclusive), as in
 *        syzkaller's {@code EndPos}: the header line itself, or a later marker that continues the
 *        report ({@code Kernel panic - not syncing}, {@code invalid opcode: 0000},
 *        {@code PANIC: double fault}...). The region stops before the next report's oops line,
 *        where {@link ReportParser#parseAll} resumes. Call traces and registers usually lie
 *        after it: {@code reportLines} holds the text.
 * @param reportLines the report text as syzkaller extracts it ({@code Report}): up to 5 preceding
 *        lines of the same printk context (50 with {@code [T123]} caller ids), the oops line, then
 *        the following lines of the same context, with timestamps, caller ids, syslog prefixes and
 *        {@code " ? "} (unreliable) frames removed. Like syzkaller's, it runs on past the start of
 *        the next report (here for at most 2,000 more lines) and, in logs without caller ids, holds
 *        whatever follows the oops; a plain panic-on-warn panic stack after a long enough report is
 *        left out
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
