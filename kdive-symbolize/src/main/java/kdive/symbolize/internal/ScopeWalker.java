package kdive.symbolize.internal;

import java.util.ArrayList;
import java.util.List;
import kdive.dwarf.AddressRange;
import kdive.dwarf.AttrValue;
import kdive.dwarf.Die;
import kdive.dwarf.DieReader;
import kdive.dwarf.DwAt;
import kdive.dwarf.DwTag;
import kdive.dwarf.Dwarf;
import kdive.dwarf.Unit;
import kdive.symbolize.ScopeVariable;

/**
 * Finds the parameters and variables visible at one PC of a unit: walks the DIE tree, entering
 * only the subprograms, inlined subroutines and lexical blocks whose ranges hold the PC, and
 * takes name and type through DW_AT_abstract_origin (inlined and out-of-line copies describe
 * their variables that way, DWARF 5 §3.3.8).
 */
public final class ScopeWalker {
    /** Deeper DIE nesting than this is not code scopes any more (or is corrupt). */
    private static final int MAX_DEPTH = 256;
    private static final int MAX_ORIGIN_HOPS = 8;

    private ScopeWalker() {}

    /** Innermost scope first; empty when no subprogram of {@code unit} holds {@code pc}. */
    public static List<ScopeVariable> at(Dwarf dwarf, Unit unit, long pc) {
        // Scopes holding the PC, outermost first; each subtree is done when the walk climbs above it.
        record Scope(int depth, String function, List<Die> variables) {}
        var scopes = new ArrayList<Scope>();
        boolean[] inside = new boolean[MAX_DEPTH + 2];
        DieReader r = dwarf.dies(unit);
        inside[0] = true;
        boolean first = true;
        while (r.hasNext()) {
            int depth = r.depth();
            if (!scopes.isEmpty() && depth <= scopes.getFirst().depth()) {
                break; // past the subprogram that holds the PC
            }
            int tag = r.nextEntry();
            if (tag == 0) {
                continue;
            }
            if (first) {
                first = false;
                r.skipAttributes(); // the unit's root DIE
                continue;
            }
            boolean parentInside = depth >= 1 && depth <= MAX_DEPTH && inside[depth - 1];
            if (depth > MAX_DEPTH) {
                r.skipAttributes();
                continue;
            }
            inside[depth] = false;
            if (!parentInside) {
                r.skipAttributes();
                continue;
            }
            switch (tag) {
                case DwTag.SUBPROGRAM, DwTag.INLINED_SUBROUTINE, DwTag.LEXICAL_BLOCK -> {
                    Die d = r.readAttributes();
                    List<AddressRange> ranges = dwarf.pcRanges(d);
                    boolean holds = tag == DwTag.LEXICAL_BLOCK && ranges.isEmpty() || ranges.stream().anyMatch(x -> x.contains(pc));
                    inside[depth] = holds;
                    if (holds && tag != DwTag.LEXICAL_BLOCK) {
                        scopes.add(new Scope(depth, name(dwarf, d), new ArrayList<>()));
                    }
                }
                case DwTag.FORMAL_PARAMETER, DwTag.VARIABLE -> {
                    Die d = r.readAttributes();
                    for (int i = scopes.size() - 1; i >= 0; i--) {
                        if (scopes.get(i).depth() < depth) {
                            scopes.get(i).variables().add(d);
                            break;
                        }
                    }
                }
                default -> r.skipAttributes();
            }
        }
        var out = new ArrayList<ScopeVariable>();
        for (int i = scopes.size() - 1; i >= 0; i--) {
            Scope s = scopes.get(i);
            for (Die v : s.variables()) {
                Die named = origin(dwarf, v);
                String name = named.get(DwAt.NAME) == null ? null : dwarf.string(named.unit(), named.get(DwAt.NAME));
                if (name == null) {
                    continue;
                }
                long type = named.get(DwAt.TYPE) instanceof AttrValue.Reference ref ? ref.offset() : -1;
                out.add(new ScopeVariable(name, type, v.tag() == DwTag.FORMAL_PARAMETER, s.function(),
                        scopes.size() - 1 - i, dwarf.location(v, pc)));
            }
        }
        return out;
    }

    /** The DIE that carries the name and type: {@code d} itself, or its abstract origin / specification. */
    private static Die origin(Dwarf dwarf, Die d) {
        for (int hop = 0; hop < MAX_ORIGIN_HOPS && d.get(DwAt.NAME) == null; hop++) {
            AttrValue ref = d.get(DwAt.ABSTRACT_ORIGIN);
            if (ref == null) {
                ref = d.get(DwAt.SPECIFICATION);
            }
            if (!(ref instanceof AttrValue.Reference r)) {
                break;
            }
            d = dwarf.die(r.offset());
        }
        return d;
    }

    private static String name(Dwarf dwarf, Die d) {
        Die named = origin(dwarf, d);
        return named.get(DwAt.NAME) == null ? "??" : dwarf.string(named.unit(), named.get(DwAt.NAME));
    }
}
