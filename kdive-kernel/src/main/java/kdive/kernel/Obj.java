package kdive.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import kdive.dwarf.Type;
import kdive.dwarf.TypeNames;
import kdive.dwarf.Types;
import kdive.io.LookupException;

/**
 * A kernel object, as drgn's Object: either a reference (a typed lvalue at an address, possibly
 * a bitfield inside it) or a pointer value made here (by {@link #addressOf}, {@link #containerOf})
 * that has no DIE of its own. Reads go through the {@link Program}; memory the dump lacks raises
 * {@link kdive.io.FaultException} naming the address. Immutable.
 */
public final class Obj {
    private static final int DW_ATE_BOOLEAN = 0x02;
    private static final int DW_ATE_SIGNED = 0x05;
    private static final int DW_ATE_SIGNED_CHAR = 0x06;
    /** Bound on typedef/qualifier chains and anonymous-member nesting (a real kernel needs < 10). */
    private static final int MAX_HOPS = 64;

    private final Program prog;
    /** The object's type (DIE offset); for a pointer value, the pointed-to type. */
    private final long type;
    private final boolean pointerValue;
    /** Address of a reference, or the value of a pointer value. */
    private final long address;
    private final int bitOffset;
    private final int bitSize;

    private Obj(Program prog, long type, boolean pointerValue, long address, int bitOffset, int bitSize) {
        this.prog = prog;
        this.type = type;
        this.pointerValue = pointerValue;
        this.address = address;
        this.bitOffset = bitOffset;
        this.bitSize = bitSize;
    }

    /** The object of type {@code type} (a DIE offset) stored at {@code address}. */
    public static Obj reference(Program prog, long type, long address) {
        return new Obj(prog, type, false, address, 0, 0);
    }

    /** A value of type "{@code target} *" holding {@code value}. */
    public static Obj pointerTo(Program prog, long target, long value) {
        return new Obj(prog, target, true, value, 0, 0);
    }

    /**
     * The kernel's container_of: the {@code typeName} object whose member {@code memberPath}
     * lives at {@code memberAddress}.
     */
    public static Obj containerOf(Program prog, long memberAddress, String typeName, String memberPath) {
        Type t = prog.type(typeName);
        return reference(prog, t.offset(), memberAddress - offsetOf(prog, t.offset(), memberPath));
    }

    /** offsetof(type, a.b.c) in bytes. */
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

    public Program program() { return prog; }

    /** The object's type; a pointer value's is a synthetic pointer (offset -1) to its target. */
    public Type type() {
        return pointerValue ? new Type.Pointer(-1, 8, type) : prog.types().type(type);
    }

    /** The C name of the type, e.g. "struct task_struct *". */
    public String typeName() {
        return TypeNames.of(prog.types(), type());
    }

    public boolean isPointerValue() { return pointerValue; }

    /** Where a reference lives. */
    public long address() {
        if (pointerValue) {
            throw new LookupException("a pointer value (0x%x) has no address".formatted(address));
        }
        return address;
    }

    /** &object, as a pointer value. */
    public Obj addressOf() {
        if (bitSize != 0) {
            throw new LookupException("cannot take the address of a bitfield at 0x%x".formatted(address));
        }
        return pointerTo(prog, type, address());
    }

    private Type stripped() {
        return pointerValue ? type() : prog.types().strip(type);
    }

    public boolean isPointer() { return stripped() instanceof Type.Pointer; }

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

    public boolean hasMember(String name) {
        Obj o = isPointer() ? pointee() : this;
        return o.stripped() instanceof Type.Struct && prog.member(o.type, name).isPresent();
    }

    private Obj member1(String name) {
        Obj o = isPointer() ? deref() : this;
        Found f = find(prog, o.type, name);
        Type.Member m = f.member();
        long bitInStorage = m.isBitfield() ? m.bitOffset() - m.byteOffset() * 8 : 0;
        return new Obj(prog, m.type(), false, o.address() + f.byteOffset(), (int) bitInStorage, (int) m.bitSize());
    }

    /** A member found by name, with its byte offset from the start of the outer struct. */
    record Found(Type.Member member, long byteOffset) {}

    private static Found find(Program prog, long structType, String name) {
        return prog.member(structType, name).orElseThrow(() -> new LookupException(
                "%s has no member %s".formatted(TypeNames.of(prog.types(), structType), name)));
    }

