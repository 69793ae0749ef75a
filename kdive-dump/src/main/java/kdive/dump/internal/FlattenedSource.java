package kdive.dump.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import kdive.io.BinaryReader;
import kdive.io.FormatException;

/**
 * makedumpfile's flattened format (makedumpfile IMPLEMENTATION, "flattened format"; QEMU's
 * dump-guest-memory -z writes it too): a 4096-byte header ("makedumpfile", type 1, version 1,
 * big-endian), then records {int64 offset, int64 size, size bytes} that together write the
 * real dump file, ended by an offset of -1. The records are indexed once (sorted by their
 * target offset, later writes winning on overlap) and read in place: no reassembled copy.
 */
public final class FlattenedSource implements ByteSource {
    public static final int HEADER_SIZE = 4096;
    private static final byte[] SIGNATURE = "makedumpfile".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final MappedSource file;
    private final long[] starts;
    private final long[] ends;
    private final long[] filePos;
    private final long size;
    private final boolean truncated;

    private FlattenedSource(MappedSource file, long[] starts, long[] ends, long[] filePos, boolean truncated) {
        this.file = file;
        this.starts = starts;
        this.ends = ends;
        this.filePos = filePos;
        this.size = ends.length == 0 ? 0 : Arrays.stream(ends).max().orElse(0);
        this.truncated = truncated;
    }

