package kdive.dwarf.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import kdive.dwarf.AddressRange;
import kdive.dwarf.DwarfSections;
import kdive.io.BinaryReader;

/** Range lists: .debug_ranges (DWARF 2-4 §2.17.3) and .debug_rnglists (DWARF 5 §2.17.3, §7.25). */
public final class RangeLists {
    private RangeLists() {}

    /** DWARF 2-4: pairs of addresses ended by (0, 0); (-1, x) sets the base address. */
    public static List<AddressRange> ranges(DwarfSections s, long offset, int addressSize, long base) {
        BinaryReader r = s.reader(s.ranges(), ".debug_ranges").seek(offset);
        long max = addressSize == 8 ? -1L : 0xffffffffL;
        var out = new ArrayList<AddressRange>();
        while (true) {
            long low = r.unsigned(addressSize);
            long high = r.unsigned(addressSize);
            if (low == 0 && high == 0) {
                return out;
            }
            if (low == max) {
                base = high;
            } else if (low != high) {
                out.add(new AddressRange(base + low, base + high));
            }
        }
    }

    /**
     * DWARF 5 range list entries (DW_RLE_*) starting at {@code offset}; {@code addrx} resolves
     * .debug_addr indices for the x-forms.
     */
    public static List<AddressRange> rnglists(DwarfSections s, long offset, int addressSize, long base, LongUnaryOperator addrx) {
        BinaryReader r = s.reader(s.rnglists(), ".debug_rnglists").seek(offset);
        var out = new ArrayList<AddressRange>();
        while (true) {
            long at = r.position();
            int kind = r.u8();
            long low;
            long high;
            switch (kind) {
                case 0 -> { return out; }
                case 1 -> { base = addrx.applyAsLong(r.uleb128()); continue; }
                case 2 -> { low = addrx.applyAsLong(r.uleb128()); high = addrx.applyAsLong(r.uleb128()); }
                case 3 -> { low = addrx.applyAsLong(r.uleb128()); high = low + r.uleb128(); }
                case 4 -> { low = base + r.uleb128(); high = base + r.uleb128(); }
                case 5 -> { base = r.unsigned(addressSize); continue; }
                case 6 -> { low = r.unsigned(addressSize); high = r.unsigned(addressSize); }
                case 7 -> { low = r.unsigned(addressSize); high = low + r.uleb128(); }
                default -> throw r.error(at, "a DW_RLE_* code 0-7 (DWARF 5 §7.25), got %d".formatted(kind));
            }
            if (low != high) {
                out.add(new AddressRange(low, high));
            }
        }
    }
}
