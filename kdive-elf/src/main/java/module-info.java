/** ELF32/ELF64 over memory-mapped files: headers, sections, segments, notes, symbols, compressed and relocated sections. */
module kdive.elf {
    requires transitive kdive.io;
    requires aircompressor.v3;
    exports kdive.elf;
    exports kdive.elf.orc;
}
