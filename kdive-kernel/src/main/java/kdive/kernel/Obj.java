package kdive.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import kdive.dwarf.Type;
import kdive.dwarf.Types;
import kdive.io.LookupException;
import kdive.kernel.types.KType;
import kdive.kernel.types.KType.Shape;

/**
 * A kernel object, as drgn's Object (libdrgn/object.c): a {@link KType} and a kind. A
 * {@link Kind#REFERENCE} is an lvalue at an address (possibly a bitfield inside it); a
 * {@link Kind#VALUE} holds a scalar (an integer or pointer, made by arithmetic, a cast, &amp;x or
 * {@link #read()}); an {@link Kind#ABSENT} object has a type but no value (optimized out), and
 * reading it is an error. The C operators follow C's rules as drgn's language_c.c does: integer
 * promotions and the usual arithmetic conversions, pointer arithmetic scaled by the pointed-to
 * size. Reads go through the {@link Program}; memory the dump lacks raises
 * {@link kdive.io.FaultException} naming the address. Immutable.
 */
public final class Obj {
    /** What an object holds (drgn's enum drgn_object_kind). */
    public enum Kind { VALUE, REFERENCE, ABSENT }

    private final Program prog;
    private final KType type;
    private final Kind kind;
    /** A reference's address, or a value's bits (sign-extended for signed types, zero-extended otherwise). */
    private final long bits;
    private final int bitOffset;
    private final int bitSize;

    private Obj(Program prog, KType type, Kind kind, long bits, int bitOffset, int bitSize) {
        this.prog = prog;
        this.type = type;
        this.kind = kind;
        this.bits = bits;
        this.bitOffset = bitOffset;
        this.bitSize = bitSize;
    }

    // ---- making objects ----

    /** The object of type {@code type} stored at {@code address}. */
    public static Obj reference(Program prog, KType type, long address) {
        return new Obj(prog, type, Kind.REFERENCE, address, 0, 0);
    }

    /** The object of the debug info's type at DIE {@code type} stored at {@code address}. */
    public static Obj reference(Program prog, long type, long address) {
        return reference(prog, KType.of(prog.types(), type), address);
    }

    /** A value of scalar type {@code type} (integer, enum, boolean or pointer), converted as C converts. */
    public static Obj value(Program prog, KType type, long value) {
        Shape s = type.shape();
        return switch (s) {
            case Shape.IntShape i -> new Obj(prog, type, Kind.VALUE, convert(value, i.bytes(), i.signed(), i.bool()), 0, 0);
            case Shape.PointerShape p -> new Obj(prog, type, Kind.VALUE, convert(value, p.bytes(), false, false), 0, 0);
            default -> throw new LookupException("a value of %s cannot be made from an integer".formatted(type.name()));
        };
    }

    /** An optimized-out object of type {@code type}. */
    public static Obj absent(Program prog, KType type) {
        return new Obj(prog, type, Kind.ABSENT, 0, 0, 0);
    }

    /** A value of type "{@code target} *" (a DIE offset) holding {@code value}. */
    public static Obj pointerTo(Program prog, long target, long value) {
        return value(prog, KType.of(prog.types(), target).pointer(), value);
    }

    /**
     * The kernel's container_of: the {@code typeName} object whose member {@code memberPath}
     * lives at {@code memberAddress}.
     */
    public static Obj containerOf(Program prog, long memberAddress, String typeName, String memberPath) {
        Type t = prog.type(typeName);
        return reference(prog, t.offset(), memberAddress - offsetOf(prog, t.offset(), memberPath));
    }

    /** offsetof(type, a.b.c) in bytes, {@code type} a DIE offset. */
    public static long offsetOf(Program prog, long type, String memberPath) {
        long off = 0;
        long t = type;
        for (String name : memberPath.split("\\.")) {
            Found f = find(prog, t, name);
            off += f.byteOffset();
            t = f.member().type();
        }
        return off;
    }

    // ---- what it is ----

    public Program program() { return prog; }

    public KType type() { return type; }

    public Kind kind() { return kind; }

    public boolean isAbsent() { return kind == Kind.ABSENT; }

    /** The C name of the type, e.g. "struct task_struct *". */
    public String typeName() { return type.name(); }

    /** A pointer held as a value (not read from memory). */
    public boolean isPointerValue() { return kind == Kind.VALUE && isPointer(); }

