package kdive.dump;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kdive.io.FaultException;

/**
 * The lockless printk ringbuffer (Linux 5.10+, kernel/printk/printk_ringbuffer.h) read with
 * nothing but vmcoreinfo: SYMBOL(prb) and the OFFSET/SIZE entries the kernel exports for this
 * purpose (kernel/printk/printk.c log_buf_vmcoreinfo_setup). Records are walked from tail_id to
 * head_id; only committed or finalized descriptors whose id matches are shown, as the kernel's
 * own reader does.
 */
final class PrbLog {
    /** state_var: the top two bits are the state, the rest the descriptor id (DESC_FLAGS_SHIFT). */
    private static final int STATE_SHIFT = 62;
    private static final long ID_MASK = (1L << STATE_SHIFT) - 1;
    private static final int DESC_COMMITTED = 1;
    private static final int DESC_FINALIZED = 2;
    /** Bound on the walk: the ring never holds more descriptors than 2^count_bits. */
    private static final int MAX_COUNT_BITS = 24;
    /**
     * PRB_AVGBITS: the kernel sizes its text ring at 2^5 bytes per descriptor, for the static ring
     * (_DEFINE_PRINTKRB) and for one sized by log_buf_len= (setup_log_buf) alike.
     */
    private static final int AVG_BITS = 5;
    /** Largest plausible SIZE(prb_desc) and SIZE(printk_info) (6.x: 24 and 88 bytes). */
    private static final long MAX_STRUCT = 4096;

    private final KernelMemory mem;
    private final VmcoreInfo vi;
    private final java.util.function.Consumer<String> warn;
    private long descSize;
    private long infoSize;

    private PrbLog(KernelMemory mem, VmcoreInfo vi, java.util.function.Consumer<String> warn) {
        this.mem = mem;
        this.vi = vi;
        this.warn = warn;
    }

    static List<LogRecord> read(VmcoreInfo vi, KernelMemory mem, java.util.function.Consumer<String> warn) {
        return new PrbLog(mem, vi, warn).records();
    }

    /**
     * The descriptor and info layouts vmcoreinfo gives must hold the fields read from them: with
     * SIZE(prb_desc) 0 every descriptor would be read at one address and the log shrink to one line
     * without a word. A layout that cannot be right is refused, naming the entries.
     */
    private void checkLayout() {
        descSize = vi.required("SIZE", "prb_desc");
        infoSize = vi.required("SIZE", "printk_info");
        long lpos = off("prb_desc.text_blk_lpos");
        long descNeeds = Math.max(off("prb_desc.state_var") + 8,
                lpos + Math.max(off("prb_data_blk_lpos.begin"), off("prb_data_blk_lpos.next")) + 8);
        long infoNeeds = Math.max(Math.max(off("printk_info.seq"), off("printk_info.ts_nsec")) + 8,
                Math.max(off("printk_info.text_len"), off("printk_info.caller_id")) + 4);
        if (descSize < descNeeds || descSize > MAX_STRUCT) {
            throw layout("SIZE(prb_desc) %d, but its state_var and text_blk_lpos need %d bytes".formatted(descSize, descNeeds));
        }
        if (infoSize < infoNeeds || infoSize > MAX_STRUCT) {
            throw layout("SIZE(printk_info) %d, but its seq, ts_nsec, text_len and caller_id need %d bytes"
                    .formatted(infoSize, infoNeeds));
        }
    }

    private kdive.io.FormatException layout(String what) {
        return new kdive.io.FormatException(vi.file(), -1,
                "vmcoreinfo's printk ringbuffer layout is inconsistent: " + what);
    }

    /**
     * count_bits as the kernel's invariant allows: 1 to 24 and size_bits - 5. A count_bits outside
     * its range (a wrong OFFSET(prb_desc_ring.count_bits)) is replaced by the one size_bits implies;
     * a disagreement inside the ranges is kept and warned about.
     */
    private int countBits(int countBits, int sizeBits, long rb) {
        boolean countOk = countBits >= 1 && countBits <= MAX_COUNT_BITS;
        boolean sizeOk = sizeBits > AVG_BITS && sizeBits <= 40;
        if (countOk && sizeOk && countBits + AVG_BITS == sizeBits) {
            return countBits;
        }
        if (!countOk && sizeOk && sizeBits - AVG_BITS <= MAX_COUNT_BITS) {
            warn.accept(("printk ringbuffer: count_bits %d is impossible (OFFSET(prb_desc_ring.count_bits) wrong?); "
                    + "using %d from size_bits %d").formatted(countBits, sizeBits - AVG_BITS, sizeBits));
            return sizeBits - AVG_BITS;
        }
        if (!countOk || !sizeOk) {
            throw new FaultException(rb, 8, "printk ringbuffer with count_bits %d, size_bits %d is corrupt"
                    .formatted(countBits, sizeBits));
        }
        warn.accept("printk ringbuffer: count_bits %d and size_bits %d disagree (the kernel keeps size_bits = count_bits + %d); the log may be incomplete"
                .formatted(countBits, sizeBits, AVG_BITS));
        return countBits;
    }

