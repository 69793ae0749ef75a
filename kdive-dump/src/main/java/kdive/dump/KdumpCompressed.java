package kdive.dump;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import kdive.dump.internal.ByteSource;
import kdive.dump.internal.DumpNotes;
import kdive.dump.internal.KdumpHeader;
import kdive.dump.internal.KdumpPages;
import kdive.io.FormatException;

/**
 * makedumpfile's kdump compressed format (diskdump header "KDUMP   ", sub-header versions 1-6,
 * 1st/2nd page bitmaps, page descriptors; pages stored raw or as zlib, LZO, Snappy or Zstd).
 */
public final class KdumpCompressed implements DumpFile {
    private final ByteSource src;
    private final KdumpHeader header;
    private final KdumpPages pages;
    private final Optional<VmcoreInfo> vmcoreInfo;
    private final List<DumpNote> notes;

    private KdumpCompressed(ByteSource src) {
        this.src = src;
        this.header = KdumpHeader.parse(src);
        this.pages = new KdumpPages(src, header);
        this.vmcoreInfo = area(header.vmcoreinfoOffset(), header.vmcoreinfoSize(), "vmcoreinfo")
                .map(seg -> VmcoreInfo.parse(src.name(), header.vmcoreinfoOffset(),
                        new String(seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8)));
        this.notes = area(header.noteOffset(), header.noteSize(), "note area")
                .map(seg -> DumpNotes.parse(seg, src.name(), header.noteOffset(), ByteOrder.LITTLE_ENDIAN))
                .orElse(List.of());
    }

    static KdumpCompressed open(ByteSource src) {
        return new KdumpCompressed(src);
    }

    private Optional<java.lang.foreign.MemorySegment> area(long offset, long size, String what) {
        if (offset == 0 || size == 0) {
            return Optional.empty();
        }
        if (offset < 0 || size < 0 || offset > src.size() - size) {
            throw new FormatException(src.name(), 0x1000,
                    "a %s (%d bytes at 0x%x) within the file's %d bytes".formatted(what, size, offset, src.size()));
        }
        return Optional.of(src.slice(offset, size));
    }

    @Override
    public String name() { return src.name(); }

    @Override
    public String describe() {
        String codecs = pages.compressionCounts().keySet().stream()
                .map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
        return "kdump compressed v%d (%s)".formatted(header.version(), codecs.isEmpty() ? "no pages" : codecs);
    }

    /** How many dumped pages each codec stores (reads every page descriptor). */
    public Map<Compression, Long> compressionCounts() { return pages.compressionCounts(); }

    public int headerVersion() { return header.version(); }

    /** utsname from the header: sysname, nodename, release, version, machine, domainname. */
    public List<String> utsname() { return List.of(header.utsname()); }

    public int nrCpus() { return header.nrCpus(); }

    /** The header's timestamp in seconds since the epoch (0 when the writer left it empty). */
    public long timestamp() { return header.timestampSec(); }

    /** phys_base from the sub-header (modulo 2^64). */
    public long physBase() { return header.physBase(); }

    /** Whether the writer marked the dump incomplete (DUMP_DH_COMPRESSED_INCOMPLETE) or the file ends early. */
    public boolean incomplete() {
        return (header.status() & KdumpHeader.STATUS_INCOMPLETE) != 0 || src.truncated();
    }

    /** Physical address of every page stored in the file, ascending. */
    public java.util.stream.LongStream dumpedPages() { return pages.dumpedPages(); }

    @Override
    public PhysicalMemory memory() { return pages; }

    @Override
    public Optional<VmcoreInfo> vmcoreInfo() { return vmcoreInfo; }

    @Override
    public List<DumpNote> notes() { return notes; }

    @Override
    public PageStats pageStats() { return pages.stats(); }

    @Override
    public Optional<Truncation> truncation() {
        return pages.truncation();
    }

    @Override
    public void close() {
        src.close();
    }

    @Override
    public String toString() {
        return name() + ": " + describe();
    }
}
