package kdive.dwarf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kdive.dwarf.internal.AbbrevParser;
import kdive.dwarf.internal.LineProgram;
import kdive.dwarf.internal.RangeLists;
import kdive.dwarf.internal.Strings;
import kdive.elf.ElfFile;
import kdive.io.BinaryReader;
import kdive.io.FormatException;
import kdive.io.MissingDebugInfoException;

/**
 * The DWARF debugging information of one ELF file. Unit headers are read when created (a walk
 * over unit lengths); abbreviation tables, root DIEs and line tables are decoded on first use
 * and cached, so independent units can be decoded by several threads at once.
 */
public final class Dwarf {
    private final DwarfSections sections;
    private final List<Unit> units;
    private final Map<Long, AbbrevParser.Table> abbrevs = new ConcurrentHashMap<>();
    private final Map<Integer, UnitInfo> infos = new ConcurrentHashMap<>();
    private final Map<Long, LineTable> lines = new ConcurrentHashMap<>();

    private Dwarf(DwarfSections sections) {
        this.sections = sections;
        this.units = readUnits(sections);
    }

    /** The DWARF of {@code elf}; the ElfFile must stay open while this is used. */
    public static Dwarf of(ElfFile elf) {
        var s = DwarfSections.of(elf);
        if (s.info().byteSize() == 0) {
            throw new MissingDebugInfoException(elf.name() + ": no .debug_info section (not built with -g, or stripped)");
        }
        return new Dwarf(s);
    }

    public static Dwarf of(DwarfSections sections) {
        return new Dwarf(sections);
    }

    public DwarfSections sections() { return sections; }

    public List<Unit> units() { return units; }

    private static List<Unit> readUnits(DwarfSections s) {
        BinaryReader r = s.reader(s.info(), ".debug_info");
        var out = new ArrayList<Unit>();
        while (r.remaining() >= 11) {
            long offset = r.position();
            long length = r.u32();
            int offsetSize = 4;
            if (length == 0xffffffffL) {
                length = r.u64();
                offsetSize = 8;
            }
            if (length == 0) {
                break; // padding at the end of the section (binutils PR 19872)
            }
            if (length > r.remaining()) {
                throw r.error(offset, "a unit length within the %d bytes remaining, got %d".formatted(r.remaining(), length));
            }
            long end = r.position() + length;
            int version = r.u16();
            if (version < 2 || version > 5) {
                throw r.error(offset + (offsetSize == 8 ? 12 : 4), "a unit version 2-5, got %d".formatted(version));
            }
            int unitType = Unit.DW_UT_COMPILE;
            int addressSize;
            long abbrevOffset;
            if (version >= 5) {
                unitType = r.u8();
                addressSize = r.u8();
                abbrevOffset = offsetSize == 8 ? r.u64() : r.u32();
                switch (unitType) {
                    case Unit.DW_UT_TYPE, Unit.DW_UT_SPLIT_TYPE -> r.skip(8L + offsetSize);
                    case Unit.DW_UT_SKELETON, Unit.DW_UT_SPLIT_COMPILE -> r.skip(8);
                    default -> { }
                }
            } else {
                abbrevOffset = offsetSize == 8 ? r.u64() : r.u32();
                addressSize = r.u8();
            }
            if (addressSize != 2 && addressSize != 4 && addressSize != 8) {
                throw r.error(r.position() - 1, "an address size of 2, 4 or 8, got %d".formatted(addressSize));
            }
            if (r.position() > end) {
                throw r.error(offset, "a unit header within the unit's %d bytes".formatted(length));
            }
            out.add(new Unit(out.size(), offset, version, unitType, addressSize, offsetSize, abbrevOffset, r.position(), end));
            r.seek(end);
        }
        return List.copyOf(out);
    }

