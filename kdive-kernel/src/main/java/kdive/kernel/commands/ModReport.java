package kdive.kernel.commands;

import java.util.ArrayList;
import java.util.List;
import kdive.kernel.Program;
import kdive.kernel.helpers.Modules;

/** crash's {@code mod}: each loaded module's struct module, name, text base, size and symbol count. */
public record ModReport(List<Row> modules, List<String> problems) {
    public static final String HEADER = "     MODULE       NAME                      TEXT_BASE         SIZE  SYMBOLS";

    public ModReport {
        modules = List.copyOf(modules);
        problems = List.copyOf(problems);
    }

    /** One module; addresses as crash writes them. */
    public record Row(String module, String name, String base, long size, int symbols) {}

    public static ModReport of(Program prog) {
        Modules.ModuleList list = Modules.list(prog);
        var rows = new ArrayList<Row>();
        for (Modules.Module m : list.modules()) {
            rows.add(new Row("0x%016x".formatted(m.address()), m.name(), "0x%016x".formatted(m.base()), m.size(),
                    m.symbols().size()));
        }
        return new ModReport(rows, list.problems());
    }

    public List<String> text() {
        var out = new ArrayList<String>(modules.size() + 1);
        out.add(HEADER);
        for (Row m : modules) {
            out.add("%s  %-24s %s %8d  %7d".formatted(m.module().substring(2), m.name(), m.base().substring(2), m.size(),
                    m.symbols()));
        }
        return out;
    }
}
