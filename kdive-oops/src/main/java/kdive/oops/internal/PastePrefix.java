package kdive.oops.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What loggers and people put in front of a kernel line before it reaches a bug report, removed so the
 * rules see the line the kernel printed:
 * <ul>
 *   <li>mail and forum quoting: {@code > }, {@code >> } (never {@code >ffff8880...:}, a KASAN shadow row);
 *   <li>syslog and journal headers with any locale's month name, with or without host and {@code kernel:}
 *       tag ({@code Jul 21 07:02:43 host kernel: }, {@code sept. 27 21:47:33 host kernel: },
 *       {@code Apr 15 13:58:08.549417 host kernel: }, {@code Aug 13 12:28:38 kernel: },
 *       {@code Jun 28 10:34:11 192.168.50.115 [ 1.0] ...} from a remote syslog that drops the tag);
 *   <li>ISO-8601 stamps ({@code rsyslog}, {@code journalctl -o short-iso}, {@code dmesg --time-format iso});
 *   <li>{@code dmesg -T} wall-clock stamps in any locale ({@code [Tue Jul 21 07:02:43 2020] },
 *       {@code [mar. juil. 21 07:02:43 2020] }) and {@code dmesg -H}'s ({@code [Mar 8 17:07] }, {@code [  +0.000005] });
 *   <li>a bare {@code kernel: } tag ({@code journalctl -o cat} cut by hand, syslogd's wall messages).
 * </ul>
 * Each pattern is anchored and has no nested quantifier, so a line costs time linear in the prefix
 * length; only the first {@link #WINDOW} characters are looked at.
 */
public final class PastePrefix {

    /** Longest prefix considered: a syslog header with a long host name and a fractional stamp. */
    static final int WINDOW = 160;

    private static final String CLOCK = "\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?";
    /** {@code Jul 21 07:02:43}: a month word in any script (letters, an abbreviation dot), day, clock. */
    private static final String MONTH_STAMP = "\\p{L}[\\p{L}.]{1,11} {1,2}\\d{1,2},? " + CLOCK;
    private static final String ISO_STAMP = "\\d{4}-\\d{2}-\\d{2}[T ]" + CLOCK + "(?:Z|[+-]\\d{2}:?\\d{2})?";
    /** The syslog tag, possibly after a host name; what follows is the kernel's message. */
    private static final Pattern SYSLOG = Pattern.compile(
            "(?:" + MONTH_STAMP + "|" + ISO_STAMP + ")(?: [^ ]{1,100})? kernel: ?");
    /** A remote syslog without the tag: stamp, host, then the kernel's own {@code [time]} or {@code <N>}. */
    private static final Pattern SYSLOG_NO_TAG = Pattern.compile(
            "(?:" + MONTH_STAMP + "|" + ISO_STAMP + ")(?: [^ \\[<]{1,100})? (?=\\[ *\\d+\\.\\d+\\]|<\\d{1,2}>\\[)");
    /** {@code dmesg --time-format iso}: the stamp and nothing else before the message. */
    private static final Pattern ISO_ALONE = Pattern.compile(ISO_STAMP + " ");
    /**
     * {@code dmesg -T}: a bracketed date with a clock ({@code [Tue Jul 21 07:02:43 2020]}); {@code dmesg -H}
     * starts a minute with {@code [Mar 8 17:07]}. The kernel's {@code [  12.345678]} has no colons.
     */
    private static final Pattern DMESG_T = Pattern.compile(
            "\\[[^\\[\\]:]{3,40}\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?[^\\[\\]:]{0,12}\\] ?");
    /** {@code dmesg -H}/{@code --reltime}: the time since the previous line ({@code [  +0.000005]}), never the kernel's. */
    private static final Pattern DMESG_DELTA = Pattern.compile("\\[ *[+-]\\d+\\.\\d+\\] ?");
    private static final Pattern BARE_TAG = Pattern.compile(" ?kernel:(?: |(?=\\[))");

    private PastePrefix() {}

    /** {@code line} without quoting markers and logger stamps; a line without them comes back as is. */
    public static String strip(String line) {
        String s = stripQuote(line);
        // Layers nest (a mail quoting a forwarded syslog line): a few rounds, each removing a stamp and the
        // quoting under it. The kernel's message is never touched: each pattern needs a date, a clock, the
        // kernel: tag or a quote marker followed by a space, which no kernel line starts with.
        for (int round = 0; round < 3 && !s.isEmpty(); round++) {
            String next = stripStamp(s);
            if (next == s) {
                break;
            }
            s = stripQuote(next);
        }
        return s;
    }

    /** Removes {@code >} quote markers: each followed by a space, another {@code >} or the line's end. */
    static String stripQuote(String s) {
        int i = 0;
        int n = s.length();
        int cut = 0;
        while (i < n && s.charAt(i) == '>') {
            if (i + 1 == n) {
                cut = n;
                break;
            }
            char c = s.charAt(i + 1);
            if (c == ' ') {
                i += 2;
                cut = i;
            } else if (c == '>') {
                i++;
                cut = i;
            } else {
                break;
            }
        }
        return cut == 0 ? s : s.substring(cut);
    }

    private static String stripStamp(String s) {
        List<Pattern> candidates = candidates(s);
        if (candidates.isEmpty()) {
            return s;
        }
        String window = s.length() > WINDOW ? s.substring(0, WINDOW) : s;
        for (Pattern p : candidates) {
            Matcher m = p.matcher(window);
            if (m.lookingAt()) {
                return s.substring(m.end());
            }
        }
        return s;
    }

    /**
     * The patterns that can match {@code s}, from its first characters: most kernel lines start with
     * {@code [  12.345678]}, {@code Call Trace:} or a register name and are dismissed here without a regex
     * (the parser runs this on every line of multi-GB logs).
     */
    private static List<Pattern> candidates(String s) {
        if (s.length() < 7) {
            return List.of();
        }
        char c = s.charAt(0);
        if (c == '[') {
            int close = s.indexOf(']');
            if (close < 0 || close > 60) {
                return List.of();
            }
            int i = 1;
            while (i < close && s.charAt(i) == ' ') {
                i++;
            }
            if (s.charAt(i) == '+' || s.charAt(i) == '-') {
                return List.of(DMESG_DELTA);
            }
            return s.lastIndexOf(':', close) > 0 ? List.of(DMESG_T) : List.of();
        }
        if (s.startsWith("kernel:") || s.startsWith(" kernel:")) {
            return List.of(BARE_TAG);
        }
        if (c >= '0' && c <= '9') {
            return s.length() > 19 && s.charAt(4) == '-' && s.charAt(7) == '-'
                    ? List.of(SYSLOG, SYSLOG_NO_TAG, ISO_ALONE) : List.of();
        }
        return Character.isLetter(c) && monthDayClock(s) ? List.of(SYSLOG, SYSLOG_NO_TAG) : List.of();
    }

    /** {@code Word 12 07:} or {@code Word  2 07:}: a month, a day and the clock's hours. */
    private static boolean monthDayClock(String s) {
        int i = 1;
        int n = Math.min(s.length(), 14);
        while (i < n && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i >= n || s.charAt(i) != ' ') {
            return false;
        }
        i++;
        if (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        int digits = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && digits < 3) {
            i++;
            digits++;
        }
        if (digits == 0 || digits > 2 || i >= s.length()) {
            return false;
        }
        if (s.charAt(i) == ',') {
            i++;
        }
        return i + 3 < s.length() && s.charAt(i) == ' ' && Character.isDigit(s.charAt(i + 1))
                && Character.isDigit(s.charAt(i + 2)) && s.charAt(i + 3) == ':';
    }

    /** Number of leading spaces and tabs. */
    static int indentation(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
