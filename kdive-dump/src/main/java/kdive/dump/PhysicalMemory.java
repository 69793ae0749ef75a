package kdive.dump;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import kdive.io.FaultException;

/**
 * The machine's physical memory as a dump holds it. Reads never invent bytes: a page the dump
 * does not hold raises {@link FaultException} saying why (excluded by the dump filter, a hole,
 * beyond the dump, truncated file). Implementations are thread-safe.
 */
public interface PhysicalMemory {

    /** Size of the dump's pages in bytes (4096 on x86-64). */
    int pageSize();

    /** One past the highest physical address the dump describes. */
    long endAddress();

    /** Whether the page holding {@code paddr} can be read, and if not, why. */
    PageState state(long paddr);

    /** Copies {@code length} bytes at {@code paddr} into {@code dst} at {@code offset}. */
    void read(long paddr, byte[] dst, int offset, int length);

    default byte[] read(long paddr, int length) {
        byte[] out = new byte[length];
        read(paddr, out, 0, length);
        return out;
    }

    default long u64(long paddr) {
        return MemorySegment.ofArray(read(paddr, 8))
                .get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
    }

    default long u32(long paddr) {
        return Integer.toUnsignedLong(MemorySegment.ofArray(read(paddr, 4))
                .get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0));
    }
}