    public boolean isPointer() { return type.isPointer(); }

    /** True for C booleans (DW_ATE_boolean). */
    public boolean isBoolean() { return type.shape() instanceof Shape.IntShape i && i.bool(); }

    /** Where a reference lives. */
    public long address() {
        if (kind != Kind.REFERENCE) {
            throw new LookupException("%s has no address: it is %s".formatted(this, kind == Kind.VALUE ? "a value" : "absent"));
        }
        return bits;
    }

    /** Bit offset of a bitfield reference within its first byte; 0 otherwise. */
    public int bitOffset() { return bitOffset; }

    /** Bits of a bitfield; 0 when the object is not one. */
    public int bitSize() { return bitSize; }

    // ---- member, deref, subscript, address-of ----

    /**
     * A member by path ("signal.thread_head", "se.sum_exec_runtime"); a pointer on the way is
     * followed as C's "->" would be. Members of anonymous structs and unions are found by name.
     */
    public Obj member(String path) {
        Obj o = this;
        for (String name : path.split("\\.")) {
            o = o.member1(name);
        }
        return o;
    }

    /** C's {@code ptr->name}: the member of what this pointer points to. */
    public Obj arrow(String name) {
        if (!isPointer()) {
            throw new LookupException("%s is not a pointer: '->' needs one".formatted(typeName()));
        }
        return deref().member1(name);
    }

    public boolean hasMember(String name) {
        KType t = isPointer() && type.shape() instanceof Shape.PointerShape p ? p.target() : type;
        return t.unqualified() instanceof KType.Dwarf d && t.shape() instanceof Shape.StructShape
                && prog.member(d.die(), name).isPresent();
    }

    private Obj member1(String name) {
        Obj o = isPointer() ? deref() : this;
        if (!(o.type.unqualified() instanceof KType.Dwarf d) || !(o.type.shape() instanceof Shape.StructShape)) {
            throw new LookupException("%s has no member %s: not a struct or union".formatted(o.typeName(), name));
        }
        if (o.kind != Kind.REFERENCE) {
            return o.kind == Kind.ABSENT ? absent(prog, KType.of(d.types(), find(prog, d.die(), name).member().type()))
                    : failValueMember(name);
        }
        Found f = find(prog, d.die(), name);
        Type.Member m = f.member();
        long bitInStorage = m.isBitfield() ? m.bitOffset() - m.byteOffset() * 8 : 0;
        return new Obj(prog, KType.of(d.types(), m.type()), Kind.REFERENCE, o.bits + f.byteOffset(),
                (int) bitInStorage, (int) m.bitSize());
    }

    /**
     * The member {@code m} of this struct or union reference, by its DWARF description: how a
     * printer walks every member, anonymous structs and unions included (they have no name).
     */
    public Obj memberAt(Type.Member m) {
        if (!(type.unqualified() instanceof KType.Dwarf d) || !(type.shape() instanceof Shape.StructShape)) {
            throw new LookupException("%s has no members: not a struct or union".formatted(typeName()));
        }
        if (kind != Kind.REFERENCE) {
            return kind == Kind.ABSENT ? absent(prog, KType.of(d.types(), m.type())) : failValueMember(String.valueOf(m.name()));
        }
        long bitInStorage = m.isBitfield() ? m.bitOffset() - m.byteOffset() * 8 : 0;
        return new Obj(prog, KType.of(d.types(), m.type()), Kind.REFERENCE, bits + m.byteOffset(),
                (int) bitInStorage, (int) m.bitSize());
    }

    private Obj failValueMember(String name) {
        throw new LookupException("%s is a value: its member %s has no memory to be read from".formatted(this, name));
    }

    /** A member found by name, with its byte offset from the start of the outer struct. */
    record Found(Type.Member member, long byteOffset) {}

    private static Found find(Program prog, long structType, String name) {
        return prog.member(structType, name).orElseThrow(() -> new LookupException(
                "%s has no member %s".formatted(KType.of(prog.types(), structType).name(), name)));
    }

    /** The member named {@code name} of the struct or union at {@code structType}; Program caches the answers. */
    static Optional<Found> tryFind(Types types, long structType, String name, int depth) {
        return KType.of(types, structType).member(name).map(m -> {
            Type.Member dm = new Type.Member(m.name(), m.type().offset(), m.byteOffset(), m.bitOffset(), m.bitSize());
            return new Found(dm, m.byteOffset());
        });
    }