    /** The member named {@code name} of the struct or union at {@code structType}; Program caches the answers. */
    static Optional<Found> tryFind(Types types, long structType, String name, int depth) {
        if (!(types.strip(structType) instanceof Type.Struct s) || depth > MAX_HOPS) {
            return Optional.empty();
        }
        for (Type.Member m : s.members()) {
            if (name.equals(m.name())) {
                return Optional.of(new Found(m, m.byteOffset()));
            }
        }
        for (Type.Member m : s.members()) {
            if (m.name() == null) { // anonymous struct or union: its members are the parent's
                Optional<Found> f = tryFind(types, m.type(), name, depth + 1);
                if (f.isPresent()) {
                    return Optional.of(new Found(f.get().member(), m.byteOffset() + f.get().byteOffset()));
                }
            }
        }
        return Optional.empty();
    }

    /** *pointer: the pointed-to object (void * has no type to read). */
    public Obj deref() {
        return pointee().checkedNotVoid();
    }

    private Obj pointee() {
        Type t = stripped();
        return switch (t) {
            case Type.Pointer p -> reference(prog, p.target(), asLong());
            case Type.Array a -> reference(prog, a.element(), address());
            default -> throw new LookupException("cannot dereference %s".formatted(typeName()));
        };
    }

    private Obj checkedNotVoid() {
        if (type == -1) {
            throw new LookupException("cannot dereference a void pointer (0x%x)".formatted(address));
        }
        return this;
    }

    /** array[i], or pointer[i]. */
    public Obj index(long i) {
        Type t = stripped();
        long elem = switch (t) {
            case Type.Array a -> a.element();
            case Type.Pointer p -> p.target();
            default -> throw new LookupException("cannot index %s".formatted(typeName()));
        };
        long size = prog.types().sizeOf(elem);
        if (size <= 0) {
            throw new LookupException("cannot index %s: element size unknown".formatted(typeName()));
        }
        long base = t instanceof Type.Pointer ? asLong() : address();
        return reference(prog, elem, base + i * size);
    }

    /** Number of elements of an array type (outermost dimension); -1 when unknown. */
    public long length() {
        return stripped() instanceof Type.Array a && !a.counts().isEmpty() ? a.counts().getFirst() : -1;
    }

    /** The value of an integer, enum, boolean or pointer object (bitfields extracted, signed types sign-extended). */
    public long asLong() {
        if (pointerValue) {
            return address;
        }
        Type t = stripped();
        long size = switch (t) {
            case Type.Base b -> b.size();
            case Type.Pointer p -> p.size();
            case Type.Enum e -> e.size();
            default -> throw new LookupException("%s at 0x%x is not an integer or pointer".formatted(typeName(), address));
        };
        if (size < 1 || size > 8) {
            throw new LookupException("%s at 0x%x: %d-byte value cannot be read as a long".formatted(typeName(), address, size));
        }
        boolean signed = t instanceof Type.Base b && (b.encoding() == DW_ATE_SIGNED || b.encoding() == DW_ATE_SIGNED_CHAR)
                || t instanceof Type.Enum e && e.underlying() != -1
                   && prog.types().strip(e.underlying()) instanceof Type.Base ub && ub.encoding() == DW_ATE_SIGNED;
        if (bitSize == 0) {
            long v = prog.unsigned(address, (int) size);
            return signed && size < 8 ? v << (64 - size * 8) >> (64 - size * 8) : v;
        }
        int bytes = (bitOffset + bitSize + 7) / 8;
        long raw = prog.unsigned(address, Math.min(bytes, 8));
        long v = raw >>> bitOffset;
        v = bitSize == 64 ? v : v & ((1L << bitSize) - 1);
        return signed && bitSize < 64 ? v << (64 - bitSize) >> (64 - bitSize) : v;
    }

    public boolean asBoolean() {
        return asLong() != 0;
    }

    /** True for C booleans (DW_ATE_boolean). */
    public boolean isBoolean() {
        return stripped() instanceof Type.Base b && b.encoding() == DW_ATE_BOOLEAN;
    }

    /**
     * A C string: a char array's bytes up to its length or the first NUL, or the NUL-terminated
     * string a char pointer points to; at most {@code max} bytes either way.
     */
    public String asString(int max) {
        Type t = stripped();
        long start;
        long limit;
        switch (t) {
            case Type.Array a -> {
                start = address();
                limit = a.counts().isEmpty() || a.counts().getFirst() < 0 ? max : Math.min(max, a.counts().getFirst());
            }
            case Type.Pointer p -> {
                start = asLong();
                limit = max;
            }
            default -> throw new LookupException("%s at 0x%x is not a string".formatted(typeName(), address));
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

    @Override
    public String toString() {
        return pointerValue ? "(%s)0x%x".formatted(typeName(), address) : "*(%s *)0x%x".formatted(
                TypeNames.of(prog.types(), type), address);
    }
}
