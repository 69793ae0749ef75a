package kdive.dwarf;

import java.util.List;

/**
 * A C type read from DWARF (DWARF 5 §5). References to other types are .debug_info offsets
 * resolved with {@link Types#type(long)} (-1 means void), so recursive types (a struct holding a
 * pointer to itself) need no cycles of objects.
 */
public sealed interface Type {
    /** DIE offset of this type (-1 for void). */
    long offset();

    /** Size in bytes; -1 when unknown (void, flexible arrays, declarations). */
    long size();

    record Void() implements Type {
        public long offset() { return -1; }
        public long size() { return -1; }
    }

    /** DW_TAG_base_type; {@code encoding} is DW_ATE_* (DWARF 5 §5.1, Table 5.1). */
    record Base(long offset, String name, long size, int encoding) implements Type {}

    record Pointer(long offset, long size, long target) implements Type {}

    /** const, volatile, restrict, atomic: {@code kind} is the tag. */
    record Qualified(long offset, int kind, long target) implements Type {
        public long size() { return -1; }
    }

    record Typedef(long offset, String name, long target) implements Type {
        public long size() { return -1; }
    }

    /**
     * A member: byte offset of its storage unit, and for bitfields the bit offset from the start
     * of the struct (DWARF 4+ DW_AT_data_bit_offset, or converted from DWARF 2/3 DW_AT_bit_offset)
     * and the bit size (0 when not a bitfield).
     */
    record Member(String name, long type, long byteOffset, long bitOffset, long bitSize) {
        public boolean isBitfield() { return bitSize != 0; }
    }

    /** struct, union or class (kind is the tag); {@code declaration} when only declared here. */
    record Struct(long offset, int kind, String name, long size, boolean declaration, List<Member> members) implements Type {}

    /** Arrays: one count per dimension, outermost first; -1 for a flexible or unknown bound. */
    record Array(long offset, long element, List<Long> counts, long size) implements Type {}

    record Enumerator(String name, long value) {}

    record Enum(long offset, String name, long size, long underlying, List<Enumerator> enumerators) implements Type {}

    /** A function type (DW_TAG_subroutine_type, or a subprogram used as one). */
    record Function(long offset, long returnType, List<Long> parameters, boolean variadic) implements Type {
        public long size() { return -1; }
    }

    /** A tag this reader does not model; kept so lookups still succeed. */
    record Other(long offset, int tag, String name) implements Type {
        public long size() { return -1; }
    }
}
