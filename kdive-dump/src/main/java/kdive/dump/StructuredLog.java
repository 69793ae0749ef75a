package kdive.dump;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kdive.io.FormatException;
import kdive.io.ValidationException;

/**
 * The printk ring of Linux 3.5-5.9: records of struct printk_log (named struct log before 3.11)
 * packed one after the other in log_buf, each header followed by its text and dictionary, from
 * log_first_idx up to log_next_idx. A header whose len is 0 marks where the writer wrapped to the
 * start of the buffer (log_store() zeroes it when the next record does not fit). Everything comes
 * from vmcoreinfo: SYMBOL(log_buf, log_buf_len, log_first_idx, log_next_idx), SIZE(printk_log)
 * and OFFSET(printk_log.ts_nsec, len, text_len, dict_len[, caller_id]). The facility and the
 * flags:5/level:3 byte are not exported; they are the two bytes after dict_len in every version.
 */
final class StructuredLog {
    /** Largest log_buf_len read whole; the kernel rounds it to a power of two, usually 128 KiB to 8 MiB. */
    private static final long MAX_BUF = 1L << 30;
    /** enum log_flags (kernel/printk/printk.c, 3.6-5.9). */
    private static final int LOG_NEWLINE = 2;
    private static final int LOG_CONT = 8;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private StructuredLog() {}

    /** Header layout of one kernel's struct printk_log. */
    private record Layout(int size, int ts, int len, int textLen, int dictLen, int callerId) {
        static Layout of(VmcoreInfo vi) {
            String s = vi.findSize("printk_log").isPresent() ? "printk_log" : "log";
            long size = vi.required("SIZE", s);
            long ts = off(vi, s, "ts_nsec");
            long len = off(vi, s, "len");
            long text = off(vi, s, "text_len");
            long dict = off(vi, s, "dict_len");
            long caller = vi.findOffset(s + ".caller_id").orElse(-1);
            // Each field must lie in the header (dict_len with the facility and level bytes after it).
            boolean fits = size >= 16 && size <= 256 && within(ts, 8, size) && within(len, 2, size)
                    && within(text, 2, size) && within(dict, 4, size) && (caller == -1 || within(caller, 4, size));
            if (!fits) {
                throw new FormatException(vi.file(), vi.offset(),
                        "SIZE(%s) between 16 and 256 holding its OFFSET()s, got %d".formatted(s, size));
            }
            return new Layout((int) size, (int) ts, (int) len, (int) text, (int) dict, (int) caller);
        }

        private static boolean within(long off, int width, long size) {
            return off >= 0 && off + width <= size;
        }

        private static long off(VmcoreInfo vi, String s, String member) {
            return vi.required("OFFSET", s + "." + member);
        }
    }

    static List<LogRecord> read(VmcoreInfo vi, KernelMemory mem) {
        Layout h = Layout.of(vi);
        long buf = mem.u64(vi.symbol("log_buf"));
        long len = mem.u32(vi.symbol("log_buf_len"));
        long first = mem.u32(vi.symbol("log_first_idx"));
        long next = mem.u32(vi.symbol("log_next_idx"));
        if (len == 0 || len > MAX_BUF || Long.bitCount(len) != 1) {
            throw new ValidationException("log_buf_len %d is not a power of two up to 1 GiB".formatted(len));
        }
        if (first >= len || next >= len) {
            throw new ValidationException("log_first_idx %d or log_next_idx %d is past log_buf_len %d"
                    .formatted(first, next, len));
        }
        return walk(MemorySegment.ofArray(mem.bytes(buf, (int) len)), h, first, next);
    }

    private static List<LogRecord> walk(MemorySegment b, Layout h, long first, long next) {
        long size = b.byteSize();
        var out = new ArrayList<LogRecord>();
        int prevFlags = LOG_NEWLINE;
        long idx = first;
        // Each record takes at least a header, so the walk ends within size / header steps (+1 wrap).
        for (long steps = 0; idx != next; steps++) {
            if (steps > size / h.size + 1 || idx + h.size > size) {
                throw new ValidationException("printk_log at log_buf+%d: the walk from log_first_idx %d never reaches log_next_idx %d"
                        .formatted(idx, first, next));
            }
            int recLen = Short.toUnsignedInt(b.get(U16, idx + h.len));
            if (recLen == 0) {
                idx = 0; // the writer wrapped here
                continue;
            }
            int textLen = Short.toUnsignedInt(b.get(U16, idx + h.textLen));
            int dictLen = Short.toUnsignedInt(b.get(U16, idx + h.dictLen));
            if (idx + recLen > size || h.size + textLen + dictLen > recLen) {
                throw new ValidationException("printk_log at log_buf+%d: len %d does not hold header %d + text %d + dict %d"
                        .formatted(idx, recLen, h.size, textLen, dictLen) + " within log_buf_len " + size);
            }
            long ts = b.get(KernelMemory.U64, idx + h.ts);
            int facility = Byte.toUnsignedInt(b.get(ValueLayout.JAVA_BYTE, idx + h.dictLen + 2));
            int flagsLevel = Byte.toUnsignedInt(b.get(ValueLayout.JAVA_BYTE, idx + h.dictLen + 3));
            long caller = h.callerId < 0 ? 0 : Integer.toUnsignedLong(b.get(KernelMemory.U32, idx + h.callerId));
            String text = new String(b.asSlice(idx + h.size, textLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            int flags = flagsLevel & 0x1f;
            if ((flags & LOG_CONT) != 0 && (prevFlags & LOG_NEWLINE) == 0 && !out.isEmpty()) {
                // A pr_cont() fragment stored on its own: the console printed it on the previous line.
                LogRecord p = out.removeLast();
                out.add(new LogRecord(p.seq(), p.tsNsec(), p.level(), p.facility(), p.callerId(), p.text() + text));
            } else {
                out.add(new LogRecord(out.size(), ts, flagsLevel >>> 5, facility, caller, text));
            }
            prevFlags = flags;
            idx += recLen;
        }
        return out;
    }
}
