package kdive.dwarf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Types and global variables of a {@link Dwarf}: a name index built once by scanning every unit
 * (in parallel, skipping the attributes of DIEs that are not named types or variables), and
 * type DIEs decoded on demand and cached.
 */
public final class Types {
    /** A global variable: its name, type and (when it has a static DW_OP_addr location) address. */
    public record Variable(String name, long type, long address, long dieOffset) {
        public boolean hasAddress() { return address != -1; }
    }

    private static final int DW_OP_ADDR = 0x03;
    private static final int DW_OP_PLUS_UCONST = 0x23;

    private final Dwarf dwarf;
    private final Map<String, List<Long>> typesByName;
    private final Map<String, List<Long>> variablesByName;
    private final Map<Long, Type> cache = new ConcurrentHashMap<>();

    private Types(Dwarf dwarf, Map<String, List<Long>> types, Map<String, List<Long>> variables) {
        this.dwarf = dwarf;
        this.typesByName = types;
        this.variablesByName = variables;
    }

    /**
     * Types over a name index built elsewhere (e.g. read back from an on-disk cache): maps from
     * C name ("struct sock", a typedef) and from variable name to DIE offsets, best first.
     */
    public static Types of(Dwarf dwarf, Map<String, List<Long>> types, Map<String, List<Long>> variables) {
        return new Types(dwarf, Map.copyOf(types), Map.copyOf(variables));
    }

    /** Indexes the names of all units. */
    public static Types index(Dwarf dwarf) {
        record Found(String key, long offset, boolean variable) {}
        List<List<Found>> perUnit = dwarf.units().parallelStream().<List<Found>>map(u -> {
            var out = new ArrayList<Found>();
            scanNames(dwarf, u, new NameVisitor() {
                @Override
                public void type(String keyword, Die d) {
                    if (isString(d.get(DwAt.NAME))) {
                        out.add(new Found(keyword + dwarf.string(u, d.get(DwAt.NAME)), d.offset(), false));
                    }
                }

                @Override
                public void variable(Die d) {
                    if (isString(d.get(DwAt.NAME))) {
                        out.add(new Found(dwarf.string(u, d.get(DwAt.NAME)), d.offset(), true));
                    }
                }
            });
            return out;
        }).toList();
        var types = new HashMap<String, List<Long>>();
        var vars = new HashMap<String, List<Long>>();
        for (List<Found> l : perUnit) {
            for (Found f : l) {
                (f.variable() ? vars : types).computeIfAbsent(f.key(), k -> new ArrayList<>(1)).add(f.offset());
            }
        }
        return new Types(dwarf, types, vars);
    }

    /** Type decoding by DIE offset only: {@link #findType} and {@link #findVariable} find nothing. */
    public static Types unindexed(Dwarf dwarf) {
        return new Types(dwarf, Map.of(), Map.of());
    }

    /** What a name index is given by {@link #scanNames}. */
    public interface NameVisitor {
        /** A type DIE that has a C name; {@code keyword} is "struct ", "union ", "enum " or "". */
        void type(String keyword, Die d);

        /** A unit-level DW_TAG_variable (named, or naming itself through DW_AT_specification). */
        void variable(Die d);
    }

    /**
     * The DIEs of {@code u} a name index needs: named-type DIEs at any depth and unit-level
     * variables, with their attributes; every other DIE is skipped without decoding. Not thread
     * safe per unit; units may be scanned in parallel.
     */
    public static void scanNames(Dwarf dwarf, Unit u, NameVisitor visitor) {
        DieReader r = dwarf.dies(u);
        while (r.hasNext()) {
            int depth = r.depth();
            int tag = r.nextEntry();
            if (tag == 0) {
                continue;
            }
            String keyword = prefix(tag);
            boolean variable = tag == DwTag.VARIABLE && depth == 1;
            if (keyword == null && !variable) {
                r.skipAttributes();
                continue;
            }
            Die d = r.readAttributes();
            if (variable) {
                visitor.variable(d);
            } else {
                visitor.type(keyword, d);
            }
        }
    }

    /** True for the string forms a DW_AT_name can have (inline, strp, line_strp, strx). */
    public static boolean isString(AttrValue v) {
        return v instanceof AttrValue.Str || v instanceof AttrValue.Index;
    }

