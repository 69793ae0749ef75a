package kdive.elf;

/** One program header (System V gABI "Program Header"): a segment of the file or of memory. */
public record ProgramHeader(
        int index,
        int type,
        int flags,
        long offset,
        long vaddr,
        long paddr,
        long filesz,
        long memsz,
        long align) {

    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;

    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public boolean isLoad() {
        return type == PT_LOAD;
    }

    public boolean isNote() {
        return type == PT_NOTE;
    }

    /** True when {@code vaddr} lies in {@code [this.vaddr, this.vaddr + memsz)} (unsigned). */
    public boolean containsVaddr(long address) {
        return Long.compareUnsigned(address, vaddr) >= 0 && Long.compareUnsigned(address - vaddr, memsz) < 0;
    }

    /** True when {@code address} lies in {@code [paddr, paddr + memsz)} (unsigned). */
    public boolean containsPaddr(long address) {
        return Long.compareUnsigned(address, paddr) >= 0 && Long.compareUnsigned(address - paddr, memsz) < 0;
    }
}
