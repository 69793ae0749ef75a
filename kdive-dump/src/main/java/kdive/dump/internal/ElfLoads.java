package kdive.dump.internal;

import java.lang.foreign.MemorySegment;
import java.util.Comparator;
import java.util.List;
import kdive.dump.PageState;
import kdive.dump.PageStats;
import kdive.dump.PhysicalMemory;
import kdive.elf.ProgramHeader;
import kdive.io.FaultException;
import kdive.io.FormatException;

/**
 * Physical memory of an ELF vmcore: the PT_LOAD segments by physical address. Bytes past a
 * segment's p_filesz but within p_memsz were left out by the dump filter (makedumpfile -E keeps
 * the segment's size and drops its excluded tail); addresses outside every segment are absent.
 * Segments may overlap (/proc/kcore maps the kernel text both as itself and in the direct map):
 * both hold the same bytes.
 */
public final class ElfLoads implements PhysicalMemory {
    private static final int PAGE = 4096;
    private final ByteSource src;
    private final long[] paddr;
    private final long[] filesz;
    private final long[] memsz;
    private final long[] offset;

    public ElfLoads(ByteSource src, List<ProgramHeader> phdrs) {
        this.src = src;
        // /proc/kcore also maps vmalloc, modules and vmemmap: those segments have no physical
        // address (p_paddr -1, fs/proc/kcore.c) and are no part of physical memory.
        var sorted = phdrs.stream().filter(ProgramHeader::isLoad).filter(p -> p.paddr() != -1)
                .sorted(Comparator.comparingLong(ProgramHeader::paddr)
                        .thenComparing(Comparator.comparingLong(ProgramHeader::memsz).reversed())).toList();
        // A segment inside the one before it (kcore's text inside its direct-map segment) adds
        // nothing, and would hide the bigger one from the lookup by start address.
        var loads = new java.util.ArrayList<ProgramHeader>();
        for (ProgramHeader p : sorted) {
            ProgramHeader last = loads.isEmpty() ? null : loads.getLast();
            boolean inside = last != null && p.memsz() >= 0 && p.filesz() >= 0 && last.memsz() >= 0 && last.filesz() >= 0
                    && p.paddr() + p.memsz() <= last.paddr() + last.memsz()
                    && p.paddr() + p.filesz() <= last.paddr() + last.filesz();
            if (!inside) {
                loads.add(p);
            }
        }
        int n = loads.size();
        paddr = new long[n];
        filesz = new long[n];
        memsz = new long[n];
        offset = new long[n];
        for (int i = 0; i < n; i++) {
            ProgramHeader p = loads.get(i);
            if (p.filesz() < 0 || p.memsz() < 0 || p.offset() < 0 || p.filesz() > p.memsz()) {
                throw new FormatException(src.name(), -1, "PT_LOAD #%d with 0 <= p_filesz <= p_memsz, got 0x%x and 0x%x"
                        .formatted(p.index(), p.filesz(), p.memsz()));
            }
            paddr[i] = p.paddr();
            filesz[i] = p.filesz();
            memsz[i] = p.memsz();
            offset[i] = p.offset();
        }
    }

    @Override
    public int pageSize() { return PAGE; }

    @Override
    public long endAddress() {
        long end = 0;
        for (int i = 0; i < paddr.length; i++) {
            end = Math.max(end, paddr[i] + memsz[i]);
        }
        return end;
    }

    /** Segments whose p_offset + p_filesz lies past the end of the file, and the pages lost with them. */
    public java.util.Optional<kdive.dump.Truncation> truncation() {
        long expected = 0;
        long missing = 0;
        long dumped = 0;
        for (int i = 0; i < paddr.length; i++) {
            expected = Math.max(expected, offset[i] + filesz[i]);
            dumped += (filesz[i] + PAGE - 1) / PAGE;
            long present = Math.min(filesz[i], Math.max(0, src.size() - offset[i]));
            missing += (filesz[i] - present + PAGE - 1) / PAGE;
        }
        return expected <= src.size() ? java.util.Optional.empty()
                : java.util.Optional.of(new kdive.dump.Truncation(src.size(), expected, false, missing, dumped));
    }

    public PageStats stats() {
        long ram = 0;
        long dumped = 0;
        for (int i = 0; i < paddr.length; i++) {
            ram += memsz[i] / PAGE;
            dumped += Math.min(filesz[i], Math.max(0, src.size() - offset[i])) / PAGE;
        }
        return new PageStats(endAddress() / PAGE, ram, dumped, ram - dumped, -1);
    }

    private int find(long addr) {
        int lo = 0;
        int hi = paddr.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(paddr[mid], addr) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && Long.compareUnsigned(addr - paddr[found], memsz[found]) < 0 ? found : -1;
    }

    @Override
    public PageState state(long addr) {
        int i = find(addr);
        if (i < 0) {
            return PageState.ABSENT;
        }
        long in = addr - paddr[i];
        if (in >= filesz[i]) {
            return PageState.EXCLUDED;
        }
        // The page's bytes within this segment must all be in the file (a cut may split a page).
        long pageIn = Math.max(0, (addr & -PAGE) - paddr[i]);
        long end = offset[i] + Math.min(filesz[i], pageIn + PAGE);
        return end <= src.size() ? PageState.PRESENT : PageState.TRUNCATED;
    }

    @Override
    public void read(long addr, byte[] dst, int off, int length) {
        java.util.Objects.checkFromIndexSize(off, length, dst.length);
        int done = 0;
        while (done < length) {
            long a = addr + done;
            int i = find(a);
            if (i < 0) {
                throw new FaultException(addr, length, "physical address 0x%x is in no PT_LOAD of %s".formatted(a, src.name()));
            }
            long in = a - paddr[i];
            if (in >= filesz[i]) {
                throw new FaultException(addr, length,
                        "page 0x%x excluded by the dump filter (past p_filesz of its PT_LOAD)".formatted(a & -PAGE));
            }
            long n = Math.min(length - done, filesz[i] - in);
            long at = offset[i] + in;
            if (at + n > src.size()) {
                throw new FaultException(addr, length,
                        "physical address 0x%x: file offset 0x%x is past the end of %s (truncated dump)".formatted(a, at + Math.max(0, src.size() - at), src.name()));
            }
            MemorySegment.copy(src.slice(at, n), 0, MemorySegment.ofArray(dst), off + done, n);
            done += (int) n;
        }
    }
}
