package kdive.symbolize.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kdive.dwarf.AddressRange;
import kdive.dwarf.Dwarf;
import kdive.dwarf.Unit;
import kdive.io.FormatException;

/**
 * Which units may contain an address: the ranges of each unit's root DIE (DW_AT_low_pc/high_pc
 * or DW_AT_ranges) in a sorted array, plus the units that declare no range at all (binutils
 * searches those for every address).
 */
public final class UnitIndex {
    private final long[] lows;
    private final long[] highs;
    private final int[] units;
    private final long[] highWatermark;
    private final int[] rangeless;

    public UnitIndex(Dwarf dwarf) {
        var entries = new ArrayList<long[]>();
        var none = new ArrayList<Integer>();
        // Root DIEs are independent: read them on all cores.
        List<List<AddressRange>> all = dwarf.units().parallelStream().map(u -> {
            try {
                return dwarf.pcRanges(dwarf.root(u));
            } catch (FormatException e) {
                return (List<AddressRange>) null; // binutils marks such a unit as bad and never matches it
            }
        }).toList();
        for (Unit u : dwarf.units()) {
            List<AddressRange> ranges = all.get(u.index());
            if (ranges == null) {
                continue;
            }
            if (ranges.isEmpty()) {
                none.add(u.index());
            }
            for (AddressRange r : ranges) {
                entries.add(new long[] {r.low(), r.high(), u.index()});
            }
        }
        entries.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        int n = entries.size();
        lows = new long[n];
        highs = new long[n];
        units = new int[n];
        highWatermark = new long[n];
        long hw = 0;
        for (int i = 0; i < n; i++) {
            long[] e = entries.get(i);
            lows[i] = e[0];
            highs[i] = e[1];
            units[i] = (int) e[2];
            hw = Long.compareUnsigned(e[1], hw) > 0 ? e[1] : hw;
            highWatermark[i] = hw;
        }
        rangeless = none.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Indices of the units whose ranges contain {@code address}, in .debug_info order, then the rangeless ones. */
    public int[] candidates(long address) {
        int lo = 0;
        int hi = lows.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(lows[mid], address) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        var found = new ArrayList<Integer>();
        for (int i = lo - 1; i >= 0 && Long.compareUnsigned(highWatermark[i], address) > 0; i--) {
            if (Long.compareUnsigned(address, highs[i]) < 0 && !found.contains(units[i])) {
                found.add(units[i]);
            }
        }
        int[] out = found.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] all = Arrays.copyOf(out, out.length + rangeless.length);
        System.arraycopy(rangeless, 0, all, out.length, rangeless.length);
        return all;
    }
}
