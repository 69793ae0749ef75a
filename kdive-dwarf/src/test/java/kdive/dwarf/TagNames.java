package kdive.dwarf;

/** DW_TAG_* spellings as readelf prints them, for the tags gcc emits in the test programs. */
final class TagNames {
    private TagNames() {}

    static String name(int tag) {
        return switch (tag) {
            case 0x01 -> "DW_TAG_array_type";
            case 0x04 -> "DW_TAG_enumeration_type";
            case 0x05 -> "DW_TAG_formal_parameter";
            case 0x0a -> "DW_TAG_label";
            case 0x0b -> "DW_TAG_lexical_block";
            case 0x0d -> "DW_TAG_member";
            case 0x0f -> "DW_TAG_pointer_type";
            case 0x11 -> "DW_TAG_compile_unit";
            case 0x13 -> "DW_TAG_structure_type";
            case 0x15 -> "DW_TAG_subroutine_type";
            case 0x16 -> "DW_TAG_typedef";
            case 0x17 -> "DW_TAG_union_type";
            case 0x18 -> "DW_TAG_unspecified_parameters";
            case 0x1d -> "DW_TAG_inlined_subroutine";
            case 0x21 -> "DW_TAG_subrange_type";
            case 0x24 -> "DW_TAG_base_type";
            case 0x26 -> "DW_TAG_const_type";
            case 0x28 -> "DW_TAG_enumerator";
            case 0x2e -> "DW_TAG_subprogram";
            case 0x34 -> "DW_TAG_variable";
            case 0x35 -> "DW_TAG_volatile_type";
            case 0x37 -> "DW_TAG_restrict_type";
            case 0x48 -> "DW_TAG_call_site";
            case 0x49 -> "DW_TAG_call_site_parameter";
            case 0x4109 -> "DW_TAG_GNU_call_site";
            case 0x410a -> "DW_TAG_GNU_call_site_parameter";
            default -> "tag_0x" + Integer.toHexString(tag);
        };
    }
}
