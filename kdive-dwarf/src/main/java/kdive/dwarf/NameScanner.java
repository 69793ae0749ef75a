package kdive.dwarf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kdive.dwarf.internal.AbbrevParser;
import kdive.dwarf.internal.FormReader;
import kdive.dwarf.internal.Strings;
import kdive.io.FormatException;

/**
 * The global names of a program's DWARF in one pass over .debug_info, as drgn's index does it:
 * each abbreviation is compiled once (its fixed size, or where the attributes an index needs
 * sit), a unit's bytes are scanned as a plain array, DIEs nobody indexes are skipped whole, and
 * names are kept as string-section offsets until the end, so a 150 MB .debug_info turns into
 * about fifty thousand strings rather than millions. Units are scanned in parallel and merged
 * with minima, so the answer does not depend on scheduling.
 *
 * <p>What is indexed: named struct/union/enum types, typedefs and base types at any depth (the
 * first complete definition in .debug_info order wins over declarations), and unit-level
 * variables (a definition that names itself through DW_AT_specification takes the
 * declaration's name; its address from a DW_OP_addr location).
 */
public final class NameScanner {
    private static final int DW_OP_ADDR = 0x03;
    /** One past the highest form code (GNU's DW_FORM_GNU_strp_alt, 0x1f21). */
    private static final int GNU_FORMS_END = 0x1f22;
    /** Ranks a declaration after every definition in a minimum over DIE offsets (offsets are below 2^40). */
    private static final long INCOMPLETE = 1L << 62;

    private NameScanner() {}

    /** A global variable: its type's DIE offset (-1 if none) and link-time address (-1 if none). */
    public record Variable(long type, long address) {}

    /** Per C type name ("struct task_struct", "u64"), the chosen DIE; per variable name, its type and address. */
    public record Names(Map<String, Long> types, Map<String, Variable> variables) {}

    public static Names scan(Dwarf dwarf) {
        var compiled = new ConcurrentHashMap<String, CompiledAbbrevs>();
        Accumulator all = dwarf.units().parallelStream().collect(Accumulator::new,
                (acc, u) -> new UnitScan(dwarf, u, compiled.computeIfAbsent(
                        u.abbrevOffset() + ":" + u.addressSize() + ":" + u.offsetSize() + ":" + u.version(),
                        k -> CompiledAbbrevs.of(AbbrevParser.all(dwarf.abbrevs(u)), u)), acc).run(),
                Accumulator::addAll);
        return all.resolve(dwarf);
    }

    // ---- names as keys ----

    /** Where a name's bytes are: .debug_str (strp, strx), .debug_line_str, or inline in .debug_info. */
    static final int IN_STR = 0;
    static final int IN_LINE_STR = 1;
    static final int IN_INFO = 2;

    static long nameKey(int keyword, int space, long offset) {
        return (long) keyword << 58 | (long) space << 56 | offset;
    }

    private static final String[] KEYWORDS = {"", "struct ", "union ", "enum "};

    /**
     * What the units found, keyed by name key: per type key the minimum of rank|offset; per
     * variable key the minima of its type and address ranks. Merged across threads.
     */
    static final class Accumulator {
        final LongMinMap types = new LongMinMap();
        final LongMinMap varTypeRank = new LongMinMap();
        final LongMinMap varAddressRank = new LongMinMap();
        /** The value each rank stands for, by the rank itself (ranks embed distinct DIE offsets). */
        final LongMinMap rankType = new LongMinMap();
        final LongMinMap rankAddress = new LongMinMap();

        void type(long key, long rankedOffset) {
            types.min(key, rankedOffset);
        }

        void variable(long key, long die, long type, long address) {
            if (type != -1) {
                long rank = (address != -1 ? 0 : INCOMPLETE) | die;
                varTypeRank.min(key, rank);
                rankType.min(rank, type);
            } else {
                varTypeRank.min(key, Long.MAX_VALUE);
            }
            if (address != -1) {
                varAddressRank.min(key, die);
                rankAddress.min(die, address);
            }
        }

        void addAll(Accumulator o) {
            types.addAll(o.types);
            varTypeRank.addAll(o.varTypeRank);
            varAddressRank.addAll(o.varAddressRank);
            rankType.addAll(o.rankType);
            rankAddress.addAll(o.rankAddress);
        }