    /** The unit whose DIEs contain .debug_info offset {@code dieOffset}. */
    public Optional<Unit> unitContaining(long dieOffset) {
        int lo = 0;
        int hi = units.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Unit u = units.get(mid);
            if (dieOffset < u.offset()) {
                hi = mid - 1;
            } else if (dieOffset >= u.end()) {
                lo = mid + 1;
            } else {
                return u.contains(dieOffset) ? Optional.of(u) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    AbbrevParser.Table abbrevs(Unit u) {
        return abbrevs.computeIfAbsent(u.abbrevOffset(),
                off -> AbbrevParser.parse(sections.reader(sections.abbrev(), ".debug_abbrev"), off));
    }

    /** Reads the unit's DIEs from its root. */
    public DieReader dies(Unit u) {
        return new DieReader(this, u, u.firstDie(), abbrevs(u));
    }

    /** Reads DIEs from {@code offset} (inside {@code u}) onwards; depths are relative to it. */
    public DieReader dies(Unit u, long offset) {
        if (!u.contains(offset)) {
            throw new FormatException(sections.file() + " [.debug_info]", offset,
                    "a DIE offset inside the unit at 0x%x".formatted(u.offset()));
        }
        return new DieReader(this, u, offset, abbrevs(u));
    }

    /** The DIE at .debug_info offset {@code offset}. */
    public Die die(long offset) {
        Unit u = unitContaining(offset).orElseThrow(() -> new FormatException(sections.file() + " [.debug_info]",
                offset, "a DIE reference inside some unit"));
        return dies(u, offset).next();
    }

    public Die root(Unit u) {
        return dies(u).next();
    }

    /** The unit's root attributes, decoded once. */
    public UnitInfo info(Unit u) {
        return infos.computeIfAbsent(u.index(), i -> readInfo(u));
    }

    private UnitInfo readInfo(Unit u) {
        Die root = root(u);
        long header = u.offsetSize() == 8 ? 16 : 8;
        long strBase = header;
        long addrBase = header;
        long rngBase = u.offsetSize() == 8 ? 20 : 12;
        long locBase = rngBase;
        for (Attribute a : root.attributes()) {
            switch (a.name()) {
                case DwAt.STR_OFFSETS_BASE -> strBase = a.value().asLong();
                case DwAt.ADDR_BASE, DwAt.GNU_ADDR_BASE -> addrBase = a.value().asLong();
                case DwAt.RNGLISTS_BASE -> rngBase = a.value().asLong();
                case DwAt.LOCLISTS_BASE -> locBase = a.value().asLong();
                default -> { }
            }
        }
        var partial = new UnitInfo(root.tag(), null, null, 0, 0, -1, strBase, addrBase, rngBase, locBase);
        String name = null;
        String compDir = null;
        int lang = 0;
        long base = 0;
        long stmt = -1;
        for (Attribute a : root.attributes()) {
            switch (a.name()) {
                case DwAt.NAME -> name = stringOrNull(u, partial, a.value());
                case DwAt.COMP_DIR -> compDir = stringOrNull(u, partial, a.value());
                case DwAt.LANGUAGE -> lang = (int) a.value().asLong();
                case DwAt.LOW_PC -> base = address(u, partial, a.value());
                case DwAt.STMT_LIST -> stmt = a.value().isIntegral() ? a.value().asLong() : -1;
                default -> { }
            }
        }
        return new UnitInfo(root.tag(), name, compDir, lang, base, stmt, strBase, addrBase, rngBase, locBase);
    }

    private String stringOrNull(Unit u, UnitInfo info, AttrValue v) {
        return v instanceof AttrValue.Str || v instanceof AttrValue.Index ? string(u, info, v) : null;
    }

    /** A string attribute's value: inline, strp, line_strp or strx. */
    public String string(Unit u, AttrValue v) {
        return string(u, info(u), v);
    }

    private String string(Unit u, UnitInfo info, AttrValue v) {
        return switch (v) {
            case AttrValue.Str s -> Strings.at(sections, s);
            case AttrValue.Index i -> Strings.at(sections, sections.str(), stringOffset(u, info, i.index()), "strx");
            default -> throw new FormatException(sections.file() + " [.debug_info]", -1,
                    "a string form, got " + v.form());
        };
    }

    /** The .debug_str offset of string {@code index} of unit {@code u} (strx forms, DWARF 5 §7.26). */
    public long stringOffset(Unit u, long index) {
        return stringOffset(u, info(u), index);
    }

    private long stringOffset(Unit u, UnitInfo info, long index) {
        BinaryReader r = sections.reader(sections.strOffsets(), ".debug_str_offsets")
                .seek(info.strOffsetsBase() + index * u.offsetSize());
        return u.offsetSize() == 8 ? r.u64() : r.u32();
    }

    /** An address attribute's value: addr or addrx (through .debug_addr); constants as they are. */
    public long address(Unit u, AttrValue v) {
        return address(u, info(u), v);
    }

    private long address(Unit u, UnitInfo info, AttrValue v) {
        if (v instanceof AttrValue.Index i) {
            return addrx(u, info, i.index());
        }
        return v.asLong();
    }

    private long addrx(Unit u, UnitInfo info, long index) {
        long at = info.addrBase() + index * u.addressSize();
        return sections.reader(sections.addr(), ".debug_addr").seek(at).unsigned(u.addressSize());
    }

    /** The ranges of a DW_AT_ranges value (sec_offset or rnglistx), based at the unit's base address. */
    public List<AddressRange> ranges(Unit u, AttrValue v) {
        UnitInfo info = info(u);
        if (u.version() < 5) {
            return RangeLists.ranges(sections, v.asLong(), u.addressSize(), info.baseAddress());
        }
        long offset = v.asLong();
        if (v instanceof AttrValue.Index i) {
            BinaryReader r = sections.reader(sections.rnglists(), ".debug_rnglists")
                    .seek(info.rnglistsBase() + i.index() * u.offsetSize());
            offset = info.rnglistsBase() + (u.offsetSize() == 8 ? r.u64() : r.u32());
        }
        return RangeLists.rnglists(sections, offset, u.addressSize(), info.baseAddress(), idx -> addrx(u, info, idx));
    }

    /** The address ranges of a DIE: DW_AT_low_pc/DW_AT_high_pc (DWARF 4+ offset form too) or DW_AT_ranges. */
    public List<AddressRange> pcRanges(Die d) {
        AttrValue low = d.get(DwAt.LOW_PC);
        AttrValue high = d.get(DwAt.HIGH_PC);
        AttrValue ranges = d.get(DwAt.RANGES);
        var out = new ArrayList<AddressRange>();
        if (ranges != null && ranges.isIntegral()) {
            out.addAll(ranges(d.unit(), ranges));
        }
        if (low != null && high != null && low.isIntegral() && high.isIntegral()) {
            long lo = address(d.unit(), low);
            long hi = isAddressClass(high) ? address(d.unit(), high) : lo + high.asLong();
            if (lo != hi) {
                out.add(new AddressRange(lo, hi));
            }
        }
        return out;
    }

    /** True for DW_FORM_addr and the addrx forms: DW_AT_high_pc is then an address, else an offset (DWARF 4 §2.17.2). */
    public static boolean isAddressClass(AttrValue v) {
        return switch (v.form()) {
            case ADDR, ADDRX, ADDRX1, ADDRX2, ADDRX3, ADDRX4, GNU_ADDR_INDEX -> true;
            default -> false;
        };
    }

    /**
     * Where the variable or parameter {@code d} is at {@code pc} (DW_AT_location: an expression, or
     * a location list in .debug_loc / .debug_loclists); {@link LocationExpression.OptimizedOut}
     * when it has no location there. {@code pc} is in the file's own address space (section-relative
     * placed addresses for relocatable objects).
     */
    public LocationExpression location(Die d, long pc) {
        AttrValue v = d.get(DwAt.LOCATION);
        Unit u = d.unit();
        if (v == null) {
            return new LocationExpression.OptimizedOut();
        }
        java.lang.foreign.MemorySegment expr;
        UnitInfo info = info(u);
        if (v instanceof AttrValue.Block b) {
            expr = b.bytes();
        } else if (u.version() < 5 && v.isIntegral()) {
            expr = kdive.dwarf.internal.LocationLists.loc(sections, v.asLong(), u.addressSize(), info.baseAddress(), pc);
        } else if (v instanceof AttrValue.Index i) {
            BinaryReader r = sections.reader(sections.loclists(), ".debug_loclists")
                    .seek(info.loclistsBase() + i.index() * u.offsetSize());
            long offset = info.loclistsBase() + (u.offsetSize() == 8 ? r.u64() : r.u32());
            expr = kdive.dwarf.internal.LocationLists.loclists(sections, offset, u.addressSize(), info.baseAddress(), pc,
                    idx -> addrx(u, info, idx));
        } else if (v.isIntegral()) {
            expr = kdive.dwarf.internal.LocationLists.loclists(sections, v.asLong(), u.addressSize(), info.baseAddress(), pc,
                    idx -> addrx(u, info, idx));
        } else {
            return new LocationExpression.Other("DW_AT_location in form " + v.form());
        }
        if (expr == null) {
            return new LocationExpression.OptimizedOut();
        }
        int refSize = u.version() <= 2 ? u.addressSize() : u.offsetSize();
        return kdive.dwarf.internal.ExpressionDecoder.decode(expr, sections.file() + " [location of DIE 0x"
                + Long.toHexString(d.offset()) + "]", sections.order(), u.addressSize(), refSize, idx -> addrx(u, info, idx));
    }

    /** The unit's line table (DW_AT_stmt_list), decoded once; empty when the unit has none. */
    public Optional<LineTable> lineTable(Unit u) {
        UnitInfo info = info(u);
        if (info.stmtList() < 0) {
            return Optional.empty();
        }
        return Optional.of(lines.computeIfAbsent(info.stmtList(),
                off -> LineProgram.decode(sections, off, u.addressSize(), info.compDir())));
    }

    /** Size of .debug_info, for progress and statistics. */
    public long infoSize() {
        return sections.info().byteSize();
    }

}
