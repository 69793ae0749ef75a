package kdive.dump;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Little-endian memory, physical or virtual: one copy primitive and the fixed-size reads every
 * reader needs, so no reader keeps its own u64/u32 helpers. A read the memory cannot serve raises
 * {@link kdive.io.FaultException} naming the address.
 */
@FunctionalInterface
public interface MemoryReader {
    ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Copies {@code length} bytes at {@code address} into {@code dst} at {@code offset}. */
    void read(long address, byte[] dst, int offset, int length);

    default byte[] read(long address, int length) {
        byte[] out = new byte[length];
        read(address, out, 0, length);
        return out;
    }

    default int u8(long address) {
        return read(address, 1)[0] & 0xff;
    }

    default int u16(long address) {
        return Short.toUnsignedInt(MemorySegment.ofArray(read(address, 2)).get(U16, 0));
    }

    default long u32(long address) {
        return Integer.toUnsignedLong(MemorySegment.ofArray(read(address, 4)).get(U32, 0));
    }

    default long u64(long address) {
        return MemorySegment.ofArray(read(address, 8)).get(U64, 0);
    }

    /** An unsigned integer of 1 to 8 bytes. */
    default long unsigned(long address, int size) {
        byte[] b = read(address, size);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }
}