        Names resolve(Dwarf dwarf) {
            var strings = new HashMap<Long, String>();
            var outTypes = new HashMap<String, Long>(types.size() * 2);
            types.forEach((key, ranked) -> outTypes.merge(
                    KEYWORDS[(int) (key >>> 58)] + name(dwarf, key & ((1L << 58) - 1), strings), ranked, Math::min));
            outTypes.replaceAll((k, v) -> v & ~INCOMPLETE);
            // Variables: merge per name string (two keys may spell one name), ranks first, values after.
            var typeRank = new HashMap<String, Long>();
            var addressRank = new HashMap<String, Long>();
            varTypeRank.forEach((key, rank) -> typeRank.merge(name(dwarf, key, strings), rank, Math::min));
            varAddressRank.forEach((key, rank) -> addressRank.merge(name(dwarf, key, strings), rank, Math::min));
            var outVars = new HashMap<String, Variable>(typeRank.size() * 2);
            typeRank.forEach((name, rank) -> {
                long type = rank == Long.MAX_VALUE ? -1 : rankType.get(rank, -1);
                Long ar = addressRank.get(name);
                long address = ar == null ? -1 : rankAddress.get(ar, -1);
                outVars.put(name, new Variable(type, address));
            });
            return new Names(outTypes, outVars);
        }

        private static String name(Dwarf dwarf, long key, Map<Long, String> cache) {
            String s = cache.get(key);
            if (s == null) {
                DwarfSections sec = dwarf.sections();
                long offset = key & ((1L << 56) - 1);
                MemorySegment section = switch ((int) (key >>> 56)) {
                    case IN_STR -> sec.str();
                    case IN_LINE_STR -> sec.lineStr();
                    default -> sec.info();
                };
                s = Strings.at(sec, section, offset, "name");
                cache.put(key, s);
            }
            return s;
        }
    }

    /**
     * A unit's abbreviations compiled for scanning: by code, the tag, whether children follow,
     * the byte size when every form is fixed (-1 otherwise), the forms' codes, and where the
     * attributes an index reads sit.
     */
    record CompiledAbbrevs(int[] tag, boolean[] children, int[] fixedSize, int[][] forms, long[][] implicitConst,
            int[] name, int[] declaration, int[] specification, int[] location, int[] type, int[] formSize) {

        static CompiledAbbrevs of(List<Abbrev> abbrevs, Unit u) {
            int max = 0;
            for (Abbrev a : abbrevs) {
                if (a.code() > 1 << 20) {
                    throw new FormatException("[.debug_abbrev]", u.abbrevOffset(),
                            "an abbreviation code below 2^20, got %d".formatted(a.code()));
                }
                max = Math.max(max, (int) a.code());
            }
            int n = max + 1;
            var c = new CompiledAbbrevs(new int[n], new boolean[n], new int[n], new int[n][], new long[n][],
                    new int[n], new int[n], new int[n], new int[n], new int[n], formSizes(u));
            java.util.Arrays.fill(c.tag, -1);
            for (Abbrev a : abbrevs) {
                int code = (int) a.code();
                if (c.tag[code] != -1) {
                    continue; // a repeated code: the first declaration is the one readers use
                }
                c.tag[code] = a.tag();
                c.children[code] = a.hasChildren();
                int[] forms = new int[a.attributeCount()];
                int size = 0;
                c.name[code] = c.declaration[code] = c.specification[code] = c.location[code] = c.type[code] = -1;
                for (int i = 0; i < forms.length; i++) {
                    forms[i] = a.forms()[i].code();
                    int fs = FormReader.fixedSize(a.forms()[i], u);
                    size = size < 0 || fs < 0 ? -1 : size + fs;
                    switch (a.names()[i]) {
                        case DwAt.NAME -> c.name[code] = i;
                        case DwAt.DECLARATION -> c.declaration[code] = i;
                        case DwAt.SPECIFICATION -> c.specification[code] = i;
                        case DwAt.LOCATION -> c.location[code] = i;
                        case DwAt.TYPE -> c.type[code] = i;
                        default -> { }
                    }
                }
                c.forms[code] = forms;
                c.implicitConst[code] = a.implicitConst();
                c.fixedSize[code] = size;
            }
            return c;
        }

        /**
         * By form code, the size of a value in this unit's shape (-1: it carries its own length;
         * -2: no such form), so the scan looks sizes up instead of switching on every attribute.
         */
        private static int[] formSizes(Unit u) {
            int[] sizes = new int[GNU_FORMS_END];
            java.util.Arrays.fill(sizes, -2);
            for (Form f : Form.values()) {
                sizes[f.code()] = FormReader.fixedSize(f, u);
            }
            return sizes;
        }
    }

