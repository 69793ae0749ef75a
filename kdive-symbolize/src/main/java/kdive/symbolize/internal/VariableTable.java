package kdive.symbolize.internal;

import java.util.ArrayList;
import java.util.List;
import kdive.dwarf.AttrValue;
import kdive.dwarf.Attribute;
import kdive.dwarf.Die;
import kdive.dwarf.DieReader;
import kdive.dwarf.DwAt;
import kdive.dwarf.DwTag;
import kdive.dwarf.Dwarf;
import kdive.dwarf.LineTable;
import kdive.dwarf.Unit;

/**
 * The variables of one unit as binutils' {@code varinfo} list keeps them (bfd/dwarf2.c
 * scan_unit_for_symbols): used when an address in a data section is exactly an ELF symbol, to
 * report the variable's declaration (lookup_symbol_in_variable_table).
 */
public final class VariableTable {
    private static final int DW_OP_ADDR = 0x03;

    private record Var(String name, String file, long line, long address, boolean stack) {}

    private final List<Var> vars;

    private VariableTable(List<Var> vars) {
        this.vars = vars;
    }

    public static VariableTable scan(Dwarf dwarf, Unit u, LineTable lines) {
        var out = new ArrayList<Var>();
        DieReader r = dwarf.dies(u);
        r.next();
        while (r.hasNext()) {
            int tag = r.nextEntry();
            if (tag == 0) {
                continue;
            }
            if (tag != DwTag.VARIABLE && tag != DwTag.MEMBER) {
                r.skipAttributes();
                continue;
            }
            Die d = r.readAttributes();
            String name = null;
            String file = null;
            long line = 0;
            long address = 0;
            boolean stack = true;
            for (Attribute a : d.attributes()) {
                AttrValue v = a.value();
                switch (a.name()) {
                    case DwAt.SPECIFICATION -> {
                        // binutils' find_abstract_instance: the declaration gives the name (unless
                        // set) and its decl_file/decl_line, which the definition's own may override.
                        if (v instanceof AttrValue.Reference ref && ref.offset() != 0) {
                            Die spec = dwarf.die(ref.offset());
                            for (Attribute sa : spec.attributes()) {
                                AttrValue sv = sa.value();
                                switch (sa.name()) {
                                    case DwAt.NAME -> {
                                        if (name == null && (sv instanceof AttrValue.Str || sv instanceof AttrValue.Index)) {
                                            name = dwarf.string(spec.unit(), sv);
                                        }
                                    }
                                    case DwAt.LINKAGE_NAME, DwAt.MIPS_LINKAGE_NAME -> {
                                        if (sv instanceof AttrValue.Str || sv instanceof AttrValue.Index) {
                                            name = dwarf.string(spec.unit(), sv);
                                        }
                                    }
                                    case DwAt.DECL_FILE -> {
                                        if (sv.isIntegral()) {
                                            file = Paths.of(spec.unit() == u ? lines : dwarf.lineTable(spec.unit()).orElse(null), sv.asLong());
                                        }
                                    }
                                    case DwAt.DECL_LINE -> {
                                        if (sv.isIntegral()) {
                                            line = sv.asLong();
                                        }
                                    }
                                    default -> { }
                                }
                            }
                        }
                    }
                    case DwAt.NAME -> {
                        if (v instanceof AttrValue.Str || v instanceof AttrValue.Index) {
                            name = dwarf.string(u, v);
                        }
                    }
                    case DwAt.DECL_FILE -> {
                        if (v.isIntegral()) {
                            file = Paths.of(lines, v.asLong());
                        }
                    }
                    case DwAt.DECL_LINE -> {
                        if (v.isIntegral()) {
                            line = v.asLong();
                        }
                    }
                    case DwAt.EXTERNAL -> {
                        if (v.isIntegral() && v.asLong() != 0) {
                            stack = false;
                        }
                    }
                    case DwAt.LOCATION -> {
                        if (v instanceof AttrValue.Block b && b.bytes().byteSize() > 0
                                && b.bytes().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) == DW_OP_ADDR) {
                            stack = false;
                            if (b.bytes().byteSize() == 1 + u.addressSize()) {
                                var br = new kdive.io.BinaryReader(b.bytes(), "", 0, dwarf.sections().order());
                                br.u8();
                                address = br.unsigned(u.addressSize());
                            }
                        }
                    }
                    default -> { }
                }
            }
            out.add(new Var(name, file, line, address, stack));
        }
        return new VariableTable(out);
    }

    /** {file, line} of the last variable (in DIE order) at {@code address} whose name occurs in {@code symbol}, or null. */
    public LineLookup.Row find(String symbol, long address) {
        for (int i = vars.size() - 1; i >= 0; i--) {
            Var v = vars.get(i);
            if (v.address() == address && !v.stack() && v.file() != null && v.name() != null && symbol.contains(v.name())) {
                return new LineLookup.Row(v.file(), v.line(), 0);
            }
        }
        return null;
    }
}
