/** Crash dump formats (ELF vmcore, kdump compressed, flattened) as physical memory, and vmcoreinfo. */
module kdive.dump {
    requires transitive kdive.io;
    requires transitive kdive.elf;
    requires aircompressor.v3;
    exports kdive.dump;
}
