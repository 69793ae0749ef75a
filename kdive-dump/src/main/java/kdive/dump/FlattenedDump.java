package kdive.dump;

import java.util.List;
import java.util.Optional;
import kdive.dump.internal.FlattenedSource;
import kdive.io.FormatException;

/**
 * makedumpfile's flattened format (makedumpfile -F, QEMU dump-guest-memory kdump-*): its records
 * are indexed in place and the dump they write (kdump compressed or ELF) is read through them.
 */
public final class FlattenedDump implements DumpFile {
    private final FlattenedSource src;
    private final DumpFile inner;

    private FlattenedDump(FlattenedSource src, DumpFile inner) {
        this.src = src;
        this.inner = inner;
    }

    static FlattenedDump open(FlattenedSource src) {
        try {
            DumpFormat format = DumpFormat.probe(src.slice(0, Math.min(16, src.size())))
                    .filter(f -> f != DumpFormat.FLATTENED)
                    .orElseThrow(() -> new FormatException(src.name(), FlattenedSource.HEADER_SIZE,
                            "flattened records that write an ELF core or a kdump compressed file"));
            DumpFile inner = switch (format) {
                case ELF -> ElfCore.open(src);
                case KDUMP -> KdumpCompressed.open(src);
                case FLATTENED -> throw new IllegalStateException("filtered above");
            };
            return new FlattenedDump(src, inner);
        } catch (RuntimeException e) {
            src.close();
            throw e;
        }
    }

    /** The dump the records write. */
    public DumpFile inner() { return inner; }

    /** Number of contiguous extents the records form. */
    public int extents() { return src.extents(); }

    /** Whether the records end early (no end marker, or a record cut short). */
    public boolean truncated() { return src.truncated(); }

    @Override
    public String name() { return src.name(); }

    @Override
    public String describe() {
        return "flattened " + inner.describe() + (src.truncated() ? ", truncated" : "");
    }

    @Override
    public PhysicalMemory memory() { return inner.memory(); }

    @Override
    public Optional<VmcoreInfo> vmcoreInfo() { return inner.vmcoreInfo(); }

    @Override
    public List<DumpNote> notes() { return inner.notes(); }

    @Override
    public PageStats pageStats() { return inner.pageStats(); }

    /**
     * The written dump's own truncation. The records need not come in file order (makedumpfile -E -F
     * writes late parts of the file early), so records that end early may leave holes its headers
     * cannot show: then the bytes no record wrote are what is missing, counted in pages.
     */
    @Override
    public Optional<Truncation> truncation() {
        return inner.truncation().or(() -> {
            if (!src.truncated()) {
                return Optional.empty(); // a complete file may leave holes: they read as zeros
            }
            long holes = src.size() - src.coveredBytes();
            long dumped = inner.pageStats().dumped();
            // makedumpfile -E -F writes the ELF headers with empty segments first and the real ones
            // last: cut before that, the headers describe nothing, and only the cut itself is known.
            return Optional.of(holes == 0 ? new Truncation(src.size(), -1, true, 0, dumped)
                    : new Truncation(src.coveredBytes(), src.size(), true, Math.min(dumped, (holes + 4095) / 4096), dumped));
        });
    }

    @Override
    public void close() {
        src.close();
    }
}
