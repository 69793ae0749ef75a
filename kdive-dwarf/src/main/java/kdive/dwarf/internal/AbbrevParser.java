package kdive.dwarf.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import kdive.dwarf.Abbrev;
import kdive.dwarf.Form;
import kdive.io.BinaryReader;

/** Parses one abbreviation table of .debug_abbrev (DWARF 5 §7.5.3). */
public final class AbbrevParser {
    private AbbrevParser() {}

    /**
     * Abbreviations by code, parsed lazily: a lookup reads declarations only up to the one it
     * needs, so reading every unit's root DIE (code 1, first in its table) stays cheap.
     * Thread-safe.
     */
    public static final class Table {
        private final BinaryReader r;
        private final Map<Long, Abbrev> byCode = new HashMap<>();
        private Abbrev[] dense = new Abbrev[16];
        private boolean complete;

        Table(BinaryReader r) {
            this.r = r;
        }

        public synchronized Abbrev get(long code) {
            while (true) {
                Abbrev a = code > 0 && code < dense.length ? dense[(int) code] : byCode.get(code);
                if (a != null || complete) {
                    return a;
                }
                Abbrev next = readOne(r);
                if (next == null) {
                    complete = true;
                } else if (next.code() > 0 && next.code() < 1 << 16) {
                    if (next.code() >= dense.length) {
                        dense = Arrays.copyOf(dense, (int) Math.max(next.code() + 1, dense.length * 2L));
                    }
                    if (dense[(int) next.code()] == null) {
                        dense[(int) next.code()] = next;
                    }
                } else {
                    byCode.putIfAbsent(next.code(), next);
                }
            }
        }
    }

    /** Every declaration of a table, read to its end (for a scanner that compiles them all up front). */
    public static java.util.List<Abbrev> all(Table t) {
        synchronized (t) {
            while (!t.complete) {
                t.get(Long.MAX_VALUE); // reads to the end: no declaration has this code
            }
            var out = new java.util.ArrayList<Abbrev>(t.byCode.values());
            for (Abbrev a : t.dense) {
                if (a != null) {
                    out.add(a);
                }
            }
            return out;
        }
    }

    public static Table parse(BinaryReader r, long offset) {
        r.seek(offset);
        return new Table(r);
    }

    /** The next declaration, or null at the table's terminating 0. */
    private static Abbrev readOne(BinaryReader r) {
        long code = r.uleb128();
        if (code == 0) {
            return null;
        }
        long tag = r.uleb128();
        int children = r.u8();
        int n = 0;
        int[] names = new int[8];
        Form[] forms = new Form[8];
        long[] consts = new long[8];
        while (true) {
            long at = r.position();
            long name = r.uleb128();
            long formCode = r.uleb128();
            if (name == 0 && formCode == 0) {
                break;
            }
            Form form = Form.ofCode(formCode);
            if (form == null) {
                throw r.error(at, "a known attribute form (DWARF 5 §7.5.6), got 0x%x".formatted(formCode));
            }
            if (n == names.length) {
                names = Arrays.copyOf(names, n * 2);
                forms = Arrays.copyOf(forms, n * 2);
                consts = Arrays.copyOf(consts, n * 2);
            }
            consts[n] = form == Form.IMPLICIT_CONST ? r.sleb128() : 0L;
            names[n] = (int) name;
            forms[n] = form;
            n++;
        }
        return new Abbrev(code, (int) tag, children != 0, Arrays.copyOf(names, n), Arrays.copyOf(forms, n), Arrays.copyOf(consts, n));
    }
}
