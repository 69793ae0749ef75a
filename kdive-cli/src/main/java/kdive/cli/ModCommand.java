package kdive.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import kdive.kernel.helpers.Modules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mod", mixinStandardHelpOptions = true,
        description = {"The modules loaded in a crash dump, like crash's mod: struct module, name, text base",
                "and size as /proc/modules gave them, and how many symbols each keeps (sym resolves them).",
                "Exit status: 0 ok, 2 usage error, unreadable dump or vmlinux of another kernel."})
final class ModCommand extends KernelCommand {

    static final String HEADER = "     MODULE       NAME                      TEXT_BASE         SIZE  SYMBOLS";

    @Option(names = "--json", description = "One JSON object: modules and problems.")
    boolean json;

    @Override
    List<String> print(KernelArgs k, PrintWriter out) {
        Modules.ModuleList list = Modules.list(k.program);
        nothingRead = list.modules().isEmpty() && !list.problems().isEmpty();
        if (json) {
            out.println(list.modules().stream().map(m -> "{\"module\":\"0x%016x\",\"name\":%s,\"base\":\"0x%016x\",\"size\":%d,\"symbols\":%d}"
                            .formatted(m.address(), DumpArgs.json(m.name()), m.base(), m.size(), m.symbols().size()))
                    .collect(Collectors.joining(",", "{\"modules\":[", "],\"problems\":"))
                    + list.problems().stream().map(DumpArgs::json).collect(Collectors.joining(",", "[", "]}")));
        } else {
            out.println(HEADER);
            list.modules().forEach(m -> out.println("%016x  %-24s %016x %8d  %7d"
                    .formatted(m.address(), m.name(), m.base(), m.size(), m.symbols().size())));
        }
        return list.problems();
    }

    /** An empty table because the list could not be read (a truncated dump) is no answer: exit 1. */
    private boolean nothingRead;

    @Override
    boolean found(KernelArgs k) {
        return !nothingRead;
    }
}
