package kdive.dump;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kdive.io.ValidationException;

/**
 * The printk buffer of Linux before 3.5: a plain character ring log_buf of log_buf_len bytes (a
 * power of two) holding "<N>[    1.234567] text\n" lines, where log_end counts every character
 * ever written (its low bits index the ring) and logged_chars how many are still held. All four
 * are vmcoreinfo SYMBOL()s. Each line becomes one record; its "<N>" level and "[s.us]" time, as
 * printk wrote them, become the record's level and timestamp. The first line may be the tail of
 * a line the ring overwrote: it is shown as it is, as crash and makedumpfile do.
 */
final class PlainLog {
    private static final long MAX_BUF = 1L << 30;
    private static final Pattern PREFIX = Pattern.compile("(?:<(\\d{1,3})>)?(?:\\[ *(\\d{1,10})\\.(\\d{6})\\] )?");

    private PlainLog() {}

    static List<LogRecord> read(VmcoreInfo vi, KernelMemory mem) {
        long buf = mem.u64(vi.symbol("log_buf"));
        long len = mem.u32(vi.symbol("log_buf_len"));
        long end = mem.u32(vi.symbol("log_end"));
        if (len == 0 || len > MAX_BUF || Long.bitCount(len) != 1) {
            throw new ValidationException("log_buf_len %d is not a power of two up to 1 GiB".formatted(len));
        }
        long held = vi.findSymbol("logged_chars").isPresent() ? mem.u32(vi.symbol("logged_chars")) : Math.min(end, len);
        held = Math.min(held, Math.min(end, len));
        byte[] ring = mem.bytes(buf, (int) len);
        byte[] text = new byte[(int) held];
        for (int i = 0; i < held; i++) {
            text[i] = ring[(int) ((end - held + i) & (len - 1))];
        }
        return parse(new String(text, StandardCharsets.UTF_8));
    }

    /** One record per line of the buffer's text. */
    static List<LogRecord> parse(String text) {
        var out = new ArrayList<LogRecord>();
        String[] lines = text.split("\n", -1);
        int n = lines.length - (text.endsWith("\n") || text.isEmpty() ? 1 : 0);
        for (int i = 0; i < n; i++) {
            Matcher m = PREFIX.matcher(lines[i]);
            m.lookingAt(); // every group is optional, so it always matches
            int level = m.group(1) == null ? -1 : Integer.parseInt(m.group(1));
            long ts = m.group(2) == null ? LogRecord.NO_TIMESTAMP
                    : Long.parseLong(m.group(2)) * 1_000_000_000L + Long.parseLong(m.group(3)) * 1000;
            // "<N>" may carry a facility too (LOG_MAKEPRI): the level is its low three bits.
            out.add(new LogRecord(out.size(), ts, level < 0 ? -1 : level & 7, level < 0 ? -1 : level >> 3, 0,
                    lines[i].substring(m.end())));
        }
        return out;
    }
}
