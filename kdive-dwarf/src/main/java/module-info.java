/** DWARF 2-5 reader: units, DIEs, line tables, ranges. */
module kdive.dwarf {
    requires transitive kdive.elf;
    exports kdive.dwarf;
}