    /** A long-to-long map keeping the minimum per key (open addressing; keys are never -1). */
    static final class LongMinMap {
        private static final long EMPTY = -1;
        private long[] keys = new long[1 << 10];
        private long[] values = new long[1 << 10];
        private int size;

        LongMinMap() {
            java.util.Arrays.fill(keys, EMPTY);
        }

        int size() {
            return size;
        }

        void min(long key, long value) {
            int mask = keys.length - 1;
            int i = (int) mix(key) & mask;
            while (true) {
                long k = keys[i];
                if (k == key) {
                    if (Long.compareUnsigned(value, values[i]) < 0) {
                        values[i] = value;
                    }
                    return;
                }
                if (k == EMPTY) {
                    keys[i] = key;
                    values[i] = value;
                    if (++size * 2 > keys.length) {
                        grow();
                    }
                    return;
                }
                i = (i + 1) & mask;
            }
        }

        long get(long key, long absent) {
            int mask = keys.length - 1;
            int i = (int) mix(key) & mask;
            while (true) {
                long k = keys[i];
                if (k == key) {
                    return values[i];
                }
                if (k == EMPTY) {
                    return absent;
                }
                i = (i + 1) & mask;
            }
        }

        void addAll(LongMinMap o) {
            for (int i = 0; i < o.keys.length; i++) {
                if (o.keys[i] != EMPTY) {
                    min(o.keys[i], o.values[i]);
                }
            }
        }

        interface Entry {
            void accept(long key, long value);
        }

