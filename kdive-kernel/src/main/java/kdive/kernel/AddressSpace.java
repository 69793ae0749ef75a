package kdive.kernel;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import kdive.dump.MemoryReader;
import kdive.dump.PhysicalMemory;
import kdive.dump.X86Paging;
import kdive.io.FaultException;
import kdive.kernel.arch.PageTable;

/**
 * A program's memory: kernel virtual addresses read through its page tables, and the physical
 * memory under them ({@link #physical()}). Every reader of a program goes through here (rd, vtop,
 * the log, the helpers), so all of them see the same translation, with the same SME mask.
 * Thread-safe.
 */
public final class AddressSpace implements MemoryReader, Memory {
    private static final long PAGE = 4096;
    private static final int TLB_MAX = 1 << 14;

    private final PhysicalMemory physical;
    private final PageTable pages;
    /**
     * Translations by virtual page (a software TLB of at most {@link #TLB_MAX} pages, emptied when
     * full): a helper reads a dozen fields of each task, and walking four table levels for each
     * costs more than the reads themselves.
     */
    private final ConcurrentHashMap<Long, Long> tlb = new ConcurrentHashMap<>();

    public AddressSpace(PhysicalMemory physical, PageTable pages) {
        this.physical = Objects.requireNonNull(physical);
        this.pages = Objects.requireNonNull(pages);
    }

    /** The physical memory, for physical reads (rd -p). */
    public PhysicalMemory physical() { return physical; }

    public PageTable pageTable() { return pages; }

    /** The page-table walk for {@code vaddr}, with its steps (uncached: vtop shows every level). */
    public X86Paging.Translation translate(long vaddr) {
        return pages.walk(vaddr);
    }

    /** Physical address of {@code vaddr}; {@link FaultException} when it is not mapped. */
    public long toPhysical(long vaddr) {
        return page(vaddr, vaddr, 1) + (vaddr & (PAGE - 1));
    }

    /** Copies kernel virtual memory a page at a time; a fault names the first address that failed. */
    @Override
    public void read(long vaddr, byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        int done = 0;
        while (done < length) {
            long va = vaddr + done;
            long pa = page(va, vaddr, length);
            int n = (int) Math.min(length - done, PAGE - (va & (PAGE - 1)));
            physical.read(pa + (va & (PAGE - 1)), dst, offset + done, n);
            done += n;
        }
    }

    /** The physical address of {@code va}'s 4 KiB page; {@code vaddr, length} is the whole read, for the fault. */
    private long page(long va, long vaddr, int length) {
        long page = va & ~(PAGE - 1);
        Long pa = tlb.get(page);
        if (pa == null) {
            X86Paging.Translation t = pages.walk(page);
            if (t.paddr().isEmpty()) {
                throw new FaultException(vaddr, length, "0x%016x: %s".formatted(va, t.fault()));
            }
            pa = t.paddr().get();
            if (tlb.size() >= TLB_MAX) {
                tlb.clear();
            }
            tlb.put(page, pa);
        }
        return pa;
    }

    @Override
    public long u64(long vaddr) {
        return MemoryReader.super.u64(vaddr);
    }
}
