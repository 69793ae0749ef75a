package kdive.dump;

import kdive.io.FaultException;

/**
 * The machine's physical memory as a dump holds it. Reads never invent bytes: a page the dump
 * does not hold raises {@link FaultException} saying why (excluded by the dump filter, a hole,
 * beyond the dump, truncated file). Implementations are thread-safe.
 */
public interface PhysicalMemory extends MemoryReader {

    /** Size of the dump's pages in bytes (4096 on x86-64). */
    int pageSize();

    /** One past the highest physical address the dump describes. */
    long endAddress();

    /** Whether the page holding {@code paddr} can be read, and if not, why. */
    PageState state(long paddr);

    /** Copies {@code length} bytes at {@code paddr} into {@code dst} at {@code offset}. */
    @Override
    void read(long paddr, byte[] dst, int offset, int length);
}
