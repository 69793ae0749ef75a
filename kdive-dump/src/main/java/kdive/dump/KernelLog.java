package kdive.dump;

import java.util.List;
import kdive.io.LookupException;

/**
 * The kernel log of a dump, found with nothing but vmcoreinfo, in whichever of the three formats
 * the kernel keeps it: the lockless ringbuffer (5.10+, {@link PrbLog}), the ring of struct
 * printk_log records (3.5-5.9, {@link StructuredLog}), or the plain character buffer (before
 * 3.5, {@link PlainLog}). The kernel exports each format's symbols and layout in vmcoreinfo for
 * exactly this purpose, so the format is told by which symbols it names, not by the version.
 */
public final class KernelLog {

    /** The printk buffer formats, by the vmcoreinfo symbol that marks each. */
    public enum Format {
        /** 5.10+: SYMBOL(prb). */
        LOCKLESS_RINGBUFFER("prb"),
        /** 3.5-5.9: SYMBOL(log_first_idx), struct printk_log (struct log before 3.11). */
        STRUCTURED("log_first_idx"),
        /** Before 3.5: SYMBOL(log_end) into a plain "<N>[time] text\n" character buffer. */
        PLAIN("log_end");

        private final String symbol;

        Format(String symbol) { this.symbol = symbol; }
    }

    private KernelLog() {}

    /** Every record still in the buffer, oldest first. */
    public static List<LogRecord> read(DumpFile dump) {
        return list(dump).records();
    }

    /**
     * The records and what looked wrong while reading them (a ring whose invariants do not hold,
     * records missing): the log is shown as far as it reads, the warnings say how far to trust it.
     */
    public record Listing(List<LogRecord> records, List<String> warnings) {
        public Listing {
            records = List.copyOf(records);
            warnings = List.copyOf(warnings);
        }
    }

    /** {@link #read(DumpFile)} with its warnings. */
    public static Listing list(DumpFile dump) {
        VmcoreInfo vi = dump.vmcoreInfo().orElseThrow(() -> new LookupException(
                "%s: no vmcoreinfo, so the kernel log cannot be found without the vmlinux (log --vmlinux FILE)".formatted(dump.name())));
        X86Paging paging = X86Paging.of(dump);
        return list(vi, paging::read, dump.name());
    }

    /** {@link #read(VmcoreInfo, X86Paging, String)} with its warnings. */
    public static Listing list(VmcoreInfo vi, X86Paging paging, String name) {
        return list(vi, paging::read, name);
    }

    /** The log through given kernel virtual memory, with its warnings. */
    public static Listing list(VmcoreInfo vi, MemoryReader memory, String name) {
        return list(vi, (KernelMemory) memory::read, name);
    }

    static Listing list(VmcoreInfo vi, KernelMemory mem, String name) {
        var warnings = new java.util.ArrayList<String>();
        List<LogRecord> records = switch (format(vi, name)) {
            case LOCKLESS_RINGBUFFER -> PrbLog.read(vi, mem, warnings::add);
            case STRUCTURED -> StructuredLog.read(vi, mem);
            case PLAIN -> PlainLog.read(vi, mem);
        };
        return new Listing(records, warnings);
    }

    /**
     * The log through given kernel virtual memory and vmcoreinfo (say, one completed from the
     * vmlinux's DWARF when the dump has none); {@code name} is used in messages.
     */
    public static List<LogRecord> read(VmcoreInfo vi, MemoryReader memory, String name) {
        return read(vi, (KernelMemory) memory::read, name);
    }

    /** The buffer format the kernel of {@code vi} uses. */
    public static Format format(VmcoreInfo vi, String name) {
        for (Format f : Format.values()) {
            if (vi.findSymbol(f.symbol).isPresent()) {
                return f;
            }
        }
        throw new LookupException(("%s: vmcoreinfo names no printk buffer (SYMBOL(prb), SYMBOL(log_first_idx) or "
                + "SYMBOL(log_end))").formatted(name));
    }

    static List<LogRecord> read(VmcoreInfo vi, KernelMemory mem, String name) {
        return list(vi, mem, name).records();
    }
}
