package kdive.dump;

import java.util.ArrayList;
import java.util.List;

/**
 * One record of the kernel log (struct printk_info + its text).
 *
 * @param tsNsec local_clock() at logging time, as the "[seconds.micros]" prefix shows it
 * @param level console log level 0-7 (KERN_EMERG..KERN_DEBUG)
 */
public record LogRecord(long seq, long tsNsec, int level, int facility, long callerId, String text) {

    /** The record as dmesg and the console print it: "[    2.855165] text", one prefix per line. */
    public List<String> lines() {
        String prefix = "[%5d.%06d] ".formatted(tsNsec / 1_000_000_000L, tsNsec % 1_000_000_000L / 1000);
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
