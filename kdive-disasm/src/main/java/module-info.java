/** x86-64 instruction decoding with structured operands: Capstone through FFM, objdump as fallback. */
module kdive.disasm {
    requires transitive kdive.io;
    exports kdive.disasm;
}
