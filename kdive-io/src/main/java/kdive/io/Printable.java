package kdive.io;

/**
 * Text from a dump or a log made safe for a terminal, as dmesg prints the kernel log: a C0 control
 * character but tab and newline becomes {@code \xHH}, so an escape sequence or a NUL planted in a
 * kernel message (a command line, a device name) is shown, never interpreted. DEL and the C1
 * controls (U+0080-U+009F; U+009B is a one-character CSI to some terminals) become backslash, u00HH
 * instead: JSON serializers leave them raw, and that form is also a valid JSON escape of the same
 * character, so one filter on standard output serves text and JSON alike.
 */
public final class Printable {
    private Printable() {}

    /** {@code s} with every control character but tab and newline escaped; {@code s} itself when clean. */
    public static String escape(String s) {
        int first = firstUnsafe(s);
        if (first < 0) {
            return s;
        }
        var b = new StringBuilder(s.length() + 8).append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            if (unsafe(c)) {
                b.append(c < 0x20 ? "\\x" : "\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code s} escaped and in double quotes, for naming a value from the input in a message. */
    public static String quote(String s) {
        return '"' + escape(s) + '"';
    }

    private static int firstUnsafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (unsafe(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unsafe(char c) {
        return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f);
    }
}
