package kdive.dwarf.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import kdive.dwarf.Abbrev;
import kdive.dwarf.Form;
import kdive.io.BinaryReader;

/** Parses one abbreviation table of .debug_abbrev (DWARF 5 §7.5.3). */
public final class AbbrevParser {
    private AbbrevParser() {}

    /** Abbreviations by code; dense tables (codes 1..n, the usual case) come back as an array. */
    public record Table(Abbrev[] dense, Map<Long, Abbrev> sparse) {
        public Abbrev get(long code) {
            if (code > 0 && code < dense.length) {
                return dense[(int) code];
            }
            return sparse.get(code);
        }
    }

    public static Table parse(BinaryReader r, long offset) {
        r.seek(offset);
        var list = new ArrayList<Abbrev>();
        var attrNames = new ArrayList<Integer>();
        var attrForms = new ArrayList<Form>();
        var consts = new ArrayList<Long>();
        // Every declaration takes at least 3 bytes, so the table is bounded by the section size.
        while (true) {
            long code = r.uleb128();
            if (code == 0) {
                break;
            }
            long tag = r.uleb128();
            int children = r.u8();
            attrNames.clear();
            attrForms.clear();
            consts.clear();
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
                consts.add(form == Form.IMPLICIT_CONST ? r.sleb128() : 0L);
                attrNames.add((int) name);
                attrForms.add(form);
            }
            int[] names = attrNames.stream().mapToInt(Integer::intValue).toArray();
            long[] implicit = consts.stream().mapToLong(Long::longValue).toArray();
            list.add(new Abbrev(code, (int) tag, children != 0, names, attrForms.toArray(Form[]::new), implicit));
        }
        long max = 0;
        for (Abbrev a : list) {
            max = Math.max(max, a.code());
        }
        if (max <= list.size() * 2L + 16) {
            var dense = new Abbrev[(int) max + 1];
            for (Abbrev a : list) {
                dense[(int) a.code()] = a;
            }
            return new Table(dense, Map.of());
        }
        var sparse = new HashMap<Long, Abbrev>();
        for (Abbrev a : list) {
            sparse.putIfAbsent(a.code(), a);
        }
        return new Table(new Abbrev[0], sparse);
    }
}
