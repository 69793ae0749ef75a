package kdive.oops.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A console log cut into lines, each normalised so that syzkaller's rules see what they expect:
 * {@code \r} removed, a block indentation every line shares removed, syslog/journal/{@code dmesg -T}
 * prefixes and mail quoting removed ({@link PastePrefix}), a bare {@code <4>} log level or caller id
 * removed, and very long lines cut. Line {@code i} here is line
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
            out.add(cut(text, pos, end));
            pos = end + 1;
        }
        int indent = commonIndentation(out);
        String[] lines = new String[out.size()];
        for (int i = 0; i < lines.length; i++) {
            String line = out.get(i);
            lines[i] = normalize(indent > 0 ? line.substring(Math.min(indent, PastePrefix.indentation(line))) : line);
        }
        return new LogLines(lines);
    }

    /**
     * Leading blanks every non-blank line shares: a log pasted into a forum or mail as an indented
     * block. The kernel never indents a report's header line, so a real log has none.
     */
    static int commonIndentation(List<String> lines) {
        int min = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                min = Math.min(min, PastePrefix.indentation(line));
                if (min == 0) {
                    return 0;
                }
            }
        }
        return min == Integer.MAX_VALUE ? 0 : min;
    }

    public int size() {
        return lines.length;
    }

    public String get(int i) {
        return lines[i];
    }

    private static String cut(String text, int start, int end) {
        if (end - start > MAX_LINE) {
            end = start + MAX_LINE;
        }
        String line = text.substring(start, end);
        return line.indexOf('\r') >= 0 ? line.replace("\r", "") : line;
    }

    static String normalize(String line) {
        line = stripSyslogPrefix(line);
        line = stripBareLevel(line);
        return stripBareCaller(line);
    }

    /**
     * A {@code [ T123]}/{@code [ C1]} caller id with no timestamp before it (a log copied from a console
     * that showed only CONFIG_PRINTK_CALLER ids); after a timestamp it stays, as syzkaller's contexts use it.
     */
    static String stripBareCaller(String line) {
        if (line.length() < 5 || line.charAt(0) != '[') {
            return line;
        }
        int i = 1;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        if (i >= line.length() || line.charAt(i) != 'T' && line.charAt(i) != 'C') {
            return line;
        }
        int d = ++i;
        while (i < line.length() && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
            i++;
        }
        if (i == d || i + 1 >= line.length() || line.charAt(i) != ']' || line.charAt(i + 1) != ' ') {
            return line;
        }
        return line.substring(i + 2);
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
        if (isTimestamp(line, i + 1)) {
            return line;
        }
        return line.substring(i + 1);
    }

    /**
     * A {@code [  12.345678]} stamp at {@code at}: then the level stays for syzkaller's own rules. A
     * bracket that opens anything else ({@code [<8011218c>]} frames, {@code [fc14ef08] *pgd=}) is
     * message text, and the level before it goes.
     */
    private static boolean isTimestamp(String line, int at) {
        int i = at;
        if (i >= line.length() || line.charAt(i++) != '[') {
            return false;
        }
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        int digits = i;
        while (i < line.length() && Character.isDigit(line.charAt(i))) {
            i++;
        }
        if (i == digits || i >= line.length() || line.charAt(i) != '.') {
            return false;
        }
        int fraction = ++i;
        while (i < line.length() && Character.isDigit(line.charAt(i))) {
            i++;
        }
        return i > fraction && i < line.length() && line.charAt(i) == ']';
    }

    /**
     * {@code Nov 25 10:00:00 host kernel: msg} (syslog, journalctl), ISO-8601 stamps, {@code dmesg -T}
     * stamps and mail quoting become {@code msg}: see {@link PastePrefix}.
     */
    public static String stripSyslogPrefix(String line) {
        return PastePrefix.strip(line);
    }
}