    private long off(String structMember) { return vi.required("OFFSET", structMember); }

    private List<LogRecord> records() {
        long rb = mem.u64(vi.symbol("prb"));
        long descRing = rb + off("printk_ringbuffer.desc_ring");
        long textRing = rb + off("printk_ringbuffer.text_data_ring");
        checkLayout();
        int sizeBits = (int) mem.u32(textRing + off("prb_data_ring.size_bits"));
        int countBits = countBits((int) mem.u32(descRing + off("prb_desc_ring.count_bits")), sizeBits, rb);
        var ring = new Ring(mem.u64(descRing + off("prb_desc_ring.descs")), mem.u64(descRing + off("prb_desc_ring.infos")),
                1L << countBits, mem.u64(textRing + off("prb_data_ring.data")), sizeBits);
        long head = mem.u64(descRing + off("prb_desc_ring.head_id")) & ID_MASK;
        long tail = mem.u64(descRing + off("prb_desc_ring.tail_id")) & ID_MASK;
        long span = ((head - tail) & ID_MASK) + 1;
        if (span > ring.count) {
            warn.accept("printk ringbuffer: tail_id %d to head_id %d spans %d descriptors, more than the ring's %d; read the last %d"
                    .formatted(tail, head, span, ring.count, ring.count));
            tail = (head - ring.count + 1) & ID_MASK;
            span = ring.count;
        }
        var out = new ArrayList<LogRecord>();
        long n = 0;
        for (long id = tail; n <= ring.count; id = (id + 1) & ID_MASK, n++) {
            record(ring, id).ifPresent(out::add);
            if (id == head) {
                break;
            }
        }
        // Descriptors still being written are skipped, but a crashed kernel has at most one per CPU.
        if (span > 1 && out.size() * 2L < span) {
            warn.accept("printk ringbuffer: only %d of the %d descriptors from tail_id to head_id hold a finished record; the ring or its vmcoreinfo layout is damaged"
                    .formatted(out.size(), span));
        }
        return out;
    }

    private record Ring(long descs, long infos, long count, long data, int sizeBits) {}

    private Optional<LogRecord> record(Ring ring, long id) {
        long idx = id & (ring.count - 1);
        long desc = ring.descs + idx * descSize;
        long sv = mem.u64(desc + off("prb_desc.state_var"));
        int state = (int) (sv >>> STATE_SHIFT);
        if ((sv & ID_MASK) != id || (state != DESC_COMMITTED && state != DESC_FINALIZED)) {
            return Optional.empty();
        }
        long lpos = desc + off("prb_desc.text_blk_lpos");
        long begin = mem.u64(lpos + off("prb_data_blk_lpos.begin"));
        long next = mem.u64(lpos + off("prb_data_blk_lpos.next"));
        long info = ring.infos + idx * infoSize;
        long seq = mem.u64(info + off("printk_info.seq"));
        long ts = mem.u64(info + off("printk_info.ts_nsec"));
        long textLenAt = info + off("printk_info.text_len");
        byte[] meta = mem.bytes(textLenAt, 4); // u16 text_len, u8 facility, u8 flags:5 level:3
        int textLen = (meta[0] & 0xff) | (meta[1] & 0xff) << 8;
        long caller = mem.u32(info + off("printk_info.caller_id"));
        String text = text(ring, begin, next, textLen);
        return Optional.of(new LogRecord(seq, ts, (meta[3] & 0xff) >>> 5, meta[2] & 0xff, caller, text));
    }

    /** The text of a data block (get_data() in printk_ringbuffer.c): after its 8-byte id, possibly wrapped to the start. */
    private String text(Ring ring, long begin, long next, int textLen) {
        if ((begin & 1) != 0 && (next & 1) != 0) {
            return ""; // data-less record (LPOS_DATALESS)
        }
        long size = 1L << ring.sizeBits;
        long start;
        long len;
        if (begin >>> ring.sizeBits == next >>> ring.sizeBits) {
            start = begin & (size - 1);
            len = next - begin;
        } else if ((begin + size) >>> ring.sizeBits == next >>> ring.sizeBits) {
            start = 0;
            len = next & (size - 1);
        } else {
            return "";
        }
        long avail = Math.max(0, Math.min(len - 8, size - start - 8));
        int n = (int) Math.min(textLen, avail);
        return new String(mem.bytes(ring.data + start + 8, n), StandardCharsets.UTF_8);
    }
}
