package kdive.symbolize.internal;

import java.util.ArrayList;
import java.util.List;
import kdive.dwarf.LineTable;

/**
 * Address to row lookup over one line table, arranged as binutils arranges it (bfd/dwarf2.c
 * add_line_info, sort_line_sequences, lookup_address_in_line_info_table): within a sequence a
 * row at the same address as the previous one replaces it; sequences are sorted by start,
 * nested ones dropped and overlapping ones trimmed; an address matches the row at or below it
 * unless that row ends the sequence.
 */
public final class LineLookup {
    /** One sequence: rows ascending by address, the last being the end_sequence row. */
    private record Sequence(long low, int[] rows, long[] addresses, int order) {
        long high() {
            return addresses[addresses.length - 1];
        }
    }

    /** A matched row: file path (null when unnamed), line and discriminator. */
    public record Row(String file, long line, long discriminator) {}

    private final LineTable table;
    private final Sequence[] sequences;
    private final String[] paths;
    private final long[][] sequenceRanges;

    public LineLookup(LineTable table) {
        this.table = table;
        this.paths = new String[table.files().size() + 1];
        List<Sequence> raw = build(table);
        this.sequenceRanges = raw.stream().map(s -> {
            long lo = s.addresses()[0];
            long hi = s.addresses()[0];
            for (long a : s.addresses()) {
                lo = Long.compareUnsigned(a, lo) < 0 ? a : lo;
                hi = Long.compareUnsigned(a, hi) > 0 ? a : hi;
            }
            return new long[] {lo, hi};
        }).toArray(long[][]::new);
        this.sequences = arrange(raw);
    }

    /**
     * {low, high} of every sequence as decoded (before trimming): binutils adds these to its
     * unit's address ranges once it has decoded the table (decode_line_info), so later lookups
     * find the unit for addresses its DW_AT_ranges leave out (padding after a function).
     */
    public long[][] sequenceRanges() {
        return sequenceRanges;
    }

    private static List<Sequence> build(LineTable t) {
        var out = new ArrayList<Sequence>();
        long[] addr = t.address();
        int[] rows = new int[64];
        int n = 0;
        for (int i = 0; i < t.rowCount(); i++) {
            boolean end = t.isEndSequence(i);
            long a = addr[i];
            if (n == rows.length) {
                rows = java.util.Arrays.copyOf(rows, n * 2);
            }
            if (n > 0) {
                int last = rows[n - 1];
                if (addr[last] == a && !t.isEndSequence(last) && !end) {
                    rows[n - 1] = i;
                } else if (end || Long.compareUnsigned(a, addr[last]) > 0) {
                    rows[n++] = i;
                } else {
                    int at = lowerBound(addr, rows, n, a);
                    System.arraycopy(rows, at, rows, at + 1, n - at);
                    rows[at] = i;
                    n++;
                }
            } else {
                rows[n++] = i;
            }
            if (end) {
                int[] r = java.util.Arrays.copyOf(rows, n);
                long[] addrs = new long[n];
                for (int k = 0; k < n; k++) {
                    addrs[k] = addr[r[k]];
                }
                out.add(new Sequence(addr[r[0]], r, addrs, out.size()));
                n = 0;
            }
        }
        return out;
    }

    /** First position in rows[0..n-1) whose address is not below {@code a} (never the last row). */
    private static int lowerBound(long[] addr, int[] rows, int n, long a) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addr[rows[mid]], a) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static Sequence[] arrange(List<Sequence> list) {
        if (list.isEmpty()) {
            return new Sequence[0];
        }
        var sorted = new ArrayList<>(list);
        // binutils lists sequences newest first before sorting, so among equal ones the later wins.
        sorted.sort((x, y) -> {
            int c = Long.compareUnsigned(x.low(), y.low());
            if (c != 0) {
                return c;
            }
            c = Long.compareUnsigned(y.high(), x.high());
            return c != 0 ? c : Integer.compare(y.order(), x.order());
        });
        var kept = new ArrayList<Sequence>();
        long lastHigh = sorted.get(0).high();
        kept.add(sorted.get(0));
        for (int i = 1; i < sorted.size(); i++) {
            Sequence s = sorted.get(i);
            if (Long.compareUnsigned(s.low(), lastHigh) < 0) {
                if (Long.compareUnsigned(s.high(), lastHigh) <= 0) {
                    continue;
                }
                s = new Sequence(lastHigh, s.rows(), s.addresses(), s.order());
            }
            lastHigh = s.high();
            kept.add(s);
        }
        return kept.toArray(Sequence[]::new);
    }

    /** The row covering {@code address}, or null. */
    public Row lookup(long address) {
        int lo = 0;
        int hi = sequences.length;
        Sequence seq = null;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            seq = sequences[mid];
            if (Long.compareUnsigned(address, seq.low()) < 0) {
                hi = mid;
            } else if (Long.compareUnsigned(address, seq.high()) >= 0) {
                lo = mid + 1;
            } else {
                break;
            }
        }
        if (seq == null || Long.compareUnsigned(address, seq.low()) < 0 || Long.compareUnsigned(address, seq.high()) >= 0) {
            return null;
        }
        long[] a = seq.addresses();
        // Last row with address <= target.
        int l = 0;
        int h = a.length;
        while (l < h) {
            int mid = (l + h) >>> 1;
            if (Long.compareUnsigned(a[mid], address) <= 0) {
                l = mid + 1;
            } else {
                h = mid;
            }
        }
        int k = l - 1;
        if (k < 0 || k >= a.length - 1) {
            return null;
        }
        int row = seq.rows()[k];
        if (table.isEndSequence(row)) {
            return null;
        }
        return new Row(path(row), Integer.toUnsignedLong(table.line()[row]), Integer.toUnsignedLong(table.discriminator()[row]));
    }

    private String path(int row) {
        long index = (table.flags()[row] & LineTable.DEFAULT_FILE) != 0
                ? (table.zeroBasedFiles() ? 0 : 1)   // binutils starts each sequence at file 0 (v5) or 1
                : Integer.toUnsignedLong(table.file()[row]);
        if (index >= 0 && index < paths.length) {
            String p = paths[(int) index];
            if (p == null) {
                p = Paths.of(table, index);
                paths[(int) index] = p;
            }
            return p.isEmpty() ? null : p;
        }
        String p = Paths.of(table, index);
        return p.isEmpty() ? null : p;
    }

}