        void forEach(Entry e) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != EMPTY) {
                    e.accept(keys[i], values[i]);
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new long[oldKeys.length * 2];
            java.util.Arrays.fill(keys, EMPTY);
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != EMPTY) {
                    min(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static long mix(long k) {
            k *= 0x9e3779b97f4a7c15L;
            return k ^ (k >>> 29);
        }
    }

    /** One unit's scan over a copy of its bytes (plain array reads are what a scan is made of). */
    private static final class UnitScan {
        private static final ThreadLocal<byte[][]> BUFFER = ThreadLocal.withInitial(() -> new byte[1][1 << 16]);

        private final Dwarf dwarf;
        private final Unit unit;
        private final CompiledAbbrevs abbrevs;
        private final Accumulator acc;
        private final byte[] b;
        private final int length;
        private final boolean little;
        private int pos;

        UnitScan(Dwarf dwarf, Unit unit, CompiledAbbrevs abbrevs, Accumulator acc) {
            this.dwarf = dwarf;
            this.unit = unit;
            this.abbrevs = abbrevs;
            this.acc = acc;
            long len = unit.end() - unit.offset();
            if (len > Integer.MAX_VALUE - 16 || unit.end() > dwarf.sections().info().byteSize()) {
                throw new FormatException(dwarf.sections().file() + " [.debug_info]", unit.offset(),
                        "a unit inside the section and below 2 GiB");
            }
            byte[][] holder = BUFFER.get();
            if (holder[0].length < len) {
                holder[0] = new byte[(int) Math.max(len, holder[0].length * 2L)];
            }
            this.b = holder[0];
            this.length = (int) len;
            MemorySegment.copy(dwarf.sections().info(), ValueLayout.JAVA_BYTE, unit.offset(), b, 0, length);
            this.little = dwarf.sections().order() == java.nio.ByteOrder.LITTLE_ENDIAN;
        }

        void run() {
            pos = (int) (unit.firstDie() - unit.offset());
            int depth = 0;
            try {
                while (pos < length && depth >= 0) {
                    int entry = pos;
                    long code = uleb();
                    if (code == 0) {
                        depth--;
                        continue;
                    }
                    if (code >= abbrevs.tag().length || abbrevs.tag()[(int) code] < 0) {
                        throw error(entry, "an abbreviation code defined at .debug_abbrev 0x%x, got %d"
                                .formatted(unit.abbrevOffset(), code));
                    }
                    int c = (int) code;
                    int tag = abbrevs.tag()[c];
                    int keyword = keyword(tag);
                    if (keyword >= 0) {
                        typeDie(c, keyword, unit.offset() + entry);
                    } else if (tag == DwTag.VARIABLE && depth == 1) {
                        variableDie(c, unit.offset() + entry);
                    } else if (abbrevs.fixedSize()[c] >= 0) {
                        pos += abbrevs.fixedSize()[c];
                    } else {
                        int[] forms = abbrevs.forms()[c];
                        for (int f : forms) {
                            skip(f);
                        }
                    }
                    if (abbrevs.children()[c]) {
                        depth++;
                    }
                }
                if (pos > length) {
                    throw error(length, "DIEs ending inside the unit");
                }
            } catch (ArrayIndexOutOfBoundsException e) {
                throw error(length, "DIEs ending inside the unit");
            }
        }

        private static int keyword(int tag) {
            return switch (tag) {
                case DwTag.STRUCTURE_TYPE -> 1;
                case DwTag.UNION_TYPE -> 2;
                case DwTag.ENUMERATION_TYPE -> 3;
                case DwTag.TYPEDEF, DwTag.BASE_TYPE -> 0;
                default -> -1;
            };
        }

        private void typeDie(int c, int keyword, long die) {
            int[] forms = abbrevs.forms()[c];
            long name = -1;
            boolean declaration = false;
            for (int i = 0; i < forms.length; i++) {
                if (i == abbrevs.name()[c]) {
                    name = nameAt(forms[i]);
                } else {
                    if (i == abbrevs.declaration()[c]) {
                        declaration = true;
                    }
                    skip(forms[i]);
                }
            }
            if (name != -1) {
                acc.type(nameKey(keyword, 0, 0) | name, (declaration ? INCOMPLETE : 0) | die);
            }
        }

        private void variableDie(int c, long die) {
            int[] forms = abbrevs.forms()[c];
            long name = -1;
            long type = -1;
            long address = -1;
            long specification = -1;
            for (int i = 0; i < forms.length; i++) {
                if (i == abbrevs.name()[c]) {
                    name = nameAt(forms[i]);
                } else if (i == abbrevs.type()[c]) {
                    type = reference(forms[i]);
                } else if (i == abbrevs.specification()[c]) {
                    specification = reference(forms[i]);
                } else if (i == abbrevs.location()[c]) {
                    address = staticAddress(forms[i]);
                } else {
                    skip(forms[i]);
                }
            }
            if (name == -1 && address != -1 && specification != -1) {
                // A definition apart from its declaration (GCC's way for an extern defined in a
                // .c file): named by the declaration, typed by it when it has no type of its own.
                Die decl = dwarf.die(specification);
                type = type == -1 ? Types.typeRef(decl) : type;
                AttrValue declName = decl.get(DwAt.NAME);
                if (declName instanceof AttrValue.Str s) {
                    name = nameKey(0, s.section() == dwarf.sections().info() ? IN_INFO
                            : s.section() == dwarf.sections().lineStr() ? IN_LINE_STR : IN_STR, s.offset());
                } else if (declName instanceof AttrValue.Index ix) {
                    name = nameKey(0, IN_STR, strOffset(ix.index(), decl.unit()));
                }
            }
            if (name != -1) {
                acc.variable(name, die, type, address);
            }
        }

        /** The name key of a string-form attribute at pos (and moves past it); -1 for other forms. */
        private long nameAt(int form) {
            return switch (form) {
                case 0x0e -> nameKey(0, IN_STR, offset()); // strp
                case 0x1f -> nameKey(0, IN_LINE_STR, offset()); // line_strp
                case 0x08 -> { // string, inline
                    int at = pos;
                    while (b[pos] != 0) {
                        pos++;
                    }
                    pos++;
                    yield nameKey(0, IN_INFO, unit.offset() + at);
                }
                case 0x1a, 0x1f02 -> nameKey(0, IN_STR, strOffset(uleb(), unit)); // strx, GNU_str_index
                case 0x25 -> nameKey(0, IN_STR, strOffset(u(1), unit));
                case 0x26 -> nameKey(0, IN_STR, strOffset(u(2), unit));
                case 0x27 -> nameKey(0, IN_STR, strOffset(u(3), unit));
                case 0x28 -> nameKey(0, IN_STR, strOffset(u(4), unit));
                default -> {
                    skip(form);
                    yield -1;
                }
            };
        }

        private long strOffset(long index, Unit u) {
            return dwarf.stringOffset(u, index);
        }

        private long reference(int form) {
            return switch (form) {
                case 0x11 -> unit.offset() + u(1);
                case 0x12 -> unit.offset() + u(2);
                case 0x13 -> unit.offset() + u(4);
                case 0x14 -> unit.offset() + u(8);
                case 0x15 -> unit.offset() + uleb();
                case 0x10 -> unit.version() <= 2 ? u(unit.addressSize()) : offset();
                default -> {
                    skip(form);
                    yield -1;
                }
            };
        }

        /** A DW_AT_location that is exactly DW_OP_addr ADDR (DWARF 5 §2.5.1.1); -1 for any other. */
        private long staticAddress(int form) {
            int start = pos;
            long len = switch (form) {
                case 0x18, 0x09 -> uleb(); // exprloc, block
                case 0x0a -> u(1);
                case 0x03 -> u(2);
                case 0x04 -> u(4);
                default -> -1;
            };
            if (len < 0) {
                pos = start;
                skip(form);
                return -1;
            }
            int body = pos;
            skipBlock(len);
            if (len == 1 + unit.addressSize() && (b[body] & 0xff) == DW_OP_ADDR) {
                int save = pos;
                pos = body + 1;
                long a = u(unit.addressSize());
                pos = save;
                return a;
            }
            return -1;
        }

        private void skip(int form) {
            int size = form >= 0 && form < abbrevs.formSize().length ? abbrevs.formSize()[form] : -2;
            if (size >= 0) {
                pos += size;
                return;
            }
            if (size == -2) {
                throw error(pos, "a known attribute form, got 0x%x".formatted(form));
            }
            switch (form) {
                case 0x0f, 0x15, 0x1a, 0x1b, 0x22, 0x23, 0x1f01, 0x1f02, 0x0d -> uleb();
                case 0x08 -> {
                    while (b[pos] != 0) {
                        pos++;
                    }
                    pos++;
                }
                // The length is read (moving pos past it) before the block is skipped.
                case 0x0a -> skipBlock(u(1));
                case 0x03 -> skipBlock(u(2));
                case 0x04 -> skipBlock(u(4));
                case 0x09, 0x18 -> skipBlock(uleb());
                case 0x16 -> { // indirect: the form comes first
                    int at = pos;
                    long actual = uleb();
                    if (actual == 0x16 || actual == 0x21 || Form.ofCode(actual) == null) {
                        throw error(at, "a form for DW_FORM_indirect (DWARF 5 §7.5.5)");
                    }
                    skip((int) actual);
                }
                default -> throw new IllegalStateException("form 0x%x has a fixed size".formatted(form));
            }
        }

        /** Past a block of {@code n} bytes; one that runs past the unit is caught by the scan's end check. */
        private void skipBlock(long n) {
            pos = (int) Math.min((long) pos + n, Integer.MAX_VALUE - 1);
        }

        private long offset() {
            return u(unit.offsetSize());
        }

        private long u(int n) {
            long v = 0;
            if (little) {
                for (int i = n - 1; i >= 0; i--) {
                    v = v << 8 | (b[pos + i] & 0xff);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    v = v << 8 | (b[pos + i] & 0xff);
                }
            }
            pos += n;
            return v;
        }

        private long uleb() {
            long v = 0;
            int shift = 0;
            while (true) {
                int x = b[pos++];
                if (shift < 64) {
                    v |= (long) (x & 0x7f) << shift;
                }
                if (x >= 0) {
                    return v;
                }
                shift += 7;
                if (shift > 70) {
                    throw error(pos, "a LEB128 number of at most 10 bytes");
                }
            }
        }

        private FormatException error(int at, String expected) {
            return new FormatException(dwarf.sections().file() + " [.debug_info]", unit.offset() + at, expected);
        }
    }
}
