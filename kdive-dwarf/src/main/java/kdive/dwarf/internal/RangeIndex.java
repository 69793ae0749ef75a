package kdive.dwarf.internal;

import java.util.Arrays;

/**
 * Address ranges {@code [start, end)} mapped to a non-negative value (a section or unit offset),
 * searched by address: binary search for the last start at or below it, then back over earlier
 * ranges that may still overlap it (a running maximum of ends stops that walk early). Ranges may
 * overlap; the one starting last wins.
 */
public final class RangeIndex {
    // Sorted by start; sign bit flipped so that signed order is unsigned address order.
    private final long[] starts;
    private final long[] ends;
    private final long[] maxEnds;
    private final long[] values;

    private RangeIndex(long[] starts, long[] ends, long[] values) {
        this.starts = starts;
        this.ends = ends;
        this.values = values;
        this.maxEnds = new long[starts.length];
        for (int i = 0; i < starts.length; i++) {
            maxEnds[i] = i == 0 ? ends[i] : Math.max(maxEnds[i - 1], ends[i]);
        }
    }

    public int size() {
        return starts.length;
    }

    /** The value of a range holding {@code address}, or -1. */
    public long find(long address) {
        long key = address ^ Long.MIN_VALUE;
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        for (int i = found; i >= 0 && maxEnds[i] > key; i--) {
            if (ends[i] > key) {
                return values[i];
            }
        }
        return -1;
    }

    /** Collects ranges in any order; {@link #build} sorts them. Empty ranges are left out. */
    public static final class Builder {
        private long[] starts = new long[64];
        private long[] ends = new long[64];
        private long[] values = new long[64];
        private int n;

        public Builder add(long start, long end, long value) {
            if (start == end) {
                return this;
            }
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            starts[n] = start ^ Long.MIN_VALUE;
            ends[n] = end ^ Long.MIN_VALUE;
            values[n] = value;
            n++;
            return this;
        }

        public RangeIndex build() {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            long[] s = starts;
            Arrays.sort(order, (a, b) -> Long.compare(s[a], s[b]));
            long[] ns = new long[n];
            long[] ne = new long[n];
            long[] nv = new long[n];
            for (int i = 0; i < n; i++) {
                ns[i] = starts[order[i]];
                ne[i] = ends[order[i]];
                nv[i] = values[order[i]];
            }
            return new RangeIndex(ns, ne, nv);
        }
    }
}
