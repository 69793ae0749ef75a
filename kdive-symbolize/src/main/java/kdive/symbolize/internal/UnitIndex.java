package kdive.symbolize.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kdive.dwarf.AddressRange;
import kdive.dwarf.Dwarf;
import kdive.dwarf.Unit;
import kdive.elf.ElfFile;
import kdive.io.FormatException;

/**
 * Which units may contain an address: the ranges of each unit's root DIE (DW_AT_low_pc/high_pc
 * or DW_AT_ranges) in a sorted array, plus the units that declare no range at all (binutils
 * searches those for every address).
 */
public final class UnitIndex {
    private final long[] lows;
    private final long[] highs;
    private final int[] units;
    private final long[] highWatermark;
    private final int[] rangeless;

    private UnitIndex(long[] lows, long[] highs, int[] units, long[] highWatermark, int[] rangeless) {
        this.lows = lows;
        this.highs = highs;
        this.units = units;
        this.highWatermark = highWatermark;
        this.rangeless = rangeless;
    }

    /** Files with less DWARF than this are indexed in well under a second: no cache file. */
    private static final long CACHE_THRESHOLD = 16 << 20;
    private static final int MAGIC = 0x4b445531; // "KDU1"

    /**
     * The index of {@code elf}, read from the on-disk cache keyed by build-id when present
     * ({@code $KDIVE_CACHE/index}, default {@code ~/.cache/kdive/index}), else built and saved
     * there. A missing, stale or corrupt cache file is simply rebuilt; {@code -Dkdive.cache=off}
     * disables it.
     */
    public static UnitIndex cached(ElfFile elf, Dwarf dwarf) {
        var id = elf.buildId();
        if (id.isEmpty() || dwarf.infoSize() < CACHE_THRESHOLD || "off".equals(System.getProperty("kdive.cache"))) {
            return new UnitIndex(dwarf);
        }
        String base = System.getenv().getOrDefault("KDIVE_CACHE", System.getProperty("user.home") + "/.cache/kdive");
        Path file = Path.of(base, "index", id.get().hex() + ".units");
        UnitIndex loaded = load(file, dwarf.infoSize());
        if (loaded != null) {
            return loaded;
        }
        UnitIndex built = new UnitIndex(dwarf);
        built.save(file, dwarf.infoSize());
        return built;
    }

    private static UnitIndex load(Path file, long infoSize) {
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readLong() != infoSize) {
                return null;
            }
            int n = in.readInt();
            if (n < 0 || n > infoSize) {
                return null;
            }
            long[] lows = new long[n];
            long[] highs = new long[n];
            int[] units = new int[n];
            long[] hw = new long[n];
            for (int i = 0; i < n; i++) {
                lows[i] = in.readLong();
                highs[i] = in.readLong();
                units[i] = in.readInt();
                hw[i] = in.readLong();
            }
            int m = in.readInt();
            if (m < 0 || m > infoSize) {
                return null;
            }
            int[] rangeless = new int[m];
            for (int i = 0; i < m; i++) {
                rangeless[i] = in.readInt();
            }
            return new UnitIndex(lows, highs, units, hw, rangeless);
        } catch (IOException e) {
            return null; // no cache yet, or unreadable: rebuild
        }
    }

    private void save(Path file, long infoSize) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "units", ".tmp");
            try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(MAGIC);
                out.writeLong(infoSize);
                out.writeInt(lows.length);
                for (int i = 0; i < lows.length; i++) {
                    out.writeLong(lows[i]);
                    out.writeLong(highs[i]);
                    out.writeInt(units[i]);
                    out.writeLong(highWatermark[i]);
                }
                out.writeInt(rangeless.length);
                for (int r : rangeless) {
                    out.writeInt(r);
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // A read-only or full cache directory only costs speed next time.
        }
    }

    public UnitIndex(Dwarf dwarf) {
        var entries = new ArrayList<long[]>();
        var none = new ArrayList<Integer>();
        // Root DIEs are independent: read them on all cores.
        List<List<AddressRange>> all = dwarf.units().parallelStream().map(u -> {
            try {
                return dwarf.pcRanges(dwarf.root(u));
            } catch (FormatException e) {
                return (List<AddressRange>) null; // binutils marks such a unit as bad and never matches it
            }
        }).toList();
        for (Unit u : dwarf.units()) {
            List<AddressRange> ranges = all.get(u.index());
            if (ranges == null) {
                continue;
            }
            if (ranges.isEmpty()) {
                none.add(u.index());
            }
            for (AddressRange r : ranges) {
                entries.add(new long[] {r.low(), r.high(), u.index()});
            }
        }
        entries.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        int n = entries.size();
        lows = new long[n];
        highs = new long[n];
        units = new int[n];
        highWatermark = new long[n];
        long hw = 0;
        for (int i = 0; i < n; i++) {
            long[] e = entries.get(i);
            lows[i] = e[0];
            highs[i] = e[1];
            units[i] = (int) e[2];
            hw = Long.compareUnsigned(e[1], hw) > 0 ? e[1] : hw;
            highWatermark[i] = hw;
        }
        rangeless = none.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Indices of the units whose ranges contain {@code address}, in .debug_info order, then the rangeless ones. */
    public int[] candidates(long address) {
        int lo = 0;
        int hi = lows.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(lows[mid], address) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        var found = new ArrayList<Integer>();
        for (int i = lo - 1; i >= 0 && Long.compareUnsigned(highWatermark[i], address) > 0; i--) {
            if (Long.compareUnsigned(address, highs[i]) < 0 && !found.contains(units[i])) {
                found.add(units[i]);
            }
        }
        int[] out = found.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] all = Arrays.copyOf(out, out.length + rangeless.length);
        System.arraycopy(rangeless, 0, all, out.length, rangeless.length);
        return all;
    }
}
