package kdive.kernel.types;

import java.util.List;
import java.util.Optional;
import kdive.dwarf.Type;
import kdive.dwarf.TypeNames;
import kdive.dwarf.Types;

/**
 * A C type as a value (drgn's struct drgn_type): either a debug file's type, identified by (the
 * file's {@link Types}, DIE offset) and decoded when asked, or one made on the fly: a pointer to a
 * type, an array of one, an integer kind (the result of arithmetic), void. Names are spelled as
 * gdb prints them ({@code struct sock *}, {@code int (*)[4]}). Immutable; two DWARF types are
 * equal when they are the same DIE of the same file.
 */
public sealed interface KType {
    /** The DWARF base-type encodings kdive reads (DWARF 5 §7.8, Table 7.11). */
    int DW_ATE_BOOLEAN = 0x02;
    int DW_ATE_SIGNED = 0x05;
    int DW_ATE_SIGNED_CHAR = 0x06;
    int DW_ATE_UNSIGNED = 0x07;
    int DW_ATE_UNSIGNED_CHAR = 0x08;
    /** Bound on typedef/qualifier chains (a real kernel needs fewer than 10). */
    int MAX_HOPS = 64;

    /** sizeof, through typedefs and qualifiers; -1 when unknown (void, functions, incomplete types). */
    long size();

    /** The DIE offset of a debug file's type; -1 for a type made on the fly. */
    long offset();

    /** The name as gdb's whatis prints it. */
    default String name() {
        return declare("");
    }

    /** C's declaration of {@code declarator} with this type: "*" for a pointer to it, "[4]" for an array of it. */
    String declare(String declarator);

    /** void. */
    record Void() implements KType {
        public long size() { return -1; }

        public long offset() { return -1; }

        public String declare(String d) { return d.isEmpty() ? "void" : "void " + d; }
    }

    /** An integer kind made on the fly: the type of an arithmetic result ("int", "unsigned long"). */
    record Int(String cName, int bytes, boolean signed) implements KType {
        public static final Int INT = new Int("int", 4, true);
        public static final Int UNSIGNED_INT = new Int("unsigned int", 4, false);
        public static final Int LONG = new Int("long", 8, true);
        public static final Int UNSIGNED_LONG = new Int("unsigned long", 8, false);

        public long size() { return bytes; }

        public long offset() { return -1; }

        public String declare(String d) { return d.isEmpty() ? cName : cName + " " + d; }
    }

    /** A pointer to {@code target} made on the fly (address-of, a cast to "T *"). */
    record Pointer(KType target, int bytes) implements KType {
        public long size() { return bytes; }

        public long offset() { return -1; }

        public String declare(String d) {
            // A pointer to an array or a function needs parentheses: int (*)[4], void (*)(int).
            boolean wrap = target instanceof Array || target instanceof Dwarf dt
                    && (dt.dwarfType() instanceof Type.Array || dt.dwarfType() instanceof Type.Function);
            return target.declare(wrap ? "(*" + d + ")" : "*" + d);
        }
    }

    /** An array of {@code length} {@code element}s made on the fly (-1: unknown length). */
    record Array(KType element, long length) implements KType {
        public long size() {
            long e = element.size();
            return e < 0 || length < 0 ? -1 : e * length;
        }

        public long offset() { return -1; }

        public String declare(String d) {
            return element.declare(d + "[" + (length < 0 ? "" : Long.toString(length)) + "]");
        }
    }

    /** A debug file's type: the DIE at {@code die} of {@code types}' file (-1 is void). */
    record Dwarf(Types types, long die) implements KType {
        public Type dwarfType() { return types.type(die); }

        public long size() { return types.sizeOf(die); }

        public long offset() { return die; }

        public String declare(String d) { return TypeNames.of(types, die, d); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Dwarf other && other.types == types && other.die == die;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(types) * 31 + Long.hashCode(die);
        }
    }

    /** A DWARF type at {@code die} of {@code types}; -1 gives void. */
    static KType of(Types types, long die) {
        return die == -1 ? new Void() : new Dwarf(types, die);
    }

    /** This type behind typedefs and qualifiers. */
    default KType unqualified() {
        KType t = this;
        for (int hops = 0; hops < MAX_HOPS && t instanceof Dwarf d; hops++) {
            switch (d.dwarfType()) {
                case Type.Typedef td -> t = of(d.types(), td.target());
                case Type.Qualified q -> t = of(d.types(), q.target());
                default -> {
                    return t;
                }
            }
        }
        return t;
    }

