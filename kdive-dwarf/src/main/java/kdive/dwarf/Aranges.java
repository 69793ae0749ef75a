package kdive.dwarf;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import kdive.io.BinaryReader;

/**
 * The address range table, {@code .debug_aranges} (DWARF 5 §6.1.2): for each compilation unit
 * the code ranges it covers, so an address finds its unit without reading {@code .debug_info}.
 * All sets are read when opened (each tuple is at least 2 bytes: bounded by the section size)
 * into arrays sorted by address.
 */
public final class Aranges {
    private static final String NAME = ".debug_aranges";

    private final List<UnitRanges> sets;
    private final kdive.dwarf.internal.RangeIndex index;

    /** One set: the ranges of the unit at {@code unitOffset} in .debug_info. */
    public record UnitRanges(long offset, int version, long unitOffset, int addressSize, int segmentSize, List<Range> ranges) {
        public UnitRanges {
            ranges = List.copyOf(ranges);
        }
    }

    /** {@code [address, address + length)}; {@code segment} is 0 unless the set has segment selectors. */
    public record Range(long segment, long address, long length) {}

    private Aranges(List<UnitRanges> sets) {
        this.sets = List.copyOf(sets);
        var b = new kdive.dwarf.internal.RangeIndex.Builder();
        for (UnitRanges s : sets) {
            for (Range r : s.ranges()) {
                b.add(r.address(), r.address() + r.length(), s.unitOffset());
            }
        }
        index = b.build();
    }

    /** The sets of {@code sections.aranges()}; empty when the section is absent. */
    public static Aranges of(DwarfSections sections) {
        BinaryReader r = sections.reader(sections.aranges(), NAME);
        var out = new ArrayList<UnitRanges>();
        while (r.hasRemaining()) {
            out.add(set(r));
        }
        return new Aranges(out);
    }

    private static UnitRanges set(BinaryReader section) {
        long offset = section.position();
        long length = section.u32();
        int offsetSize = 4;
        if (length == 0xffffffffL) {
            length = section.u64();
            offsetSize = 8;
        } else if (length >= 0xfffffff0L) {
            throw section.error(offset, "a unit length below 0xfffffff0 or the 64-bit escape, got 0x%x".formatted(length));
        }
        if (Long.compareUnsigned(length, section.remaining()) > 0) {
            throw section.error(offset, "a set length within the %d bytes left, got %s".formatted(section.remaining(), Long.toUnsignedString(length)));
        }
        long headerSize = section.position() - offset;
        BinaryReader r = section.slice(offset, headerSize + length).seek(headerSize);
        section.skip(length);
        int version = r.u16();
        if (version != 2) {
            throw r.error(r.position() - 2, "an address range table version 2, got %d".formatted(version));
        }
        long unit = offsetSize == 4 ? r.u32() : r.u64();
        int addressSize = r.u8();
        int segmentSize = r.u8();
        if (addressSize != 1 && addressSize != 2 && addressSize != 4 && addressSize != 8) {
            throw r.error(r.position() - 2, "an address size of 1, 2, 4 or 8, got %d".formatted(addressSize));
        }
        if (segmentSize > 8) {
            throw r.error(r.position() - 1, "a segment selector size up to 8, got %d".formatted(segmentSize));
        }
        // The first tuple starts at a multiple of the tuple size from the set's start (§6.1.2).
        int tuple = 2 * addressSize + segmentSize;
        long pad = (tuple - r.position() % tuple) % tuple;
        r.skip(Math.min(pad, r.remaining()));
        var ranges = new ArrayList<Range>();
        while (r.remaining() >= tuple) {
            long segment = segmentSize == 0 ? 0 : r.unsigned(segmentSize);
            long address = r.unsigned(addressSize);
            long len = r.unsigned(addressSize);
            // (0, 0) ends the list; readelf prints on to the set's end, so trailing tuples are read too.
            long mask = addressSize == 8 ? -1L : (1L << (8 * addressSize)) - 1;
            if (Long.compareUnsigned(len, mask - address) > 0) {
                throw r.error(r.position() - tuple, "a range that ends within the address space: 0x%x + 0x%x".formatted(address, len));
            }
            if (segment != 0 || address != 0 || len != 0) {
                ranges.add(new Range(segment, address, len));
            }
        }
        return new UnitRanges(offset, version, unit, addressSize, segmentSize, ranges);
    }

    public List<UnitRanges> sets() {
        return sets;
    }

    /** The .debug_info offset of the unit whose ranges contain {@code address}. */
    public OptionalLong unitAt(long address) {
        long unit = index.find(address);
        return unit < 0 ? OptionalLong.empty() : OptionalLong.of(unit);
    }
}
