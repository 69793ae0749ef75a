package kdive.dump;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kdive.io.FaultException;

/**
 * Writes kernel log records the way a 3.5-5.9 kernel (ring of struct printk_log) or a pre-3.5
 * kernel (plain character ring) stores them, into a small kernel memory image with the
 * vmcoreinfo such a kernel exports. Only the storage rules are modelled: a record goes where
 * log_next_idx points, a zeroed header marks a wrap, the oldest records are dropped to make
 * room (log_store, log_make_free_space). The records themselves come from real dumps.
 */
final class LegacyPrintkWriter {
    static final long LOG_BUF = 0xffff888001000000L;
    private static final long VARS = 0xffffffff82000000L;

    /** A struct printk_log variant: its name in vmcoreinfo, header size, caller_id, record alignment. */
    record Layout(String struct, int size, boolean callerId, int align) {
        static final Layout V3_5 = new Layout("log", 16, false, 8);       // struct log, 64-bit alignment
        static final Layout V4_19 = new Layout("printk_log", 16, false, 4); // x86: __packed __aligned(4)
        static final Layout V5_1_CALLER = new Layout("printk_log", 20, true, 4); // CONFIG_PRINTK_CALLER
    }

    /** A record to store: flags are enum log_flags (LOG_NEWLINE 2, LOG_CONT 8). */
    record Entry(LogRecord rec, String dict, int flags) {}

    /** Kernel memory made of a few regions; reads outside them fault, as unmapped memory does. */
    record Image(VmcoreInfo vmcoreInfo, TreeMap<Long, byte[]> regions, long firstKept) implements KernelMemory {
        @Override
        public void read(long vaddr, byte[] dst, int offset, int length) {
            Map.Entry<Long, byte[]> e = regions.floorEntry(vaddr);
            if (e == null || vaddr - e.getKey() + length > e.getValue().length) {
                throw new FaultException(vaddr, length, "0x%x is not mapped in the test image".formatted(vaddr));
            }
            System.arraycopy(e.getValue(), (int) (vaddr - e.getKey()), dst, offset, length);
        }
    }

    private LegacyPrintkWriter() {}

    static Image structured(List<Entry> entries, Layout l, int bufLen) {
        ByteBuffer b = ByteBuffer.allocate(bufLen).order(ByteOrder.LITTLE_ENDIAN);
        int first = 0;
        int next = 0;
        long firstSeq = 0;
        long nextSeq = 0;
        for (Entry e : entries) {
            byte[] text = e.rec().text().getBytes(StandardCharsets.UTF_8);
            byte[] dict = e.dict().getBytes(StandardCharsets.UTF_8);
            int size = (l.size() + text.length + dict.length + l.align() - 1) / l.align() * l.align();
            // Drop the oldest records until the new one fits with room for a wrap header.
            while (firstSeq < nextSeq && !hasSpace(first, next, bufLen, size + l.size(), false)) {
                first = following(b, first);
                firstSeq++;
            }
            if (firstSeq == nextSeq) {
                first = next;
            }
            if (next + size + l.size() > bufLen) {
                b.put(next, new byte[l.size()]); // len 0: the reader continues at 0
                if (first == next) {
                    first = 0;
                }
                next = 0;
            }
            b.putLong(next, e.rec().tsNsec()).putShort(next + 8, (short) size).putShort(next + 10, (short) text.length)
                    .putShort(next + 12, (short) dict.length).put(next + 14, (byte) e.rec().facility())
                    .put(next + 15, (byte) (e.rec().level() << 5 | e.flags()));
            if (l.callerId()) {
                b.putInt(next + 16, (int) e.rec().callerId());
            }
            b.put(next + l.size(), text).put(next + l.size() + text.length, dict);
            next += size;
            nextSeq++;
        }
        String s = l.struct();
        String vmcoreinfo = """
                SYMBOL(log_buf)=%x
                SYMBOL(log_buf_len)=%x
                SYMBOL(log_first_idx)=%x
                SYMBOL(clear_idx)=%x
                SYMBOL(log_next_idx)=%x
                SIZE(%s)=%d
                OFFSET(%s.ts_nsec)=0
                OFFSET(%s.len)=8
                OFFSET(%s.text_len)=10
                OFFSET(%s.dict_len)=12
                """.formatted(VARS, VARS + 8, VARS + 16, VARS + 20, VARS + 24, s, l.size(), s, s, s, s)
                + (l.callerId() ? "OFFSET(%s.caller_id)=16\n".formatted(s) : "");
        return image(vmcoreinfo, b.array(), bufLen, first, next, firstSeq);
    }

    /** log_next(): the record after {@code idx}, following a wrap header (len 0) to the start. */
    private static int following(ByteBuffer b, int idx) {
        int len = Short.toUnsignedInt(b.getShort(idx + 8));
        return len == 0 ? Short.toUnsignedInt(b.getShort(8)) : idx + len;
    }

    /** logbuf_has_space(): contiguous free bytes after log_next_idx or before log_first_idx. */
    private static boolean hasSpace(int first, int next, int bufLen, int need, boolean empty) {
        int free = next > first || empty ? Math.max(bufLen - next, first) : first - next;
        return free >= need;
    }

    /** The pre-3.5 buffer: every line "<level>[time] text\n" appended at log_end, the ring indexed by its low bits. */
    static Image plain(List<LogRecord> records, int bufLen) {
        var all = new StringBuilder();
        for (LogRecord r : records) {
            for (String line : r.lines()) {
                all.append('<').append(r.level()).append('>').append(line).append('\n');
            }
        }
        byte[] text = all.toString().getBytes(StandardCharsets.UTF_8);
        byte[] ring = new byte[bufLen];
        for (int i = 0; i < text.length; i++) {
            ring[i & (bufLen - 1)] = text[i];
        }
        String vmcoreinfo = "SYMBOL(log_buf)=%x\nSYMBOL(log_end)=%x\nSYMBOL(log_buf_len)=%x\nSYMBOL(logged_chars)=%x\n"
                .formatted(VARS, VARS + 16, VARS + 8, VARS + 24);
        return image(vmcoreinfo, ring, bufLen, text.length, Math.min(text.length, bufLen), 0);
    }

    /** Variables at VARS: log_buf pointer, log_buf_len, then two u32 indexes at +16 and +24 (and +20 clear_idx). */
    private static Image image(String vmcoreinfo, byte[] buf, int bufLen, int a, int b, long firstKept) {
        ByteBuffer vars = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        vars.putLong(0, LOG_BUF).putInt(8, bufLen).putInt(16, a).putInt(24, b);
        var regions = new TreeMap<Long, byte[]>();
        regions.put(VARS, vars.array());
        regions.put(LOG_BUF, buf);
        return new Image(VmcoreInfo.parse("test-vmcoreinfo", 0, vmcoreinfo), regions, firstKept);
    }
}
