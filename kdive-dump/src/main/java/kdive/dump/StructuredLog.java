package kdive.dump;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
            return new Layout((int) vi.required("SIZE", s), off(vi, s, "ts_nsec"), off(vi, s, "len"),
                    off(vi, s, "text_len"), off(vi, s, "dict_len"),
                    (int) vi.findOffset(s + ".caller_id").orElse(-1));
        }

        private static int off(VmcoreInfo vi, String s, String member) {
            return (int) vi.required("OFFSET", s + "." + member);
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
        if (first >= len || next >= len || h.size < 16 || h.dictLen + 4 > h.size) {
            throw new ValidationException("log_first_idx %d, log_next_idx %d or SIZE(printk_log) %d do not fit log_buf_len %d"
                    .formatted(first, next, h.size, len));
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
