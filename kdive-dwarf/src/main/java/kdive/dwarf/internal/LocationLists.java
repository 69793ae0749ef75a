package kdive.dwarf.internal;

import java.lang.foreign.MemorySegment;
import java.util.function.LongUnaryOperator;
import kdive.dwarf.DwarfSections;
import kdive.io.BinaryReader;

/**
 * Location lists: .debug_loc (DWARF 2-4 §2.6.2) and .debug_loclists (DWARF 5 §2.6.2, §7.29).
 * Only the entry covering one PC is wanted, so lists are scanned, not materialised.
 */
public final class LocationLists {
    /** GCC's DW_LLE_GNU_view_pair in DWARF 5 lists (two view numbers, no range): skipped. */
    private static final int DW_LLE_GNU_VIEW_PAIR = 0x09;
    /** Bound on the entries of one list, far above what compilers emit, so a corrupt list cannot spin. */
    private static final int MAX_ENTRIES = 1 << 20;

    private LocationLists() {}

    /** The expression of the .debug_loc list at {@code offset} that covers {@code pc}, or null. */
    public static MemorySegment loc(DwarfSections s, long offset, int addressSize, long base, long pc) {
        BinaryReader r = s.reader(s.loc(), ".debug_loc").seek(offset);
        long max = addressSize == 8 ? -1L : 0xffffffffL;
        for (int n = 0; n < MAX_ENTRIES; n++) {
            long low = r.unsigned(addressSize);
            long high = r.unsigned(addressSize);
            if (low == 0 && high == 0) {
                return null;
            }
            if (low == max) {
                base = high;
                continue;
            }
            int len = r.u16();
            long at = r.position();
            r.skip(len);
            if (covers(base + low, base + high, pc)) {
                return s.loc().asSlice(at, len);
            }
        }
        throw r.error(r.position(), "the end of a location list within %d entries".formatted(MAX_ENTRIES));
    }

    /**
     * The expression of the DWARF 5 list at {@code offset} that covers {@code pc}, or null;
     * {@code addrx} resolves .debug_addr indices.
     */
    public static MemorySegment loclists(DwarfSections s, long offset, int addressSize, long base, long pc,
            LongUnaryOperator addrx) {
        BinaryReader r = s.reader(s.loclists(), ".debug_loclists").seek(offset);
        MemorySegment fallback = null;
        for (int n = 0; n < MAX_ENTRIES; n++) {
            long at = r.position();
            int kind = r.u8();
            long low;
            long high;
            switch (kind) {
                case 0 -> { return fallback; }
                case 1 -> { base = addrx.applyAsLong(r.uleb128()); continue; }
                case 2 -> { low = addrx.applyAsLong(r.uleb128()); high = addrx.applyAsLong(r.uleb128()); }
                case 3 -> { low = addrx.applyAsLong(r.uleb128()); high = low + r.uleb128(); }
                case 4 -> { low = base + r.uleb128(); high = base + r.uleb128(); }
                case 5 -> {
                    fallback = expression(r, s);
                    continue;
                }
                case 6 -> { base = r.unsigned(addressSize); continue; }
                case 7 -> { low = r.unsigned(addressSize); high = r.unsigned(addressSize); }
                case 8 -> { low = r.unsigned(addressSize); high = low + r.uleb128(); }
                case DW_LLE_GNU_VIEW_PAIR -> { r.uleb128(); r.uleb128(); continue; }
                default -> throw r.error(at, "a DW_LLE_* code 0-9 (DWARF 5 §7.29), got %d".formatted(kind));
            }
            MemorySegment expr = expression(r, s);
            if (covers(low, high, pc)) {
                return expr;
            }
        }
        throw r.error(r.position(), "the end of a location list within %d entries".formatted(MAX_ENTRIES));
    }

    private static MemorySegment expression(BinaryReader r, DwarfSections s) {
        long len = r.uleb128();
        long at = r.position();
        r.skip(len);
        return s.loclists().asSlice(at, len);
    }

    private static boolean covers(long low, long high, long pc) {
        return Long.compareUnsigned(pc, low) >= 0 && Long.compareUnsigned(pc, high) < 0;
    }
}
