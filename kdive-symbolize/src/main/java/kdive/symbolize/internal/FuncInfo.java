package kdive.symbolize.internal;

import java.util.ArrayList;
import java.util.List;
import kdive.dwarf.AddressRange;

/**
 * One subprogram / inlined subroutine / entry point of a unit, as binutils' {@code funcinfo}
 * keeps it (bfd/dwarf2.c): the name it resolved, whether that name is final ("linkage"),
 * its address ranges in binutils' merge order, and for inlined code the caller and call site.
 */
public final class FuncInfo {
    final int index;
    final int tag;
    final long dieOffset;
    String name;
    boolean isLinkage;
    FuncInfo caller;
    String callFile;
    long callLine;
    final List<long[]> ranges = new ArrayList<>(1);

    FuncInfo(int index, int tag, long dieOffset) {
        this.index = index;
        this.tag = tag;
        this.dieOffset = dieOffset;
    }

    /**
     * Adds {@code [low, high)} the way binutils' arange_add does: empty ranges are dropped, the
     * first range fills the head, a range touching an existing one extends it, others go right
     * after the head. Range lengths (and so the best-fit choice) depend on this merging.
     */
    void addRange(long low, long high) {
        if (low == high) {
            return;
        }
        if (ranges.isEmpty()) {
            ranges.add(new long[] {low, high});
            return;
        }
        for (long[] r : ranges) {
            if (low == r[1]) {
                r[1] = high;
                return;
            }
            if (high == r[0]) {
                r[0] = low;
                return;
            }
        }
        ranges.add(1, new long[] {low, high});
    }

    void addRanges(List<AddressRange> list) {
        for (AddressRange r : list) {
            addRange(r.low(), r.high());
        }
    }

    long firstLow() {
        return ranges.isEmpty() ? 0 : ranges.get(0)[0];
    }

    public String name() {
        return name;
    }

    public boolean isLinkageName() {
        return isLinkage;
    }

    public boolean isInlined() {
        return tag == kdive.dwarf.DwTag.INLINED_SUBROUTINE;
    }

    public FuncInfo caller() {
        return caller;
    }

    public String callFile() {
        return callFile;
    }

    public long callLine() {
        return callLine;
    }

    public long firstRangeLow() {
        return firstLow();
    }

    /** binutils replaces a non-linkage name by the ELF symbol starting where the function does. */
    public void rename(String newName) {
        name = newName;
    }

    /** binutils stops consulting the symbol table for this function after the first lookup. */
    public void markLinkage() {
        isLinkage = true;
    }
}
