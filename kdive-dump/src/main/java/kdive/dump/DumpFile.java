package kdive.dump;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kdive.dump.internal.ChannelSource;
import kdive.dump.internal.FlattenedSource;
import kdive.dump.internal.MappedSource;
import kdive.io.FormatException;

/**
 * A crash dump: one of the formats below, all offering the machine's {@link PhysicalMemory},
 * the kernel's {@link VmcoreInfo} and the CPU notes. Owns its mapping: close it when done.
 * Thread-safe.
 */
public sealed interface DumpFile extends AutoCloseable permits ElfCore, KdumpCompressed, FlattenedDump {

    /**
     * Opens {@code path}, picking the reader by the file's magic bytes. Files under /proc
     * (/proc/kcore: the running kernel as an ELF core) are read with pread, not mapped.
     */
    static DumpFile open(Path path) {
        if (path.toAbsolutePath().normalize().startsWith("/proc/")) {
            return openUnmapped(path);
        }
        MappedSource file = MappedSource.open(path);
        try {
            return open(file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * A dump already in memory (tests, a slice of a bigger mapping); {@code name} is used in
     * messages. The caller keeps {@code bytes} alive while the dump is in use.
     */
    static DumpFile of(MemorySegment bytes, String name) {
        return open(MappedSource.of(bytes, name));
    }

    /**
     * Opens {@code path} reading it with positional reads instead of a mapping: for files that
     * cannot be mapped or are mostly holes, like /proc/kcore. ELF cores and kdump files only.
     */
    static DumpFile openUnmapped(Path path) {
        ChannelSource file = ChannelSource.open(path);
        try {
            DumpFormat format = DumpFormat.probe(file.slice(0, Math.min(16, file.size())))
                    .orElseThrow(() -> new FormatException(file.name(), 0, "an ELF core or kdump compressed dump"));
            return switch (format) {
                case ELF -> ElfCore.open(file);
                case KDUMP -> KdumpCompressed.open(file);
                case FLATTENED -> throw new FormatException(file.name(), 0,
                        "an ELF core or kdump compressed dump (a flattened dump is read mapped)");
            };
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static DumpFile open(MappedSource file) {
        DumpFormat format = DumpFormat.probe(file.segment().asSlice(0, Math.min(16, file.size())))
                .orElseThrow(() -> new FormatException(file.name(), 0,
                        "a crash dump (ELF core, kdump compressed \"KDUMP   \" or flattened \"makedumpfile\")"));
        return switch (format) {
            case ELF -> ElfCore.open(file);
            case KDUMP -> KdumpCompressed.open(file);
            case FLATTENED -> FlattenedDump.open(FlattenedSource.index(file));
        };
    }

    /** Path of the dump file. */
    String name();

    /** One line naming the format and page encoding, e.g. "kdump compressed (zlib)". */
    String describe();

    PhysicalMemory memory();

    /** The kernel's vmcoreinfo, when the dump carries it (kdump always; QEMU with -device vmcoreinfo). */
    Optional<VmcoreInfo> vmcoreInfo();

    /** ELF notes of the crashed kernel: NT_PRSTATUS per CPU, VMCOREINFO, QEMU CPU state. */
    List<DumpNote> notes();

    PageStats pageStats();

    /**
     * Present when the file ends before its headers say it should (ELF: a PT_LOAD's p_offset +
     * p_filesz past the end; kdump: page descriptors or page data past the end, or pages never
     * written), with how much is missing. Reads every page descriptor of a kdump file.
     */
    Optional<Truncation> truncation();

    @Override
    void close();
}