    /** What the type is once typedefs and qualifiers are looked through: one case per C kind. */
    default Shape shape() {
        KType t = unqualified();
        return switch (t) {
            case Void v -> new Shape.VoidShape();
            case Int i -> new Shape.IntShape(i.bytes(), i.signed(), false);
            case Pointer p -> new Shape.PointerShape(p.target(), p.bytes());
            case Array a -> new Shape.ArrayShape(a.element(), a.length());
            case Dwarf d -> dwarfShape(d);
        };
    }

    private static Shape dwarfShape(Dwarf d) {
        Types types = d.types();
        return switch (d.dwarfType()) {
            case Type.Void v -> new Shape.VoidShape();
            case Type.Base b -> b.encoding() == DW_ATE_BOOLEAN ? new Shape.IntShape((int) b.size(), false, true)
                    : b.encoding() == DW_ATE_SIGNED || b.encoding() == DW_ATE_SIGNED_CHAR
                            ? new Shape.IntShape((int) b.size(), true, false)
                    : b.encoding() == DW_ATE_UNSIGNED || b.encoding() == DW_ATE_UNSIGNED_CHAR
                            ? new Shape.IntShape((int) b.size(), false, false)
                    : new Shape.OtherShape();
            case Type.Enum e -> new Shape.IntShape((int) e.size(), e.underlying() != -1
                    && of(types, e.underlying()).shape() instanceof Shape.IntShape u && u.signed(), false);
            case Type.Pointer p -> new Shape.PointerShape(of(types, p.target()), (int) p.size());
            case Type.Array a -> {
                if (a.counts().isEmpty()) {
                    yield new Shape.ArrayShape(of(types, a.element()), -1);
                }
                // int m[2][3]: an array of 2 "int [3]" (made on the fly: DWARF has one DIE for both dimensions).
                KType element = of(types, a.element());
                List<Long> counts = a.counts();
                for (int i = counts.size() - 1; i >= 1; i--) {
                    element = new Array(element, counts.get(i));
                }
                yield new Shape.ArrayShape(element, counts.getFirst());
            }
            case Type.Struct s -> new Shape.StructShape(s);
            case Type.Function f -> new Shape.FunctionShape();
            case Type.Typedef td -> of(types, td.target()).shape();
            case Type.Qualified q -> of(types, q.target()).shape();
            case Type.Other o -> new Shape.OtherShape();
        };
    }

    default boolean isPointer() { return shape() instanceof Shape.PointerShape; }

    default boolean isInteger() { return shape() instanceof Shape.IntShape; }

    /** Integers and pointers: the types that have a scalar value. */
    default boolean isScalar() { return isInteger() || isPointer(); }

    /** The pointer to this type. */
    default KType pointer() { return new Pointer(this, 8); }

    /** The array of {@code n} of this type. */
    default KType array(long n) { return new Array(this, n); }

    /** A struct or union member found by name, anonymous members looked through. */
    default Optional<Member> member(String name) {
        return shape() instanceof Shape.StructShape s && this.unqualified() instanceof Dwarf d
                ? Member.find(d.types(), s.struct(), name, 0) : Optional.empty();
    }

    /**
     * A member: its type, bit offset from the start of the outer struct and bit size (0 when not a
     * bitfield).
     */
    record Member(String name, KType type, long bitOffset, long bitSize) {
        public long byteOffset() { return bitOffset / 8; }

        public boolean isBitfield() { return bitSize != 0; }

        static Optional<Member> find(Types types, Type.Struct s, String name, int depth) {
            if (depth > MAX_HOPS) {
                return Optional.empty();
            }
            for (Type.Member m : s.members()) {
                if (name.equals(m.name())) {
                    return Optional.of(new Member(name, of(types, m.type()), m.isBitfield() ? m.bitOffset() : m.byteOffset() * 8,
                            m.bitSize()));
                }
            }
            for (Type.Member m : s.members()) {
                if (m.name() == null && types.strip(m.type()) instanceof Type.Struct inner) {
                    Optional<Member> f = find(types, inner, name, depth + 1);
                    if (f.isPresent()) {
                        Member x = f.get();
                        return Optional.of(new Member(x.name(), x.type(), m.byteOffset() * 8 + x.bitOffset(), x.bitSize()));
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** The C kinds a type can be, once typedefs and qualifiers are looked through. */
    sealed interface Shape {
        record VoidShape() implements Shape {}

        /** Integers, enums and booleans. */
        record IntShape(int bytes, boolean signed, boolean bool) implements Shape {}

        record PointerShape(KType target, int bytes) implements Shape {}

        record ArrayShape(KType element, long length) implements Shape {}

        record StructShape(Type.Struct struct) implements Shape {}

        record FunctionShape() implements Shape {}

        /** Floating point and whatever else kdive does not compute with. */
        record OtherShape() implements Shape {}
    }
}
