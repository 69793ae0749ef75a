package kdive.elf;

/** One symbol table entry (System V gABI "Symbol Table"); {@code value} is an unsigned address. */
public record Symbol(String name, long value, long size, int type, int bind, int visibility, int shndx) {

    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;
    public static final int STT_TLS = 6;

    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;

    public static final int SHN_UNDEF = 0;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_COMMON = 0xfff2;

    public boolean isFunction() {
        return type == STT_FUNC;
    }

    public boolean isDefined() {
        return shndx != SHN_UNDEF;
    }

    /** True when {@code address} is in {@code [value, value + size)}, or equals {@code value} for a size-0 symbol. */
    public boolean contains(long address) {
        long delta = address - value;
        return size == 0 ? delta == 0 : Long.compareUnsigned(delta, size) < 0;
    }
}
