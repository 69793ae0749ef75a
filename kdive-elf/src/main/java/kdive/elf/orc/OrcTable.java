package kdive.elf.orc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.IntStream;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.io.FormatException;

/**
 * An ORC unwind table: {@code .orc_unwind_ip} (one s32 per entry, the entry's IP relative to that
 * s32's own address) and {@code .orc_unwind} (6-byte {@code struct orc_entry}s, same order), from
 * a vmlinux or from a module's memory ({@code mod->arch.orc_unwind_ip}, {@code orc_unwind}).
 * Entry {@code i} covers {@code [ip(i), ip(i+1))}; lookup is a binary search over the IPs,
 * decoded once into one {@code long[]} (vmlinux: 367k entries, 3 MB). The entries stay in the
 * mapped file and are decoded on lookup. Immutable, thread-safe.
 */
public final class OrcTable {
    private static final int ENTRY = 6;
    private static final ValueLayout.OfShort S16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt S32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final OrcVersion version;
    private final MemorySegment entries;
    /** Sorted IPs; {@code order[i]} is the entry index of {@code ips[i]}. */
    private final long[] ips;
    private final int[] order;

    private OrcTable(String name, OrcVersion version, MemorySegment entries, long[] ips, int[] order) {
        this.name = name;
        this.version = version;
        this.entries = entries;
        this.ips = ips;
        this.order = order;
    }

    /**
     * The table of an ELF file (vmlinux; {@code .ko} files hold unrelocated IPs and are read from
     * the dump instead). The layout is the {@code .orc_header}'s, else {@code ifNoHeader} (from the
     * kernel's release, {@link OrcVersion#fromRelease}). Empty when the file has no ORC.
     */
    public static Optional<OrcTable> of(ElfFile elf, OrcVersion ifNoHeader) {
        Optional<Section> ip = elf.findSection(".orc_unwind_ip");
        Optional<Section> unwind = elf.findSection(".orc_unwind");
        if (ip.isEmpty() || unwind.isEmpty()) {
            return Optional.empty();
        }
        OrcVersion version = ifNoHeader;
        Optional<Section> header = elf.findSection(".orc_header");
        if (header.isPresent()) {
            MemorySegment h = elf.contents(header.get());
            version = OrcVersion.fromHeader(h.toArray(ValueLayout.JAVA_BYTE)).orElseThrow(() -> new FormatException(
                    elf.name(), header.get().offset(), "an .orc_header hash of a known ORC layout (6.3 or 6.4+)"));
        }
        return Optional.of(of(elf.name(), elf.contents(ip.get()), ip.get().addr(), elf.contents(unwind.get()),
                version, unwind.get().offset()));
    }

    /**
     * A table from raw sections: {@code ipBytes} loaded at {@code ipBase} (the relative IPs count
     * from each s32's own address) and the entries. {@code entriesOffset} is only for messages.
     */
    public static OrcTable of(String name, MemorySegment ipBytes, long ipBase, MemorySegment entryBytes,
                              OrcVersion version, long entriesOffset) {
        if (ipBytes.byteSize() % 4 != 0 || entryBytes.byteSize() % ENTRY != 0
                || ipBytes.byteSize() / 4 != entryBytes.byteSize() / ENTRY) {
            throw new FormatException(name, entriesOffset, "as many 6-byte .orc_unwind entries as 4-byte .orc_unwind_ip"
                    + " IPs, got %d and %d bytes".formatted(entryBytes.byteSize(), ipBytes.byteSize()));
        }
        int n = Math.toIntExact(ipBytes.byteSize() / 4);
        long[] ips = new long[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            ips[i] = ipBase + 4L * i + ipBytes.get(S32, 4L * i);
            sorted &= i == 0 || Long.compareUnsigned(ips[i - 1], ips[i]) <= 0;
        }
        int[] order = IntStream.range(0, n).toArray();
        if (!sorted) {
            // Since 5.6 (f14bf6a350df) vmlinux's table is sorted at build time and modules' at
            // load time; an unsorted one (a .ko's, an older vmlinux) is sorted here.
            order = IntStream.range(0, n).boxed()
                    .sorted(Comparator.<Integer>comparingLong(i -> ips[i] ^ Long.MIN_VALUE))
                    .mapToInt(Integer::intValue).toArray();
            long[] copy = ips.clone();
            for (int i = 0; i < n; i++) {
                ips[i] = copy[order[i]];
            }
        }
        return new OrcTable(name, version, entryBytes, ips, order);
    }

    public String name() { return name; }

    public OrcVersion version() { return version; }

    public int size() { return ips.length; }

    /** The {@code i}-th entry in IP order. */
    public OrcEntry entry(int i) {
        return decode(ips[i], entries.get(S16, (long) order[i] * ENTRY), entries.get(S16, (long) order[i] * ENTRY + 2),
                Short.toUnsignedInt(entries.get(S16, (long) order[i] * ENTRY + 4)));
    }

    /** The lowest IP the table covers. */
    public long firstIp() {
        return ips.length == 0 ? 0 : ips[0];
    }

    /**
     * The entry covering {@code pc}: the last one whose IP is at or below it. Where two entries
     * share an IP (a terminator at the end of one object file and the next file's first entry),
     * the real one wins, as in drgn's compare_orc_entries. Empty below the first IP.
     */
    public Optional<OrcEntry> find(long pc) {
        int lo = 0;
        int hi = ips.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(ips[mid], pc) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return Optional.empty();
        }
        OrcEntry e = entry(found);
        for (int i = found - 1; e.type() == OrcType.UNDEFINED && i >= 0 && ips[i] == ips[found]; i--) {
            e = entry(i);
        }
        return Optional.of(e);
    }

    /** Decodes the flags of any layout into V3 terms (see {@link OrcVersion}). */
    private OrcEntry decode(long ip, short sp, short bp, int flags) {
        int spReg = flags & 0xf;
        int bpReg = flags >>> 4 & 0xf;
        OrcType type;
        boolean signal;
        switch (version) {
            case V3 -> {
                int t = flags >>> 8 & 7;
                type = t < OrcType.values().length ? OrcType.values()[t] : OrcType.UNDEFINED;
                signal = (flags & 0x800) != 0;
            }
            case V2 -> {
                type = old(spReg, flags >>> 8 & 3, (flags & 0x800) != 0);
                signal = (flags & 0x400) != 0;
            }
            case V1 -> {
                type = old(spReg, flags >>> 8 & 3, (flags & 0x400) != 0);
                // No signal bit before 6.3: a pt_regs frame's PC is the interrupted one, exact.
                signal = type == OrcType.REGS || type == OrcType.REGS_PARTIAL;
            }
            default -> throw new AssertionError(version);
        }
        return new OrcEntry(ip, sp, bp, OrcReg.of(spReg), OrcReg.of(bpReg), type, signal);
    }

    /** V1/V2: an undefined sp_reg means no rule, or with {@code end} the bottom of the stack; 3 is no type. */
    private static OrcType old(int spReg, int type, boolean end) {
        if (spReg == OrcReg.UNDEFINED.code()) {
            return end ? OrcType.END_OF_STACK : OrcType.UNDEFINED;
        }
        return switch (type) {
            case 0 -> OrcType.CALL;
            case 1 -> OrcType.REGS;
            case 2 -> OrcType.REGS_PARTIAL;
            default -> OrcType.UNDEFINED;
        };
    }

    @Override
    public String toString() {
        return "OrcTable[%s, %s, %d entries]".formatted(name, version, ips.length);
    }

    /** For tests: the IPs in order. */
    long[] ips() {
        return Arrays.copyOf(ips, ips.length);
    }
}
