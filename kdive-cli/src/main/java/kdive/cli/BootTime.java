package kdive.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * log -T's wall-clock prefix, from the boot time the kernel model reads out of the timekeeper
 * ({@link kdive.kernel.helpers.Timekeeping#bootEpochNanos}).
 */
final class BootTime {
    /** crash's log -T and ctime(3): "Wed Nov 25 14:19:10 UTC 2026", the day padded with a space. */
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss zzz yyyy", Locale.US);

    private BootTime() {}

    /**
     * "[Wed Nov 25 14:19:16 UTC 2026] " for a record logged {@code tsNsec} after boot: boot seconds
     * plus the record's whole seconds, as crash adds them.
     */
    static String prefix(long bootEpochNanos, long tsNsec, ZoneId zone) {
        long sec = Math.floorDiv(bootEpochNanos, 1_000_000_000L) + tsNsec / 1_000_000_000L;
        return "[" + CTIME.format(Instant.ofEpochSecond(sec).atZone(zone)) + "] ";
    }
}
