package kdive.dump.internal;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import kdive.io.BinaryReader;

/**
 * The header block and sub-header of a kdump compressed file (makedumpfile diskdump_mod.h:
 * struct disk_dump_header, struct kdump_sub_header), x86-64 layout (little-endian, 8-byte
 * longs). Fields the header version does not have yet are 0.
 *
 * @param utsname sysname, nodename, release, version, machine, domainname (struct new_utsname)
 * @param maxMapnr page frames described: max_mapnr_64 from sub-header version 6, else the 32-bit field
 */
public record KdumpHeader(
        int version,
        String[] utsname,
        long timestampSec,
        long timestampUsec,
        int status,
        int blockSize,
        int subHdrSize,
        long bitmapBlocks,
        long maxMapnr,
        int currentCpu,
        int nrCpus,
        long physBase,
        int dumpLevel,
        int split,
        long vmcoreinfoOffset,
        long vmcoreinfoSize,
        long noteOffset,
        long noteSize) {

    public static final String SIGNATURE = "KDUMP   ";
    /** disk_dump_header.status bit: the dump was cut short (DUMP_DH_COMPRESSED_INCOMPLETE). */
    public static final int STATUS_INCOMPLETE = 0x8;
    private static final int UTS_LEN = 65;
    /** sizeof(struct disk_dump_header) up to nr_cpus on x86-64. */
    public static final int HEADER_SIZE = 464;

    public KdumpHeader {
        utsname = utsname.clone();
    }

    @Override
    public String[] utsname() {
        return utsname.clone();
    }

    public String release() { return utsname[2]; }

    /** Parses the header at the start of {@code src}. */
    public static KdumpHeader parse(ByteSource src) {
        if (src.size() < HEADER_SIZE) {
            throw new kdive.io.FormatException(src.name(), 0,
                    "a %d-byte kdump header, file has %d bytes".formatted(HEADER_SIZE, src.size()));
        }
        var r = new BinaryReader(src.slice(0, HEADER_SIZE), src.name(), 0, ByteOrder.LITTLE_ENDIAN);
        String sig = new String(r.bytes(8), StandardCharsets.US_ASCII);
        if (!sig.equals(SIGNATURE)) {
            throw r.error(0, "the kdump signature \"KDUMP   \"");
        }
        int version = r.s32();
        var uts = new String[6];
        for (int i = 0; i < uts.length; i++) {
            uts[i] = field(r.bytes(UTS_LEN));
        }
        r.seek(408); // struct timeval is 8-aligned after the 402 bytes above
        long sec = r.u64();
        long usec = r.u64();
        int status = r.s32();
        int blockSize = r.s32();
        int subHdrSize = r.s32();
        long bitmapBlocks = r.u32();
        long maxMapnr32 = r.u32();
        r.skip(12); // total_ram_blocks, device_blocks, written_blocks: unused by makedumpfile
        int currentCpu = r.s32();
        int nrCpus = r.s32();
        if (blockSize < 512 || blockSize > (1 << 20) || Integer.bitCount(blockSize) != 1) {
            throw r.error(428, "a block size that is a power of two in [512, 1 MiB], got %d".formatted(blockSize));
        }
        if (subHdrSize < 0 || bitmapBlocks == 0) {
            throw r.error(432, "sub_hdr_size >= 0 and bitmap_blocks > 0, got %d and %d".formatted(subHdrSize, bitmapBlocks));
        }
        return withSubHeader(src, version, uts, sec, usec, status, blockSize, subHdrSize, bitmapBlocks,
                maxMapnr32, currentCpu, nrCpus);
    }

    private static KdumpHeader withSubHeader(ByteSource src, int version, String[] uts, long sec, long usec,
            int status, int blockSize, int subHdrSize, long bitmapBlocks, long maxMapnr32, int currentCpu, int nrCpus) {
        long subSize = Math.min((long) subHdrSize * blockSize, 104);
        long[] f = new long[14];
        if (subHdrSize > 0 && version >= 1) {
            if (src.size() < blockSize + subSize) {
                throw new kdive.io.FormatException(src.name(), blockSize, "a kdump sub-header (file is truncated)");
            }
            var r = new BinaryReader(src.slice(blockSize, subSize), src.name(), blockSize, ByteOrder.LITTLE_ENDIAN);
            f[0] = r.u64();                      // phys_base
            f[1] = r.s32();                      // dump_level
            f[2] = version >= 2 ? r.s32() : 0;   // split
            for (int i = 3; i < 14 && r.remaining() >= 8; i++) {
                f[i] = r.u64(); // start_pfn, end_pfn, vmcoreinfo, note, eraseinfo, *_64 fields
            }
        }
        long maxMapnr = version >= 6 && f[13] != 0 ? f[13] : maxMapnr32;
        return new KdumpHeader(version, uts, sec, usec, status, blockSize, subHdrSize, bitmapBlocks, maxMapnr,
                currentCpu, nrCpus, f[0], version >= 1 ? (int) f[1] : -1, (int) f[2],
                version >= 3 ? f[5] : 0, version >= 3 ? f[6] : 0, version >= 4 ? f[7] : 0, version >= 4 ? f[8] : 0);
    }

    private static String field(byte[] b) {
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    /** File offset of the bitmaps (after the header block and the sub-header blocks). */
    public long bitmapOffset() {
        return (long) blockSize * (1 + subHdrSize);
    }

    /** File offset of the first page descriptor. */
    public long descriptorOffset() {
        return (long) blockSize * (1 + subHdrSize + bitmapBlocks);
    }
}
