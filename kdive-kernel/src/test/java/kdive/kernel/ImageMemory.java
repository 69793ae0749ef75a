package kdive.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import kdive.dump.PageState;
import kdive.dump.PhysicalMemory;
import kdive.io.FaultException;

/** Physical memory held in a byte array, for tests that lay out page tables or objects by hand. */
final class ImageMemory implements PhysicalMemory {
    private final byte[] bytes;
    private final ByteBuffer words;

    ImageMemory(int size) {
        bytes = new byte[size];
        words = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    void putLong(long paddr, long value) {
        words.putLong((int) paddr, value);
    }

    void put(long paddr, byte[] b) {
        System.arraycopy(b, 0, bytes, (int) paddr, b.length);
    }

    @Override
    public int pageSize() { return 4096; }

    @Override
    public long endAddress() { return bytes.length; }

    @Override
    public PageState state(long paddr) {
        return Long.compareUnsigned(paddr, bytes.length) < 0 ? PageState.PRESENT : PageState.ABSENT;
    }

    @Override
    public void read(long paddr, byte[] dst, int offset, int length) {
        if (Long.compareUnsigned(paddr, bytes.length) >= 0 || paddr + length > bytes.length) {
            throw new FaultException(paddr, length, "beyond the image");
        }
        System.arraycopy(bytes, (int) paddr, dst, offset, length);
    }
}
