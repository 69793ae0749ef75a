package kdive.elf;

/**
 * One section header (System V gABI "Sections"). {@code offset}/{@code size} describe the bytes
 * in the file; for an SHF_COMPRESSED section {@link ElfFile#contents(Section)} gives the
 * uncompressed bytes.
 */
public record Section(
        int index,
        String name,
        int type,
        long flags,
        long addr,
        long offset,
        long size,
        int link,
        int info,
        long addralign,
        long entsize) {

    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_NOTE = 7;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_REL = 9;
    public static final int SHT_DYNSYM = 11;

    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;
    public static final long SHF_COMPRESSED = 0x800;

    public boolean isAlloc() {
        return (flags & SHF_ALLOC) != 0;
    }

    public boolean isExecutable() {
        return (flags & SHF_EXECINSTR) != 0;
    }

    public boolean isCompressed() {
        return (flags & SHF_COMPRESSED) != 0;
    }

    /** True when {@code vaddr} lies in {@code [addr, addr + size)} (unsigned). */
    public boolean containsAddress(long vaddr) {
        return Long.compareUnsigned(vaddr, addr) >= 0 && Long.compareUnsigned(vaddr - addr, size) < 0;
    }
}
