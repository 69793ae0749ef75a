package kdive.oops;

import java.util.regex.Pattern;

/**
 * Removes what loggers put in front of a kernel message: syslog/journal headers
 * ({@code Nov 25 10:00:00 host kernel: }, ISO-8601 stamps), {@code <4>} console levels,
 * {@code [  123.456789]} timestamps and {@code [ T123]}/{@code [ C1]} caller ids
 * (CONFIG_PRINTK_CALLER), in any of the combinations real logs show.
 */
public final class LogPrefix {
    private static final Pattern PREFIX = Pattern.compile(
            "^(?:[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+ kernel: ?"
                    + "|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)? \\S+ kernel: ?)?"
                    + "(?:<\\d{1,2}>)?"
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
        if (line.isEmpty()) {
            return line;
        }
        char c = line.charAt(0);
        if (c != '[' && c != '<' && !Character.isLetterOrDigit(c)) {
            return line;
        }
        var m = PREFIX.matcher(line);
        return m.lookingAt() && m.end() > 0 ? line.substring(m.end()) : line;
    }
}
