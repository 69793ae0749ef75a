package kdive.symbolize.internal;

/** DW_LANG_* facts binutils relies on (DWARF 5 §7.12, Table 7.17). */
final class Languages {
    private Languages() {}

    /**
     * True for languages whose DW_AT_name is already the symbol name (no mangling): binutils'
     * mangle_style() returns 0 for them, and then trusts the DWARF name without consulting the
     * ELF symbol table.
     */
    static boolean plainNames(int lang) {
        return switch (lang) {
            case 0x01, 0x02, 0x05, 0x06, 0x07, 0x09, 0x0c, 0x0f, 0x12, 0x1d, 0x8001, 0x8765 -> true;
            default -> false;
        };
    }
}
