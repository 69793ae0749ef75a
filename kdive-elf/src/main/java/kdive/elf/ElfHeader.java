package kdive.elf;

import java.nio.ByteOrder;

/**
 * The ELF file header (System V gABI "ELF Header"), with extended numbering already resolved:
 * {@code shnum}, {@code shstrndx} and {@code phnum} hold the real values even when the header
 * defers them to section 0 (SHN_XINDEX / PN_XNUM, as vmcores with >65535 segments do).
 */
public record ElfHeader(
        boolean is64,
        ByteOrder order,
        int osAbi,
        int type,
        int machine,
        long entry,
        long phoff,
        long shoff,
        int flags,
        int phentsize,
        int phnum,
        int shentsize,
        int shnum,
        int shstrndx) {

    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    public static final int EM_386 = 3;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;

    /** Size in bytes of an address in this file (4 or 8). */
    public int addressSize() {
        return is64 ? 8 : 4;
    }

    public boolean isRelocatable() {
        return type == ET_REL;
    }
}