    /** *pointer: the pointed-to object (void * has no type to read). */
    public Obj deref() {
        Obj o = pointee();
        if (o.type.shape() instanceof Shape.VoidShape) {
            throw new LookupException("cannot dereference a void pointer (0x%x)".formatted(asLong()));
        }
        return o;
    }

    private Obj pointee() {
        return switch (type.shape()) {
            case Shape.PointerShape p -> reference(prog, p.target(), asLong());
            case Shape.ArrayShape a -> reference(prog, a.element(), address());
            default -> throw new LookupException("cannot dereference %s".formatted(typeName()));
        };
    }

    /** &object, as a pointer value. */
    public Obj addressOf() {
        if (bitSize != 0) {
            throw new LookupException("cannot take the address of a bitfield at 0x%x".formatted(bits));
        }
        return value(prog, type.pointer(), address());
    }

    /** array[i], or pointer[i]. */
    public Obj index(long i) {
        KType elem;
        long base;
        switch (type.shape()) {
            case Shape.ArrayShape a -> {
                elem = a.element();
                base = address();
            }
            case Shape.PointerShape p -> {
                elem = p.target();
                base = asLong();
            }
            default -> throw new LookupException("cannot index %s".formatted(typeName()));
        }
        long size = elem.size();
        if (size <= 0) {
            throw new LookupException("cannot index %s: element size unknown".formatted(typeName()));
        }
        return reference(prog, elem, base + i * size);
    }

    /** Number of elements of an array type (outermost dimension); -1 when unknown. */
    public long length() {
        return type.shape() instanceof Shape.ArrayShape a ? a.length() : -1;
    }

    /** The pointer to the {@code typeName} containing this object as its {@code memberPath} (drgn's container_of on a pointer). */
    public Obj containerOf(String typeName, String memberPath) {
        long at = isPointer() ? asLong() : address();
        Type t = prog.type(typeName);
        return value(prog, KType.of(prog.types(), t.offset()).pointer(), at - offsetOf(prog, t.offset(), memberPath));
    }

    // ---- values ----

    /** A reference read into a value (drgn's read_()); a value stays itself. */
    public Obj read() {
        return switch (kind) {
            case VALUE -> this;
            case REFERENCE -> value(prog, type, asLong());
            case ABSENT -> throw absentError();
        };
    }

    private LookupException absentError() {
        return new LookupException("the %s is absent (optimized out)".formatted(typeName()));
    }

    /** The value of an integer, enum, boolean or pointer object (bitfields extracted, signed types sign-extended). */
    public long asLong() {
        if (kind == Kind.VALUE) {
            return bits;
        }
        if (kind == Kind.ABSENT) {
            throw absentError();
        }
        int size;
        boolean signed;
        switch (type.shape()) {
            case Shape.IntShape i -> {
                size = i.bytes();
                signed = i.signed();
            }
            case Shape.PointerShape p -> {
                size = p.bytes();
                signed = false;
            }
            default -> throw new LookupException("%s at 0x%x is not an integer or pointer".formatted(typeName(), bits));
        }
        if (size < 1 || size > 8) {
            throw new LookupException("%s at 0x%x: %d-byte value cannot be read as a long".formatted(typeName(), bits, size));
        }
        if (bitSize == 0) {
            long v = prog.unsigned(bits, size);
            return signed && size < 8 ? v << (64 - size * 8) >> (64 - size * 8) : v;
        }
        int bytes = (bitOffset + bitSize + 7) / 8;
        long v = bytes <= 8 ? prog.unsigned(bits, bytes) >>> bitOffset : wide(bits);
        v = bitSize == 64 ? v : v & ((1L << bitSize) - 1);
        return signed && bitSize < 64 ? v << (64 - bitSize) >> (64 - bitSize) : v;
    }

    /** A bitfield spanning 9 bytes (a bit offset of 1 to 7 and up to 64 bits): its bits shifted down. */
    private long wide(long address) {
        long lo = prog.unsigned(address, 8);
        long hi = prog.unsigned(address + 8, 1);
        return lo >>> bitOffset | hi << (64 - bitOffset);
    }

    public boolean asBoolean() {
        return asLong() != 0;
    }

