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

    private final KernelMemory mem;
    private final VmcoreInfo vi;

    private PrbLog(KernelMemory mem, VmcoreInfo vi) {
        this.mem = mem;
        this.vi = vi;
    }

    static List<LogRecord> read(VmcoreInfo vi, KernelMemory mem) {
        return new PrbLog(mem, vi).records();
    }

    private long off(String structMember) { return vi.required("OFFSET", structMember); }

    private List<LogRecord> records() {
        long rb = mem.u64(vi.symbol("prb"));
        long descRing = rb + off("printk_ringbuffer.desc_ring");
        long textRing = rb + off("printk_ringbuffer.text_data_ring");
        int countBits = (int) mem.u32(descRing + off("prb_desc_ring.count_bits"));
        int sizeBits = (int) mem.u32(textRing + off("prb_data_ring.size_bits"));
        if (countBits > MAX_COUNT_BITS || sizeBits > 40) {
            throw new FaultException(rb, 8, "printk ringbuffer with count_bits %d, size_bits %d is corrupt"
                    .formatted(countBits, sizeBits));
        }
        var ring = new Ring(mem.u64(descRing + off("prb_desc_ring.descs")), mem.u64(descRing + off("prb_desc_ring.infos")),
                1L << countBits, mem.u64(textRing + off("prb_data_ring.data")), sizeBits);
        long head = mem.u64(descRing + off("prb_desc_ring.head_id")) & ID_MASK;
        long tail = mem.u64(descRing + off("prb_desc_ring.tail_id")) & ID_MASK;
        var out = new ArrayList<LogRecord>();
        long n = 0;
        for (long id = tail; n <= ring.count; id = (id + 1) & ID_MASK, n++) {
            record(ring, id).ifPresent(out::add);
            if (id == head) {
                break;
            }
        }
        return out;
    }

    private record Ring(long descs, long infos, long count, long data, int sizeBits) {}

    private Optional<LogRecord> record(Ring ring, long id) {
        long idx = id & (ring.count - 1);
        long desc = ring.descs + idx * vi.required("SIZE", "prb_desc");
        long sv = mem.u64(desc + off("prb_desc.state_var"));
        int state = (int) (sv >>> STATE_SHIFT);
        if ((sv & ID_MASK) != id || (state != DESC_COMMITTED && state != DESC_FINALIZED)) {
            return Optional.empty();
        }
        long lpos = desc + off("prb_desc.text_blk_lpos");
        long begin = mem.u64(lpos + off("prb_data_blk_lpos.begin"));
        long next = mem.u64(lpos + off("prb_data_blk_lpos.next"));
        long info = ring.infos + idx * vi.required("SIZE", "printk_info");
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
