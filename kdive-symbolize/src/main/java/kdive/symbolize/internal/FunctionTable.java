package kdive.symbolize.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import kdive.dwarf.AttrValue;
import kdive.dwarf.Attribute;
import kdive.dwarf.Die;
import kdive.dwarf.DieReader;
import kdive.dwarf.DwAt;
import kdive.dwarf.DwTag;
import kdive.dwarf.Dwarf;
import kdive.dwarf.LineTable;
import kdive.dwarf.Unit;
import kdive.dwarf.UnitInfo;

/**
 * The functions of one unit and the address lookup binutils performs over them
 * ({@code scan_unit_for_symbols} and {@code lookup_address_in_function_table} in bfd/dwarf2.c):
 * the function with the smallest range containing the address wins, later DIEs winning ties.
 */
public final class FunctionTable {
    /** Abstract-origin chains deeper than this are treated as corrupt, as binutils does. */
    private static final int MAX_ORIGIN_DEPTH = 100;

    private final List<FuncInfo> funcs;
    /** Range entries sorted by low: {low, high, func index}. */
    private final long[][] entries;
    /** highWatermark[i] = max high over entries[0..i]. */
    private final long[] highWatermark;

    private FunctionTable(List<FuncInfo> funcs) {
        this.funcs = funcs;
        var list = new ArrayList<long[]>();
        for (FuncInfo f : funcs) {
            for (long[] r : f.ranges) {
                list.add(new long[] {r[0], r[1], f.index});
            }
        }
        list.sort(Comparator.<long[], Long>comparing(e -> e[0], Long::compareUnsigned)
                .thenComparing(e -> e[1], Long::compareUnsigned));
        this.entries = list.toArray(long[][]::new);
        this.highWatermark = new long[entries.length];
        long hw = 0;
        for (int i = 0; i < entries.length; i++) {
            hw = Long.compareUnsigned(entries[i][1], hw) > 0 ? entries[i][1] : hw;
            highWatermark[i] = hw;
        }
    }

    public int size() {
        return funcs.size();
    }

    /** The best-fit function for {@code address}, or null; addresses compare unsigned, as bfd_vma does. */
    public FuncInfo lookup(long address) {
        int hi = upperBound(address) - 1;
        FuncInfo best = null;
        long bestLen = -1;
        for (int i = hi; i >= 0 && Long.compareUnsigned(highWatermark[i], address) > 0; i--) {
            long[] e = entries[i];
            if (Long.compareUnsigned(address, e[0]) < 0 || Long.compareUnsigned(address, e[1]) >= 0) {
                continue;
            }
            long len = e[1] - e[0];
            FuncInfo f = funcs.get((int) e[2]);
            int c = Long.compareUnsigned(len, bestLen);
            if (c < 0 || c == 0 && best != null && f.index > best.index) {
                best = f;
                bestLen = len;
            }
        }
        return best;
    }

    private int upperBound(long address) {
        int lo = 0;
        int hi = entries.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(entries[mid][0], address) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Scans unit {@code u} for subprograms, entry points and inlined subroutines. */
    public static FunctionTable scan(Dwarf dwarf, Unit u, LineTable lines) {
        var funcs = new ArrayList<FuncInfo>();
        FuncInfo[] nested = new FuncInfo[64];
        UnitInfo info = dwarf.info(u);
        DieReader r = dwarf.dies(u);
        r.next(); // the root DIE; its children are at depth 1
        while (r.hasNext()) {
            int depth = r.depth();
            int tag = r.nextEntry();
            if (tag == 0) {
                continue;
            }
            if (depth >= nested.length) {
                nested = Arrays.copyOf(nested, depth * 2);
            }
            boolean isFunc = tag == DwTag.SUBPROGRAM || tag == DwTag.ENTRY_POINT || tag == DwTag.INLINED_SUBROUTINE;
            if (!isFunc) {
                nested[depth] = null;
                r.skipAttributes();
                continue;
            }
            Die d = r.readAttributes();
            var f = new FuncInfo(funcs.size(), d.tag(), d.offset());
            funcs.add(f);
            if (d.tag() == DwTag.INLINED_SUBROUTINE) {
                for (int i = depth - 1; i >= 0; i--) {
                    if (nested[i] != null) {
                        f.caller = nested[i];
                        break;
                    }
                }
            }
            nested[depth] = f;
            fill(dwarf, u, info, lines, d, f);
        }
        return new FunctionTable(funcs);
    }

    private static void fill(Dwarf dwarf, Unit u, UnitInfo info, LineTable lines, Die d, FuncInfo f) {
        long low = 0;
        long high = 0;
        boolean highRelative = false;
        for (Attribute a : d.attributes()) {
            AttrValue v = a.value();
            switch (a.name()) {
                case DwAt.CALL_FILE -> {
                    if (v.isIntegral()) {
                        f.callFile = Paths.of(lines, v.asLong());
                    }
                }
                case DwAt.CALL_LINE -> {
                    if (v.isIntegral()) {
                        f.callLine = v.asLong();
                    }
                }
                case DwAt.ABSTRACT_ORIGIN, DwAt.SPECIFICATION -> {
                    if (v instanceof AttrValue.Reference ref) {
                        origin(dwarf, ref.offset(), f, 0);
                    }
                }
                case DwAt.NAME -> {
                    if (f.name == null && isString(v)) {
                        f.name = dwarf.string(u, v);
                        f.isLinkage |= Languages.plainNames(info.language());
                    }
                }
                case DwAt.LINKAGE_NAME, DwAt.MIPS_LINKAGE_NAME -> {
                    if (isString(v)) {
                        f.name = dwarf.string(u, v);
                        f.isLinkage = true;
                    }
                }
                case DwAt.LOW_PC -> {
                    if (v.isIntegral()) {
                        low = dwarf.address(u, v);
                    }
                }
                case DwAt.HIGH_PC -> {
                    if (v.isIntegral()) {
                        high = Dwarf.isAddressClass(v) ? dwarf.address(u, v) : v.asLong();
                        highRelative = !Dwarf.isAddressClass(v);
                    }
                }
                case DwAt.RANGES -> {
                    if (v.isIntegral()) {
                        f.addRanges(dwarf.ranges(u, v));
                    }
                }
                default -> { }
            }
        }
        if (highRelative) {
            high += low;
        }
        if (high != 0) {
            f.addRange(low, high);
        }
    }

    private static boolean isString(AttrValue v) {
        return v instanceof AttrValue.Str || v instanceof AttrValue.Index i && i.form().name().startsWith("STRX");
    }

    /** binutils' find_abstract_instance: takes the origin's name unless one is set; linkage names win. */
    private static void origin(Dwarf dwarf, long offset, FuncInfo f, int depth) {
        if (depth >= MAX_ORIGIN_DEPTH) {
            return;
        }
        Die d = dwarf.die(offset);
        Unit u = d.unit();
        for (Attribute a : d.attributes()) {
            AttrValue v = a.value();
            switch (a.name()) {
                case DwAt.NAME -> {
                    if (f.name == null && isString(v)) {
                        f.name = dwarf.string(u, v);
                        f.isLinkage |= Languages.plainNames(dwarf.info(u).language());
                    }
                }
                case DwAt.SPECIFICATION -> {
                    if (v instanceof AttrValue.Reference ref) {
                        origin(dwarf, ref.offset(), f, depth + 1);
                    }
                }
                case DwAt.LINKAGE_NAME, DwAt.MIPS_LINKAGE_NAME -> {
                    if (isString(v)) {
                        f.name = dwarf.string(u, v);
                        f.isLinkage = true;
                    }
                }
                default -> { }
            }
        }
    }
}