    /**
     * A variable's static address: its DW_AT_location is exactly DW_OP_addr ADDR (DWARF 5
     * §2.5.1.1); -1 for anything else (registers, lists, TLS).
     */
    public static long staticAddress(Dwarf dwarf, Die d) {
        if (d.get(DwAt.LOCATION) instanceof AttrValue.Block b && b.bytes().byteSize() == 1 + d.unit().addressSize()
                && b.bytes().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) == DW_OP_ADDR) {
            var r = new kdive.io.BinaryReader(b.bytes(), dwarf.sections().file(), 0, dwarf.sections().order());
            r.u8();
            return r.unsigned(d.unit().addressSize());
        }
        return -1;
    }

    /** The DIE offset of {@code d}'s DW_AT_type; -1 (void) when it has none. */
    public static long typeRef(Die d) {
        return d.get(DwAt.TYPE) instanceof AttrValue.Reference r ? r.offset() : -1;
    }

    /** The C keyword a tag's names live under ("struct ", "" for typedefs and base types), or null. */
    private static String prefix(int tag) {
        return switch (tag) {
            case DwTag.STRUCTURE_TYPE -> "struct ";
            case DwTag.UNION_TYPE -> "union ";
            case DwTag.ENUMERATION_TYPE -> "enum ";
            case DwTag.TYPEDEF, DwTag.BASE_TYPE -> "";
            default -> null;
        };
    }

    /**
     * A type by C name: {@code "struct sock"}, {@code "union foo"}, {@code "enum bar"}, a typedef
     * or base type name. A complete definition is preferred over a declaration.
     */
    public Optional<Type> findType(String name) {
        List<Long> offs = typesByName.getOrDefault(name.strip(), List.of());
        Type fallback = null;
        for (long off : offs) {
            Type t = type(off);
            if (!(t instanceof Type.Struct s && s.declaration())) {
                return Optional.of(t);
            }
            fallback = fallback == null ? t : fallback;
        }
        return Optional.ofNullable(fallback);
    }

    /** A global (unit-level) variable by name, preferring one with a static address. */
    public Optional<Variable> findVariable(String name) {
        Variable fallback = null;
        for (long off : variablesByName.getOrDefault(name, List.of())) {
            Variable v = variable(off);
            if (v.hasAddress()) {
                return Optional.of(v);
            }
            fallback = fallback == null ? v : fallback;
        }
        return Optional.ofNullable(fallback);
    }

    private Variable variable(long offset) {
        Die d = dwarf.die(offset);
        Unit u = d.unit();
        String name = dwarf.string(u, d.get(DwAt.NAME));
        long type = typeRef(d);
        long address = staticAddress(dwarf, d);
        if (type == -1 && d.get(DwAt.SPECIFICATION) instanceof AttrValue.Reference spec) {
            type = typeRef(dwarf.die(spec.offset()));
        }
        return new Variable(name, type, address, offset);
    }


    /** The type at DIE offset {@code offset}; -1 is void. */
    public Type type(long offset) {
        if (offset == -1) {
            return new Type.Void();
        }
        Type t = cache.get(offset);
        if (t == null) {
            // Not computeIfAbsent: decoding an array asks for its element's size, i.e. another type.
            t = decode(offset);
            Type prev = cache.putIfAbsent(offset, t);
            t = prev != null ? prev : t;
        }
        return t;
    }

    private Type decode(long offset) {
        Unit u = dwarf.unitContaining(offset).orElseThrow(() -> new kdive.io.FormatException(
                dwarf.sections().file() + " [.debug_info]", offset, "a type reference inside some unit"));
        DieReader r = dwarf.dies(u, offset);
        Die d = r.next();
        String name = d.get(DwAt.NAME) == null ? null : dwarf.string(u, d.get(DwAt.NAME));
        long size = d.get(DwAt.BYTE_SIZE) == null ? -1 : d.get(DwAt.BYTE_SIZE).asLong();
        long target = typeRef(d);
        List<Die> children = d.hasChildren() ? children(r) : List.of();
        return switch (d.tag()) {
            case DwTag.BASE_TYPE -> new Type.Base(offset, name, size,
                    d.get(DwAt.ENCODING) == null ? 0 : (int) d.get(DwAt.ENCODING).asLong());
            case DwTag.POINTER_TYPE -> new Type.Pointer(offset, size == -1 ? u.addressSize() : size, target);
            case DwTag.CONST_TYPE, DwTag.VOLATILE_TYPE, DwTag.RESTRICT_TYPE, 0x47 -> new Type.Qualified(offset, d.tag(), target);
            case DwTag.TYPEDEF -> new Type.Typedef(offset, name, target);
            case DwTag.STRUCTURE_TYPE, DwTag.UNION_TYPE, 0x02 -> new Type.Struct(offset, d.tag(), name, size,
                    d.get(DwAt.DECLARATION) != null, members(u, children, size));
            case DwTag.ARRAY_TYPE -> array(offset, target, children);
            case DwTag.ENUMERATION_TYPE -> new Type.Enum(offset, name, size, target, children.stream()
                    .filter(c -> c.tag() == DwTag.ENUMERATOR)
                    .map(c -> new Type.Enumerator(dwarf.string(u, c.get(DwAt.NAME)),
                            c.get(DwAt.CONST_VALUE) == null ? 0 : c.get(DwAt.CONST_VALUE).asLong()))
                    .toList());
            case DwTag.SUBROUTINE_TYPE, DwTag.SUBPROGRAM -> new Type.Function(offset, target,
                    children.stream().filter(c -> c.tag() == DwTag.FORMAL_PARAMETER).map(Types::typeRef).toList(),
                    children.stream().anyMatch(c -> c.tag() == 0x18));
            default -> new Type.Other(offset, d.tag(), name);
        };
    }

    /** The direct children of the DIE just read (nested ones skipped). */
    private static List<Die> children(DieReader r) {
        var out = new ArrayList<Die>();
        int depth = r.depth();
        while (r.hasNext() && r.depth() >= depth) {
            int level = r.depth();
            Die c = r.next();
            if (c.isNull()) {
                if (level == depth) {
                    break;
                }
                continue;
            }
            if (level == depth) {
                out.add(c);
            }
        }
        return out;
    }

    private List<Type.Member> members(Unit u, List<Die> children, long structSize) {
        var out = new ArrayList<Type.Member>();
        for (Die c : children) {
            if (c.tag() != DwTag.MEMBER) {
                continue;
            }
            String name = c.get(DwAt.NAME) == null ? null : dwarf.string(u, c.get(DwAt.NAME));
            AttrValue loc = c.get(DwAt.DATA_MEMBER_LOCATION);
            long byteOffset = memberOffset(loc);
            long bitSize = c.get(DwAt.BIT_SIZE) == null ? 0 : c.get(DwAt.BIT_SIZE).asLong();
            long bitOffset = byteOffset * 8;
            AttrValue dbo = c.get(DwAt.DATA_BIT_OFFSET);
            AttrValue oldBitOffset = c.get(0x0c); // DW_AT_bit_offset (DWARF 2/3, big-endian bit numbering)
            if (dbo != null) {
                bitOffset = dbo.asLong();
                byteOffset = bitOffset / 8;
            } else if (oldBitOffset != null && bitSize != 0) {
                // DWARF 3 §5.6.6: bit_offset counts from the storage unit's most significant bit;
                // on little-endian targets the data bit offset is unit*8 - bit_offset - bit_size.
                long unitBytes = c.get(DwAt.BYTE_SIZE) == null ? type(typeRef(c)).size() : c.get(DwAt.BYTE_SIZE).asLong();
                bitOffset = byteOffset * 8 + unitBytes * 8 - oldBitOffset.asLong() - bitSize;
            }
            out.add(new Type.Member(name, typeRef(c), byteOffset, bitOffset, bitSize));
        }
        return out;
    }

    /**
     * DW_AT_data_member_location: a constant (DWARF 3+), or in DWARF 2 an expression, which GCC
     * writes as DW_OP_plus_uconst N (DWARF 2 §5.6.6); 0 when absent (union members).
     */
    private long memberOffset(AttrValue loc) {
        if (loc == null) {
            return 0;
        }
        if (loc.isIntegral()) {
            return loc.asLong();
        }
        if (loc instanceof AttrValue.Block b && b.bytes().byteSize() > 1) {
            var r = new kdive.io.BinaryReader(b.bytes(), dwarf.sections().file(), 0, dwarf.sections().order());
            if (r.u8() == DW_OP_PLUS_UCONST) {
                return r.uleb128();
            }
        }
        return 0;
    }

    private Type array(long offset, long element, List<Die> children) {
        var counts = new ArrayList<Long>();
        for (Die c : children) {
            if (c.tag() != DwTag.SUBRANGE_TYPE) {
                continue;
            }
            AttrValue count = c.get(DwAt.COUNT);
            AttrValue upper = c.get(DwAt.UPPER_BOUND);
            if (count != null && count instanceof AttrValue.Constant) {
                counts.add(count.asLong());
            } else if (upper != null && upper instanceof AttrValue.Constant) {
                counts.add(upper.asLong() + 1);
            } else {
                counts.add(-1L);
            }
        }
        long elemSize = sizeOf(element);
        long total = elemSize;
        for (long n : counts) {
            total = n < 0 || total < 0 ? -1 : total * n;
        }
        return new Type.Array(offset, element, List.copyOf(counts), counts.isEmpty() ? -1 : total);
    }

    /** sizeof the type at {@code offset}, through typedefs and qualifiers; -1 when unknown. */
    public long sizeOf(long offset) {
        for (int hops = 0; hops < 64; hops++) {
            Type t = type(offset);
            switch (t) {
                case Type.Typedef td -> offset = td.target();
                case Type.Qualified q -> offset = q.target();
                default -> {
                    return t.size();
                }
            }
        }
        return -1;
    }

    /** The type behind typedefs and qualifiers. */
    public Type strip(long offset) {
        for (int hops = 0; hops < 64; hops++) {
            Type t = type(offset);
            switch (t) {
                case Type.Typedef td -> offset = td.target();
                case Type.Qualified q -> offset = q.target();
                default -> {
                    return t;
                }
            }
        }
        return type(offset);
    }
}