    /**
     * A C string: a char array's bytes up to its length or the first NUL, or the NUL-terminated
     * string a char pointer points to; at most {@code max} bytes either way.
     */
    public String asString(int max) {
        long start;
        long limit;
        switch (type.shape()) {
            case Shape.ArrayShape a -> {
                start = address();
                limit = a.length() < 0 ? max : Math.min(max, a.length());
            }
            case Shape.PointerShape p -> {
                start = asLong();
                limit = max;
            }
            default -> throw new LookupException("%s is not a string".formatted(this));
        }
        var out = new java.io.ByteArrayOutputStream();
        long at = start;
        while (out.size() < limit) {
            int chunk = (int) Math.min(limit - out.size(), 4096 - (at & 4095)); // one page at a time
            byte[] b = prog.read(at, chunk);
            for (byte x : b) {
                if (x == 0) {
                    return out.toString(StandardCharsets.UTF_8);
                }
                out.write(x);
            }
            at += chunk;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // ---- C operators ----

    /** C's cast {@code (type) this} of a scalar: (struct sock *)0xffff..., (unsigned char)x. */
    public Obj cast(KType to) {
        if (!to.isScalar()) {
            throw new LookupException("cannot cast %s to %s: only integers and pointers are cast".formatted(typeName(), to.name()));
        }
        return value(prog, to, scalar());
    }

    /** C's cast to a type written as in C ("struct sock *"). */
    public Obj cast(String typeName) {
        return cast(prog.ktype(typeName));
    }

    /** The scalar value for an operator: an array decays to its address (C11 6.3.2.1p3). */
    private long scalar() {
        return type.shape() instanceof Shape.ArrayShape ? address() : asLong();
    }

    /** The operand's type for an operator: an array decays to a pointer to its element. */
    private KType decayed() {
        return type.shape() instanceof Shape.ArrayShape a ? a.element().pointer() : type;
    }

    /** {@code this + n}: integer addition, or pointer arithmetic scaled by the pointed-to size. */
    public Obj add(long n) {
        return add(value(prog, KType.Int.LONG, n));
    }

    public Obj add(Obj other) {
        if (decayed().isPointer() && other.type.isInteger()) {
            return pointerPlus(other.asLong());
        }
        if (type.isInteger() && other.decayed().isPointer()) {
            return other.pointerPlus(asLong());
        }
        return arithmetic(other, '+');
    }

    public Obj sub(long n) {
        return sub(value(prog, KType.Int.LONG, n));
    }

    /** {@code this - other}: integers, pointer minus integer, or pointer minus pointer (in elements, a long). */
    public Obj sub(Obj other) {
        if (decayed().isPointer() && other.type.isInteger()) {
            return pointerPlus(-other.asLong());
        }
        if (decayed().isPointer() && other.decayed().isPointer()) {
            long size = elementSize(decayed());
            return value(prog, KType.Int.LONG, (scalar() - other.scalar()) / size);
        }
        return arithmetic(other, '-');
    }

    public Obj mul(Obj other) { return arithmetic(other, '*'); }

    public Obj div(Obj other) { return arithmetic(other, '/'); }

    public Obj mod(Obj other) { return arithmetic(other, '%'); }

    public Obj and(Obj other) { return arithmetic(other, '&'); }

    public Obj or(Obj other) { return arithmetic(other, '|'); }

    public Obj xor(Obj other) { return arithmetic(other, '^'); }

    public Obj shl(Obj other) { return shift(other, true); }

    public Obj shr(Obj other) { return shift(other, false); }

    /** Unary minus, after the integer promotions. */
    public Obj neg() {
        KType.Int t = promoted(this);
        return value(prog, t, -asLong());
    }

    /** Bitwise not, after the integer promotions. */
    public Obj not() {
        KType.Int t = promoted(this);
        return value(prog, t, ~asLong());
    }

    /**
     * C's relational and equality operators as a three-way compare: integers under the usual
     * arithmetic conversions (so -1 &gt; 0u, as in C), pointers by address.
     */
    public int compareTo(Obj other) {
        if (decayed().isPointer() || other.decayed().isPointer()) {
            return Long.compareUnsigned(scalar(), other.scalar());
        }
        KType.Int t = common(this, other);
        long a = convert(asLong(), t.bytes(), t.signed(), false);
        long b = convert(other.asLong(), t.bytes(), t.signed(), false);
        return t.signed() ? Long.compare(a, b) : Long.compareUnsigned(a, b);
    }

    /** C's ==. */
    public boolean equalTo(Obj other) {
        return compareTo(other) == 0;
    }

    private Obj pointerPlus(long n) {
        KType p = decayed();
        return value(prog, p, scalar() + n * elementSize(p));
    }

    /** sizeof(*p); void * steps by 1 byte, as GCC's extension and gdb do. */
    private static long elementSize(KType pointer) {
        KType target = ((Shape.PointerShape) pointer.shape()).target();
        if (target.shape() instanceof Shape.VoidShape) {
            return 1;
        }
        long size = target.size();
        if (size <= 0) {
            throw new LookupException("arithmetic on %s: the pointed-to size is unknown".formatted(pointer.name()));
        }
        return size;
    }

    private Obj arithmetic(Obj other, char op) {
        if (!type.isInteger() || !other.type.isInteger()) {
            throw new LookupException("invalid operands to %c: %s and %s".formatted(op, typeName(), other.typeName()));
        }
        KType.Int t = common(this, other);
        long a = convert(asLong(), t.bytes(), t.signed(), false);
        long b = convert(other.asLong(), t.bytes(), t.signed(), false);
        if ((op == '/' || op == '%') && b == 0) {
            throw new LookupException("division by zero");
        }
        long r = switch (op) {
            case '+' -> a + b;
            case '-' -> a - b;
            case '*' -> a * b;
            case '/' -> t.signed() ? a / b : Long.divideUnsigned(a, b);
            case '%' -> t.signed() ? a % b : Long.remainderUnsigned(a, b);
            case '&' -> a & b;
            case '|' -> a | b;
            case '^' -> a ^ b;
            default -> throw new IllegalArgumentException("operator " + op);
        };
        return value(prog, t, r);
    }

    /** Shifts take the promoted left operand's type (C11 6.5.7p3). */
    private Obj shift(Obj other, boolean left) {
        if (!type.isInteger() || !other.type.isInteger()) {
            throw new LookupException("invalid operands to a shift: %s and %s".formatted(typeName(), other.typeName()));
        }
        KType.Int t = promoted(this);
        long n = other.asLong();
        if (n < 0 || n >= t.bytes() * 8L) {
            throw new LookupException("shift by %d of a %d-bit %s".formatted(n, t.bytes() * 8, t.cName()));
        }
        long a = asLong();
        return value(prog, t, left ? a << n : t.signed() ? a >> n : convert(a, t.bytes(), false, false) >>> n);
    }

    /** The integer promotions (C11 6.3.1.1p2): anything narrower than int becomes int. */
    private static KType.Int promoted(Obj o) {
        if (!(o.type.shape() instanceof Shape.IntShape i)) {
            throw new LookupException("%s is not an integer".formatted(o.typeName()));
        }
        if (i.bytes() < 4 || o.bitSize != 0 && o.bitSize < 32) {
            return KType.Int.INT;
        }
        return i.bytes() == 4 ? (i.signed() ? KType.Int.INT : KType.Int.UNSIGNED_INT)
                : i.signed() ? KType.Int.LONG : KType.Int.UNSIGNED_LONG;
    }

    /** The usual arithmetic conversions (C11 6.3.1.8) on LP64: the wider type, unsigned at equal width if either is. */
    private static KType.Int common(Obj a, Obj b) {
        KType.Int x = promoted(a);
        KType.Int y = promoted(b);
        if (x.bytes() != y.bytes()) {
            return x.bytes() > y.bytes() ? x : y;
        }
        return x.signed() ? y : x;
    }

    /** {@code v} as a value of {@code bytes} bytes: truncated, then sign- or zero-extended; a boolean is 0 or 1. */
    private static long convert(long v, int bytes, boolean signed, boolean bool) {
        if (bool) {
            return v != 0 ? 1 : 0;
        }
        if (bytes >= 8 || bytes <= 0) {
            return v;
        }
        int shift = 64 - bytes * 8;
        return signed ? v << shift >> shift : v << shift >>> shift;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case VALUE -> "(%s)0x%x".formatted(typeName(), bits);
            case REFERENCE -> "*(%s)0x%x".formatted(type.pointer().name(), bits);
            case ABSENT -> "(%s)<absent>".formatted(typeName());
        };
    }
}
