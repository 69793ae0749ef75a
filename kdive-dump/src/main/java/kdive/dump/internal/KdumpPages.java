package kdive.dump.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.LongStream;
import kdive.dump.Compression;
import kdive.dump.PageState;
import kdive.dump.PageStats;
import kdive.dump.PhysicalMemory;
import kdive.io.BinaryReader;
import kdive.io.FaultException;
import kdive.io.FormatException;

/**
 * The pages of a kdump compressed file (makedumpfile IMPLEMENTATION, "kdump-compressed format"):
 * the 1st bitmap marks RAM, the 2nd marks pages in the file; the n-th set bit of the 2nd bitmap
 * owns the n-th {@code struct page_desc} {offset, size, flags, page_flags} (24 bytes) after the
 * bitmaps. Decompressed pages go through a small direct-mapped cache. Thread-safe.
 */
public final class KdumpPages implements PhysicalMemory {
    static final int DESC_SIZE = 24;
    private static final int CACHE_SLOTS = 4096;
    private static final int CODEC_MASK = 0x1 | 0x2 | 0x4 | 0x20;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private record Cached(long pfn, byte[] bytes) {}

    /** A page descriptor, validated against the file. */
    public record PageDesc(long offset, int size, Compression compression, long descOffset) {}

    private final ByteSource src;
    private final KdumpHeader header;
    private final PageBitmap ram;
    private final PageBitmap dumped;
    private final long descStart;
    private final long descsInFile;
    private final AtomicReferenceArray<Cached> cache = new AtomicReferenceArray<>(CACHE_SLOTS);
    private final ThreadLocal<PageCodecs> codecs = ThreadLocal.withInitial(PageCodecs::new);

    public KdumpPages(ByteSource src, KdumpHeader header) {
        this.src = src;
        this.header = header;
        long bitmapBytes = header.bitmapBlocks() * header.blockSize();
        long half = bitmapBytes / 2;
        if (header.bitmapOffset() + bitmapBytes > src.size() || bitmapBytes < 0) {
            throw new FormatException(src.name(), header.bitmapOffset(),
                    "%d bytes of page bitmaps within the file's %d (truncated dump?)".formatted(bitmapBytes, src.size()));
        }
        if (header.maxMapnr() < 0 || header.maxMapnr() > half * 8) {
            throw new FormatException(src.name(), 0x1b8,
                    "max_mapnr (%d) within the %d bits of each bitmap".formatted(header.maxMapnr(), half * 8));
        }
        long bytesNeeded = (header.maxMapnr() + 7) / 8;
        this.ram = new PageBitmap(src.slice(header.bitmapOffset(), bytesNeeded), header.maxMapnr());
        this.dumped = new PageBitmap(src.slice(header.bitmapOffset() + half, bytesNeeded), header.maxMapnr());
        this.descStart = header.descriptorOffset();
        this.descsInFile = Math.max(0, (src.size() - descStart) / DESC_SIZE);
    }

    @Override
    public int pageSize() { return header.blockSize(); }

    @Override
    public long endAddress() { return header.maxMapnr() * header.blockSize(); }

    public PageStats stats() {
        // RAM pages not dumped = |ram| - |ram & dumped|; dumped pages are a subset of RAM.
        long excluded = Math.max(0, ram.count() - dumped.count());
        return new PageStats(header.maxMapnr(), ram.count(), dumped.count(), excluded, header.dumpLevel());
    }

    /** How many dumped pages use each compression (reads every descriptor in the file). */
    public Map<Compression, Long> compressionCounts() {
        var counts = new EnumMap<Compression, Long>(Compression.class);
        long n = Math.min(dumped.count(), descsInFile);
        var r = new BinaryReader(src.slice(descStart, n * DESC_SIZE), src.name(), descStart, ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            r.seek(i * DESC_SIZE + 12);
            Compression c = compression((int) r.u32());
            if (c != null) {
                counts.merge(c, 1L, Long::sum);
            }
        }
        return counts;
    }

    /**
     * Descriptors past the end of the file, descriptors never filled in (offset and size 0: the
     * writer stopped), and page data past the end; empty when every dumped page is in the file.
     */
    public java.util.Optional<kdive.dump.Truncation> truncation() {
        long total = dumped.count();
        long inFile = Math.min(total, descsInFile);
        long missing = total - inFile;
        long expected = descStart + total * DESC_SIZE;
        boolean unwritten = false;
        var r = new BinaryReader(src.slice(descStart, inFile * DESC_SIZE), src.name(), descStart, ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < inFile; i++) {
            long offset = r.seek(i * DESC_SIZE).u64();
            long size = r.u32();
            if (offset == 0 && size == 0) {
                missing++;
                unwritten = true;
            } else if (offset > 0 && size <= header.blockSize()) {
                expected = Math.max(expected, offset + size);
                if (offset > src.size() - size) {
                    missing++;
                }
            }
        }
        if (missing == 0 && expected <= src.size()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new kdive.dump.Truncation(src.size(), Math.max(expected, src.size()),
                inFile < total || unwritten, missing, total));
    }

    @Override
    public PageState state(long paddr) {
        long pfn = Long.divideUnsigned(paddr, header.blockSize());
        if (Long.compareUnsigned(pfn, header.maxMapnr()) >= 0) {
            return PageState.ABSENT;
        }
        if (!dumped.get(pfn)) {
            return ram.get(pfn) ? PageState.EXCLUDED : PageState.ABSENT;
        }
        long idx = dumped.rank(pfn);
        if (idx >= descsInFile) {
            return PageState.TRUNCATED;
        }
        MemorySegment d = src.slice(descStart + idx * DESC_SIZE, DESC_SIZE);
        long offset = d.get(U64, 0);
        long size = Integer.toUnsignedLong(d.get(U32, 8));
        return offset <= 0 || offset > src.size() - size ? PageState.TRUNCATED : PageState.PRESENT;
    }

