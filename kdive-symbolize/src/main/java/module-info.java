/** Address to function, file:line and inline chain, exactly as binutils addr2line prints them; disassembly with source. */
module kdive.symbolize {
    requires transitive kdive.dwarf;
    requires transitive kdive.disasm;
    exports kdive.symbolize;
}
