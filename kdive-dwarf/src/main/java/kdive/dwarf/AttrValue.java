package kdive.dwarf;

import java.lang.foreign.MemorySegment;

/**
 * A decoded attribute value (DWARF 5 §7.5.5 attribute classes). Index forms (strx, addrx,
 * rnglistx, loclistx) stay indices here because their bases come from the unit's root DIE;
 * {@link Dwarf#string}, {@link Dwarf#address} and {@link Dwarf#ranges} resolve them.
 */
public sealed interface AttrValue {
    /** The form the value was encoded with. */
    Form form();

    /** DW_FORM_addr. */
    record Address(Form form, long value) implements AttrValue {}

    /** data1/2/4/8, udata, sdata, implicit_const: {@code value} holds the bits (sign-extended for sdata). */
    record Constant(Form form, long value) implements AttrValue {}

    /** A reference already made absolute: an offset into .debug_info. */
    record Reference(Form form, long offset) implements AttrValue {}

    /** DW_FORM_ref_sig8: a type unit signature. */
    record Signature(Form form, long signature) implements AttrValue {}

    /** A string in a section: .debug_info (inline), .debug_str, .debug_line_str. */
    record Str(Form form, MemorySegment section, long offset) implements AttrValue {}

    /** strx*, addrx*, rnglistx, loclistx: an index to resolve through the unit's base. */
    record Index(Form form, long index) implements AttrValue {}

    /** block*, exprloc, data16: the bytes (a view into the section). */
    record Block(Form form, MemorySegment bytes) implements AttrValue {}

    record Flag(Form form, boolean value) implements AttrValue {}

    /** sec_offset (lineptr, rnglist, loclist, ... ) or strp_sup / GNU alt forms. */
    record SectionOffset(Form form, long offset) implements AttrValue {}

    /** True for forms binutils treats as integers (constants, offsets, references, addresses, flags). */
    default boolean isIntegral() {
        return switch (this) {
            case Address a -> true;
            case Constant c -> true;
            case Reference r -> true;
            case SectionOffset s -> true;
            case Flag f -> true;
            case Index i -> true;
            case Signature s -> true;
            case Str s -> false;
            case Block b -> false;
        };
    }

    /** The integer carried by an integral value (see {@link #isIntegral}); 0 otherwise. */
    default long asLong() {
        return switch (this) {
            case Address a -> a.value();
            case Constant c -> c.value();
            case Reference r -> r.offset();
            case SectionOffset s -> s.offset();
            case Flag f -> f.value() ? 1 : 0;
            case Index i -> i.index();
            case Signature s -> s.signature();
            case Str s -> 0;
            case Block b -> 0;
        };
    }
}
