package kdive.dump;

import java.util.ArrayList;
import java.util.List;

/**
 * One record of the kernel log (struct printk_info or struct printk_log + its text, or one line
 * of a pre-3.5 character buffer).
 *
 * @param seq sequence number; for the 3.5-5.9 ring and the plain buffer, the position from the
 *     oldest record still held (their vmcoreinfo exports no sequence numbers)
 * @param tsNsec local_clock() at logging time, as the "[seconds.micros]" prefix shows it;
 *     {@link #NO_TIMESTAMP} for a plain-buffer line printed without one (printk.time=0)
 * @param level console log level 0-7 (KERN_EMERG..KERN_DEBUG); -1 when the buffer gave none
 * @param facility syslog facility (0 kernel); -1 when unknown
 * @param callerId CONFIG_PRINTK_CALLER's task/CPU id; 0 when the kernel does not record it
 */
public record LogRecord(long seq, long tsNsec, int level, int facility, long callerId, String text) {
    public static final long NO_TIMESTAMP = -1;

    /** Whether the record carries a timestamp. */
    public boolean hasTimestamp() { return tsNsec >= 0; }

    /** "[    2.855165] " as dmesg and the console print it, or "" without a timestamp. */
    public String timestamp() {
        return hasTimestamp() ? "[%5d.%06d] ".formatted(tsNsec / 1_000_000_000L, tsNsec % 1_000_000_000L / 1000) : "";
    }

    /** The record as dmesg and the console print it: "[    2.855165] text", one prefix per line. */
    public List<String> lines() {
        return lines(timestamp());
    }

    /** The record's lines, each after {@code prefix}; a trailing newline adds no empty line. */
    public List<String> lines(String prefix) {
        var out = new ArrayList<String>();
        for (String line : text.split("\n", -1)) {
            out.add(prefix + line);
        }
        if (out.size() > 1 && out.getLast().equals(prefix)) {
            out.removeLast();
        }
        return out;
    }
}
