package kdive.dump;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Kernel virtual memory as the log readers see it: {@link X86Paging#read} on a dump, a byte image in tests. */
@FunctionalInterface
interface KernelMemory {
    ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    void read(long vaddr, byte[] dst, int offset, int length);

    default byte[] bytes(long vaddr, int length) {
        byte[] out = new byte[length];
        read(vaddr, out, 0, length);
        return out;
    }

    default long u64(long vaddr) {
        return MemorySegment.ofArray(bytes(vaddr, 8)).get(U64, 0);
    }

    default long u32(long vaddr) {
        return Integer.toUnsignedLong(MemorySegment.ofArray(bytes(vaddr, 4)).get(U32, 0));
    }
}
