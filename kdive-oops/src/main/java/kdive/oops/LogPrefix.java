package kdive.oops;

import java.util.regex.Pattern;
import kdive.oops.internal.LogLines;

/**
 * Removes what loggers and people put in front of a kernel message: syslog/journal headers in any
 * locale ({@code Nov 25 10:00:00 host kernel: }, ISO-8601 stamps, {@code dmesg -T} dates, {@code > } mail
 * quoting; see {@code PastePrefix}), {@code <4>} console levels,
 * {@code [  123.456789]} timestamps and {@code [ T123]}/{@code [ C1]} caller ids
 * (CONFIG_PRINTK_CALLER), in any of the combinations real logs show.
 */
public final class LogPrefix {
    /** What follows a syslog/journal header (removed by {@link LogLines#stripSyslogPrefix}). */
    private static final Pattern PREFIX = Pattern.compile(
            "^(?:<\\d{1,2}>)?"
                    + "(?:\\[ *\\d+\\.\\d+\\])?"
                    + "(?: ?\\[ *[TC]\\d+\\])?"
                    + " ?");

    private static final Pattern TIMESTAMP = Pattern.compile("\\[ *\\d+\\.\\d+\\]");

    private LogPrefix() {}

    /** Whether {@code line} carries a printk timestamp ({@code [  12.345678]}) in its prefix. */
    public static boolean hasTimestamp(String line) {
        int cut = line.length() - strip(line).length();
        return cut > 0 && TIMESTAMP.matcher(line).region(0, cut).find();
    }

    /** {@code line} without its logger prefix; lines without one come back unchanged. */
    public static String strip(String line) {
        String rest = LogLines.stripSyslogPrefix(line);
        if (rest.isEmpty()) {
            return rest;
        }
        if (rest == line && rest.charAt(0) == ' ') {
            return line; // no prefix: a leading space is the message's own (trace frames are indented)
        }
        var m = PREFIX.matcher(rest);
        return m.lookingAt() && m.end() > 0 ? rest.substring(m.end()) : rest;
    }
}