    /** The descriptor of the dumped page {@code pfn}; faults when the page is not in the file. */
    public PageDesc descriptor(long pfn, long paddr, long length) {
        long pageAddr = pfn * header.blockSize();
        if (Long.compareUnsigned(pfn, header.maxMapnr()) >= 0) {
            throw new FaultException(paddr, length,
                    "page 0x%x is beyond the dump's last page frame 0x%x".formatted(pageAddr, header.maxMapnr() - 1));
        }
        if (!dumped.get(pfn)) {
            throw new FaultException(paddr, length, ram.get(pfn)
                    ? "page 0x%x excluded by %s".formatted(pageAddr, filter())
                    : "page 0x%x is not RAM in this dump".formatted(pageAddr));
        }
        long idx = dumped.rank(pfn);
        long at = descStart + idx * DESC_SIZE;
        if (idx >= descsInFile) {
            throw new FaultException(paddr, length,
                    "page 0x%x: its descriptor at offset 0x%x is past the end of %s (truncated dump)"
                            .formatted(pageAddr, at, src.name()));
        }
        MemorySegment raw = src.slice(at, DESC_SIZE); // struct page_desc {off_t offset; u32 size, flags; u64 page_flags}
        long offset = raw.get(U64, 0);
        long size = Integer.toUnsignedLong(raw.get(U32, 8));
        int flags = raw.get(U32, 12);
        if (offset == 0 && size == 0) {
            throw new FaultException(paddr, length,
                    "page 0x%x was never written (incomplete or truncated dump)".formatted(pageAddr));
        }
        Compression c = compression(flags);
        if (c == null || size == 0 || size > header.blockSize() || offset < descStart || offset < 0) {
            throw new FormatException(src.name(), at, "a page descriptor (offset >= 0x%x, size 1..%d, one codec flag), got offset 0x%x size %d flags 0x%x"
                    .formatted(descStart, header.blockSize(), offset, size, flags));
        }
        if (offset > src.size() - size) {
            throw new FaultException(paddr, length,
                    "page 0x%x: its data at offset 0x%x is past the end of %s (truncated dump)"
                            .formatted(pageAddr, offset, src.name()));
        }
        return new PageDesc(offset, (int) size, c, at);
    }

    private String filter() {
        return header.dumpLevel() > 0 ? "makedumpfile -d " + header.dumpLevel() : "the dump filter";
    }

    private static Compression compression(int flags) {
        return switch (flags & CODEC_MASK) {
            case 0 -> Compression.NONE;
            case 0x1 -> Compression.ZLIB;
            case 0x2 -> Compression.LZO;
            case 0x4 -> Compression.SNAPPY;
            case 0x20 -> Compression.ZSTD;
            default -> null;
        };
    }

    /**
     * Copies {@code n} bytes at {@code in} of page {@code pfn} into {@code dst}. Uncompressed
     * pages are copied straight from the file. A whole-page read (a scan) decodes into the
     * thread's scratch page and leaves the cache alone; partial reads (structures, page-table
     * entries) go through the cache, since their neighbours are usually read next.
     */
    private void copy(long pfn, int in, byte[] dst, int off, int n, long paddr, long length) {
        int slot = (int) (pfn & (CACHE_SLOTS - 1));
        Cached hit = cache.get(slot);
        if (hit != null && hit.pfn() == pfn) {
            System.arraycopy(hit.bytes(), in, dst, off, n);
            return;
        }
        PageDesc d = descriptor(pfn, paddr, length);
        int bs = header.blockSize();
        if (d.compression() == Compression.NONE && d.size() == bs) {
            MemorySegment.copy(src.slice(d.offset() + in, n), 0, MemorySegment.ofArray(dst), off, n);
            return;
        }
        PageCodecs c = codecs.get();
        boolean scan = n == bs;
        byte[] page = scan ? c.scratch(bs) : new byte[bs];
        decode(pfn, d, c, page);
        System.arraycopy(page, in, dst, off, n);
        if (!scan) {
            cache.set(slot, new Cached(pfn, page));
        }
    }

    private void decode(long pfn, PageDesc d, PageCodecs c, byte[] out) {
        MemorySegment in = src.slice(d.offset(), d.size());
        int n = d.compression() == Compression.NONE && d.size() != out.length ? -1 : c.decompress(d.compression(), in, out);
        if (n != out.length) {
            throw new FormatException(src.name(), d.descOffset(),
                    "page 0x%x: %d bytes of %s data at offset 0x%x that decode to a %d-byte page"
                            .formatted(pfn * header.blockSize(), d.size(), d.compression(), d.offset(), out.length));
        }
    }

    @Override
    public void read(long paddr, byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        int bs = header.blockSize();
        long addr = paddr;
        int done = 0;
        while (done < length) {
            long pfn = Long.divideUnsigned(addr, bs);
            int in = (int) Long.remainderUnsigned(addr, bs);
            int n = Math.min(bs - in, length - done);
            copy(pfn, in, dst, offset + done, n, paddr, length);
            done += n;
            addr += n;
        }
    }

    /** Physical address of every dumped page, in order (for tests and whole-dump scans). */
    public LongStream dumpedPages() {
        return LongStream.range(0, header.maxMapnr()).filter(dumped::get).map(p -> p * header.blockSize());
    }
}
