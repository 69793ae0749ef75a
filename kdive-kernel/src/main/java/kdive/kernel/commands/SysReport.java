package kdive.kernel.commands;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kdive.kernel.helpers.SysInfo;

/**
 * crash's {@code sys}: the helper's raw values named and formatted as crash prints them. The JSON
 * document is this record (values as printed, keys camelCase); the text is {@link #text()}.
 */
public record SysReport(String kernel, String dumpfile, String cpus, String date, String uptime, String loadAverage,
                        String tasks, String nodename, String release, String version, String machine, String memory,
                        String panic) {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss 'UTC' yyyy", Locale.ROOT);
    /** include/linux/sched/loadavg.h: avenrun is fixed point with 11 fractional bits. */
    private static final int FSHIFT = 11;

    public static SysReport of(SysInfo s) {
        return new SysReport(s.kernel() + (s.tainted() ? "  [TAINTED]" : ""),
                s.dumpFile() + (s.partial() ? "  [PARTIAL DUMP]" : ""),
                s.cpus() + (s.offlineCpus() > 0 ? " [OFFLINE: %d]".formatted(s.offlineCpus()) : ""),
                DATE.format(Instant.ofEpochSecond(s.crashTime()).atZone(ZoneOffset.UTC)), uptime(s.uptimeSeconds()),
                loadAverage(s.loadAverage()), Integer.toString(s.tasks()), s.nodename(), s.release(), s.version(),
                "%s  (%d Mhz)".formatted(s.machine(), s.mhz()), memory(s.memoryBytes()),
                s.panic().orElse("(not found: the log needs vmcoreinfo)"));
    }

    /** crash's uptime: "HH:MM:SS", with "N days, " in front past a day. */
    static String uptime(long seconds) {
        long d = seconds / 86400;
        long s = seconds % 86400;
        String hms = "%02d:%02d:%02d".formatted(s / 3600, s / 60 % 60, s % 60);
        return d == 0 ? hms : "%d day%s, %s".formatted(d, d == 1 ? "" : "s", hms);
    }

    /** LOAD_INT.LOAD_FRAC as the kernel's /proc/loadavg rounds them (fs/proc/loadavg.c). */
    static String loadAverage(double[] avenrun) {
        var parts = new ArrayList<String>();
        for (double v : avenrun) {
            long a = (long) v + (1L << FSHIFT) / 200;
            parts.add("%d.%02d".formatted(a >> FSHIFT, ((a & ((1L << FSHIFT) - 1)) * 100) >> FSHIFT));
        }
        return String.join(", ", parts);
    }

    /** crash's MEMORY: "255.5 MB", "4 GB". */
    static String memory(long bytes) {
        double mb = bytes / (1024.0 * 1024);
        if (mb >= 1024) {
            double gb = mb / 1024;
            return gb == Math.floor(gb) ? "%d GB".formatted((long) gb) : "%.1f GB".formatted(gb);
        }
        return mb == Math.floor(mb) ? "%d MB".formatted((long) mb) : "%.1f MB".formatted(mb);
    }

    /** The rows crash prints: its field names and the values. */
    public List<String[]> rows() {
        return List.of(new String[] {"KERNEL", kernel}, new String[] {"DUMPFILE", dumpfile}, new String[] {"CPUS", cpus},
                new String[] {"DATE", date}, new String[] {"UPTIME", uptime}, new String[] {"LOAD AVERAGE", loadAverage},
                new String[] {"TASKS", tasks}, new String[] {"NODENAME", nodename}, new String[] {"RELEASE", release},
                new String[] {"VERSION", version}, new String[] {"MACHINE", machine}, new String[] {"MEMORY", memory},
                new String[] {"PANIC", panic});
    }

    /** crash's layout: names right-aligned to 12 columns. */
    public List<String> text() {
        return rows().stream().map(r -> "%12s: %s".formatted(r[0], r[1])).toList();
    }
}