    /** Whether {@code head} starts with the flattened header's signature. */
    public static boolean probe(MemorySegment head) {
        if (head.byteSize() < SIGNATURE.length + 1) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (head.get(ValueLayout.JAVA_BYTE, i) != SIGNATURE[i]) {
                return false;
            }
        }
        return head.get(ValueLayout.JAVA_BYTE, SIGNATURE.length) == 0;
    }

    /** Indexes the records of {@code file}; takes ownership of it. */
    public static FlattenedSource index(MappedSource file) {
        try {
            return build(file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static FlattenedSource build(MappedSource file) {
        var r = new BinaryReader(file.segment(), file.name(), 0, ByteOrder.BIG_ENDIAN);
        if (!probe(file.segment())) {
            throw r.error(0, "the flattened format's signature \"makedumpfile\"");
        }
        long type = r.seek(16).u64();
        long version = r.u64();
        if (type != 1 || version != 1) {
            throw r.error(16, "flattened header type 1 version 1, got type %d version %d".formatted(type, version));
        }
        if (file.size() < HEADER_SIZE) {
            throw r.error(0, "a %d-byte flattened header, file has %d bytes".formatted(HEADER_SIZE, file.size()));
        }
        var records = new Records();
        long pos = HEADER_SIZE;
        boolean ended = false;
        boolean cut = false;
        while (pos <= file.size() - 16) {
            long offset = r.seek(pos).u64();
            long length = r.u64();
            if (offset == -1) {
                ended = true;
                break;
            }
            if (offset < 0 || length < 0) {
                throw r.error(pos, "a record header with offset >= 0 and size >= 0, got offset %d size %d"
                        .formatted(offset, length));
            }
            long data = pos + 16;
            long avail = Math.min(length, file.size() - data);
            records.add(offset, offset + avail, data);
            if (avail < length) {
                cut = true;
                break;
            }
            pos = data + length;
        }
        return records.resolve(file, cut || !ended);
    }

    @Override
    public String name() { return file.name(); }

    @Override
    public long size() { return size; }

    @Override
    public boolean truncated() { return truncated; }

    /** Bytes the records wrote (the extents' total); less than {@link #size()} when records are missing. */
    public long coveredBytes() {
        long n = 0;
        for (int i = 0; i < starts.length; i++) {
            n += ends[i] - starts[i];
        }
        return n;
    }

    /** Number of distinct (non-overlapping) extents after indexing. */
    public int extents() { return starts.length; }

    @Override
    public MemorySegment slice(long offset, long length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new FormatException(name(), offset,
                    "%d bytes within the %d bytes the flattened records describe".formatted(length, size));
        }
        int i = floor(offset);
        if (i >= 0 && offset + length <= ends[i]) {
            return file.segment().asSlice(filePos[i] + (offset - starts[i]), length);
        }
        // Bound the copy by the real input: records may claim offsets far beyond the file.
        if (length > file.size() || length > Integer.MAX_VALUE - 8) {
            throw new FormatException(name(), offset,
                    "a range no larger than the file (%d bytes), got %d".formatted(file.size(), length));
        }
        byte[] out = new byte[(int) length];
        var dst = MemorySegment.ofArray(out);
        for (int k = Math.max(i, 0); k < starts.length && starts[k] < offset + length; k++) {
            long from = Math.max(starts[k], offset);
            long to = Math.min(ends[k], offset + length);
            if (from < to) {
                MemorySegment.copy(file.segment(), filePos[k] + (from - starts[k]), dst, from - offset, to - from);
            }
        }
        return dst; // bytes no record wrote read as zero, as in makedumpfile -R's sparse output
    }

    /** Index of the last extent starting at or before {@code offset}, or -1. */
    private int floor(long offset) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    @Override
    public void close() {
        file.close();
    }

    /** Records in write order, resolved into sorted non-overlapping extents. */
    private static final class Records {
        private long[] s = new long[1024];
        private long[] e = new long[1024];
        private long[] p = new long[1024];
        private int n;

        void add(long start, long end, long pos) {
            if (start == end) {
                return;
            }
            if (n == s.length) {
                s = Arrays.copyOf(s, n * 2);
                e = Arrays.copyOf(e, n * 2);
                p = Arrays.copyOf(p, n * 2);
            }
            s[n] = start;
            e[n] = end;
            p[n] = pos;
            n++;
        }

        FlattenedSource resolve(MappedSource file, boolean truncated) {
            int[] order = sortedByStart();
            boolean overlap = false;
            for (int k = 1; k < n && !overlap; k++) {
                overlap = s[order[k]] < e[order[k - 1]];
            }
            if (overlap) {
                return resolveOverlaps(file, truncated);
            }
            long[] rs = new long[n];
            long[] re = new long[n];
            long[] rp = new long[n];
            for (int k = 0; k < n; k++) {
                rs[k] = s[order[k]];
                re[k] = e[order[k]];
                rp[k] = p[order[k]];
            }
            return new FlattenedSource(file, rs, re, rp, truncated);
        }

        /** Rare: a later record rewrites bytes of an earlier one; the later one wins. */
        private FlattenedSource resolveOverlaps(MappedSource file, boolean truncated) {
            var map = new TreeMap<Long, long[]>(); // start -> {end, filePos}
            for (int k = 0; k < n; k++) {
                put(map, s[k], e[k], p[k]);
            }
            List<long[]> all = new ArrayList<>();
            map.forEach((start, v) -> all.add(new long[] {start, v[0], v[1]}));
            long[] rs = all.stream().mapToLong(x -> x[0]).toArray();
            long[] re = all.stream().mapToLong(x -> x[1]).toArray();
            long[] rp = all.stream().mapToLong(x -> x[2]).toArray();
            return new FlattenedSource(file, rs, re, rp, truncated);
        }

        private static void put(TreeMap<Long, long[]> map, long start, long end, long pos) {
            var lower = map.lowerEntry(start);
            if (lower != null && lower.getValue()[0] > start) {
                long[] old = lower.getValue();
                map.put(lower.getKey(), new long[] {start, old[1]});
                if (old[0] > end) {
                    map.put(end, new long[] {old[0], old[1] + (end - lower.getKey())});
                }
            }
            List<long[]> tails = new ArrayList<>();
            var inside = map.subMap(start, true, end, false).entrySet().iterator();
            while (inside.hasNext()) {
                var entry = inside.next();
                long[] old = entry.getValue();
                if (old[0] > end) {
                    tails.add(new long[] {end, old[0], old[1] + (end - entry.getKey())});
                }
                inside.remove();
            }
            for (long[] t : tails) {
                map.put(t[0], new long[] {t[1], t[2]});
            }
            map.put(start, new long[] {end, pos});
        }

        /** Record indexes sorted by start (stable merge sort on primitives: no boxing per record). */
        private int[] sortedByStart() {
            int[] a = new int[n];
            for (int k = 0; k < n; k++) {
                a[k] = k;
            }
            int[] b = new int[n];
            for (int width = 1; width < n; width *= 2) {
                for (int lo = 0; lo < n; lo += 2 * width) {
                    int mid = Math.min(lo + width, n);
                    int hi = Math.min(lo + 2 * width, n);
                    int i = lo;
                    int j = mid;
                    for (int k = lo; k < hi; k++) {
                        b[k] = (i < mid && (j >= hi || s[a[i]] <= s[a[j]])) ? a[i++] : a[j++];
                    }
                }
                int[] t = a;
                a = b;
                b = t;
            }
            return a;
        }
    }
}
