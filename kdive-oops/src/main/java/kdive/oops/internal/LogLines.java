package kdive.oops.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A console log cut into lines, each normalised so that syzkaller's rules see what they expect:
 * {@code \r} removed, syslog/journal prefixes ({@code Nov 25 10:00:00 host kernel: }) removed,
 * a bare {@code <4>} log level removed, and very long lines cut. Line {@code i} here is line
 * {@code i + 1} of the input: normalisation never merges or splits lines.
 */
public final class LogLines {

    /** Longer lines are cut to this many characters (kernel lines are at most 1 KiB). */
    public static final int MAX_LINE = 64 * 1024;

    private final String[] lines;

    private LogLines(String[] lines) {
        this.lines = lines;
    }

    public static LogLines of(String text) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        int len = text.length();
        while (pos < len) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? len : nl;
            out.add(normalize(text, pos, end));
            pos = end + 1;
        }
        return new LogLines(out.toArray(new String[0]));
    }

    public int size() {
        return lines.length;
    }

    public String get(int i) {
        return lines[i];
    }

    static String normalize(String text, int start, int end) {
        if (end - start > MAX_LINE) {
            end = start + MAX_LINE;
        }
        String line = text.substring(start, end);
        if (line.indexOf('\r') >= 0) {
            line = line.replace("\r", "");
        }
        line = stripSyslogPrefix(line);
        line = stripBareLevel(line);
        return line;
    }

    /** A {@code <N>} printk level not followed by a {@code [time]} stamp (syzkaller strips only {@code <N>[time]}). */
    static String stripBareLevel(String line) {
        if (line.length() < 3 || line.charAt(0) != '<') {
            return line;
        }
        int i = 1;
        while (i < line.length() && i < 5 && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
            i++;
        }
        if (i == 1 || i >= line.length() || line.charAt(i) != '>') {
            return line;
        }
        if (i + 1 < line.length() && line.charAt(i + 1) == '[') {
            return line;
        }
        return line.substring(i + 1);
    }

    private static final Rx SYSLOG_PREFIX = Rx.of(
            "^(?:[A-Z][a-z]{2} +[0-9]{1,2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?"
                    + "|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)"
                    + " [^ ]+ kernel: ?");

    /**
     * {@code Nov 25 10:00:00 host kernel: msg} (syslog, journalctl) and
     * {@code 2024-11-25T10:00:00.123+00:00 host kernel: msg} (rsyslog high-precision) become {@code msg}.
     */
    public static String stripSyslogPrefix(String line) {
        if (line.length() < 20) {
            return line;
        }
        char c0 = line.charAt(0);
        boolean month = c0 >= 'A' && c0 <= 'Z';
        boolean iso = c0 >= '0' && c0 <= '9';
        if (!month && !iso) {
            return line;
        }
        int k = line.indexOf(" kernel:");
        if (k < 0 || k > 160) {
            return line;
        }
        Rx.Match m = SYSLOG_PREFIX.search(line.substring(0, Math.min(line.length(), k + 9)));
        if (m == null || m.start() != 0) {
            return line;
        }
        return line.substring(m.end());
    }
}
