package kdive.dwarf;

import java.util.ArrayList;
import kdive.dwarf.internal.AbbrevParser;
import kdive.dwarf.internal.FormReader;
import kdive.io.BinaryReader;

/**
 * Reads the DIEs of one unit in order (DWARF 5 §7.5.2), tracking the nesting depth: the root
 * DIE has depth 0, its children depth 1, and a null entry closes the current level. Not
 * thread-safe; make one per thread.
 */
public final class DieReader {
    private final Dwarf dwarf;
    private final Unit unit;
    private final BinaryReader r;
    private final AbbrevParser.Table abbrevs;
    private int depth;

    DieReader(Dwarf dwarf, Unit unit, long offset, AbbrevParser.Table abbrevs) {
        this.dwarf = dwarf;
        this.unit = unit;
        this.r = dwarf.sections().reader(dwarf.sections().info(), ".debug_info").slice(0, unit.end()).seek(offset);
        this.abbrevs = abbrevs;
    }

    public Unit unit() {
        return unit;
    }

    /** True while entries remain in the unit and the root's children have not been closed. */
    public boolean hasNext() {
        return r.position() < unit.end() && depth >= 0;
    }

    /** The depth the next DIE will have. */
    public int depth() {
        return depth;
    }

    public Die next() {
        int tag = nextEntry();
        if (tag == 0) {
            return new Die(unit, entryOffset, depth + 1, 0, false, java.util.List.of());
        }
        return readAttributes();
    }

    private long entryOffset;
    private Abbrev entry;

    /**
     * Moves to the next entry and returns its tag, 0 for a null entry. For a non-null entry the
     * caller then calls {@link #readAttributes()} or {@link #skipAttributes()} (the cheap way
     * past DIEs it does not need) before asking for the next entry.
     */
    public int nextEntry() {
        entryOffset = r.position();
        long code = r.uleb128();
        if (code == 0) {
            depth--;
            entry = null;
            return 0;
        }
        Abbrev a = abbrevs.get(code);
        if (a == null) {
            throw r.error(entryOffset, "an abbreviation code defined at .debug_abbrev 0x%x, got %d"
                    .formatted(unit.abbrevOffset(), code));
        }
        entry = a;
        return a.tag();
    }

    /** The current entry's attributes, as a {@link Die}. */
    public Die readAttributes() {
        Abbrev a = entry;
        var attrs = new ArrayList<Attribute>(a.attributeCount());
        for (int i = 0; i < a.attributeCount(); i++) {
            attrs.add(new Attribute(a.names()[i], FormReader.read(r, a.forms()[i], a.implicitConst()[i], unit, dwarf.sections())));
        }
        Die die = new Die(unit, entryOffset, depth, a.tag(), a.hasChildren(), attrs);
        if (a.hasChildren()) {
            depth++;
        }
        return die;
    }

    /** Skips the current entry's attributes without decoding them. */
    public void skipAttributes() {
        Abbrev a = entry;
        for (Form f : a.forms()) {
            FormReader.skip(r, f, unit);
        }
        if (a.hasChildren()) {
            depth++;
        }
    }
}
