package kdive.dump;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kdive.io.FaultException;
import kdive.io.LookupException;

/**
 * x86-64 virtual to physical translation through the kernel's page tables (Intel SDM vol. 3A
 * §4.5: 4-level and 5-level paging, 1 GiB pages at the PUD, 2 MiB at the PMD). The walk starts
 * at init_top_pgt, whose physical address follows from vmcoreinfo: a kernel-image virtual
 * address minus __START_KERNEL_map plus phys_base (arch/x86/include/asm/page_64.h
 * __phys_addr_nodebug). Works for every mapped kernel address: text, direct map, vmalloc,
 * modules, vmemmap. Thread-safe (stateless over {@link PhysicalMemory}).
 */
public final class X86Paging implements MemoryReader {
    /** __START_KERNEL_map (arch/x86/include/asm/page_64_types.h). */
    public static final long START_KERNEL_MAP = 0xffffffff80000000L;
    private static final long PRESENT = 1;
    private static final long PAGE_SIZE_BIT = 1 << 7;
    /** Physical address bits 12..51 of an entry (MAXPHYADDR 52). */
    private static final long ADDR_MASK = 0x000ffffffffff000L;

    private final PhysicalMemory memory;
    private final long rootPaddr;
    private final boolean fiveLevel;
    private final long physBase;
    private final long entryMask;

    /** One level of a walk: its name as crash's vtop prints it, where the entry is and its value. */
    public record Step(String level, long entryPaddr, long entry) {}

    /** A finished walk: the steps taken and the physical address, or why there is none. */
    public record Translation(long vaddr, List<Step> steps, Optional<Long> paddr, long pageSize, String fault) {
        public Translation {
            steps = List.copyOf(steps);
        }
    }

    public X86Paging(PhysicalMemory memory, long rootPaddr, boolean fiveLevel, long physBase, long smeMask) {
        this.memory = memory;
        this.rootPaddr = rootPaddr;
        this.fiveLevel = fiveLevel;
        this.physBase = physBase;
        this.entryMask = ADDR_MASK & ~smeMask; // AMD SME: the C-bit is no part of the address
    }

    /** Paging of the crashed kernel from its vmcoreinfo (SYMBOL(init_top_pgt), NUMBER(phys_base), ...). */
    public static X86Paging of(DumpFile dump) {
        VmcoreInfo vi = dump.vmcoreInfo().orElseThrow(() -> new LookupException(
                "%s: no vmcoreinfo, so the page tables cannot be found".formatted(dump.name())));
        return Kaslr.fromVmcoreInfo(vi).paging(dump.memory());
    }

    public long rootPaddr() { return rootPaddr; }

    public boolean fiveLevel() { return fiveLevel; }

    /** Physical address of a kernel-image (text/data/bss) address, without a walk. */
    public long kernelImageToPhysical(long vaddr) {
        return vaddr - START_KERNEL_MAP + physBase;
    }

    /** Walks the page tables for {@code vaddr}; a missing mapping is a result, not an exception. */
    public Translation walk(long vaddr) {
        var steps = new ArrayList<Step>(5);
        int bits = fiveLevel ? 57 : 48;
        long top = vaddr >> (bits - 1);
        if (top != 0 && top != -1) {
            return new Translation(vaddr, steps, Optional.empty(), 0,
                    "0x%016x is not canonical for %d-level paging".formatted(vaddr, fiveLevel ? 5 : 4));
        }
        String[] names = fiveLevel ? new String[] {"PGD", "P4D", "PUD", "PMD", "PTE"} : new String[] {"PGD", "PUD", "PMD", "PTE"};
        int shift = fiveLevel ? 48 : 39;
        long table = rootPaddr;
        for (String name : names) {
            long entryPaddr = table + ((vaddr >>> shift) & 0x1ff) * 8;
            long entry = memory.u64(entryPaddr);
            steps.add(new Step(name, entryPaddr, entry));
            if ((entry & PRESENT) == 0) {
                return new Translation(vaddr, steps, Optional.empty(), 0,
                        "%s entry 0x%016x is not present".formatted(name, entry));
            }
            boolean large = (entry & PAGE_SIZE_BIT) != 0 && (name.equals("PUD") || name.equals("PMD"));
            if (large || name.equals("PTE")) {
                long size = 1L << shift;
                long paddr = (entry & entryMask & -size) | (vaddr & (size - 1));
                return new Translation(vaddr, steps, Optional.of(paddr), size, "");
            }
            table = entry & entryMask;
            shift -= 9;
        }
        throw new IllegalStateException("unreachable: the PTE level always returns");
    }

    /** The physical address of {@code vaddr}; {@link FaultException} when it is not mapped. */
    public long toPhysical(long vaddr) {
        Translation t = walk(vaddr);
        return t.paddr().orElseThrow(() -> new FaultException(vaddr, 1, t.fault()));
    }

    /** Reads virtual memory, translating page by page (no cache: a program's AddressSpace keeps one). */
    @Override
    public void read(long vaddr, byte[] dst, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, dst.length);
        int done = 0;
        while (done < length) {
            long va = vaddr + done;
            Translation t = walk(va);
            if (t.paddr().isEmpty()) {
                throw new FaultException(vaddr, length, "0x%016x: %s".formatted(va, t.fault()));
            }
            long inPage = va & (t.pageSize() - 1);
            int n = (int) Math.min(length - done, t.pageSize() - inPage);
            n = Math.min(n, 4096 - (int) (va & 4095)); // keep physical reads page-sized
            memory.read(t.paddr().get(), dst, offset + done, n);
            done += n;
        }
    }
}
