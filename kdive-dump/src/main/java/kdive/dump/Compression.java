package kdive.dump;

/** How a kdump compressed file stores a page (makedumpfile diskdump_mod.h, DUMP_DH_COMPRESSED_*). */
public enum Compression {
    NONE(0),
    ZLIB(0x1),
    LZO(0x2),
    SNAPPY(0x4),
    ZSTD(0x20);

    private final int flag;

    Compression(int flag) {
        this.flag = flag;
    }

    /** The page descriptor flag bit (0 for an uncompressed page). */
    public int flag() { return flag; }
}
