package kdive.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import kdive.kernel.Program;
import kdive.kernel.SymbolHit;
import kdive.kernel.helpers.Modules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sym", mixinStandardHelpOptions = true,
        description = {"Kernel symbols of a crash dump like crash's sym: ADDR -> 'address (T) name+offset',",
                "NAME -> its runtime address (KASLR applied). ADDR is hexadecimal (0x optional).",
                "Exit status: 0 every argument resolved, 1 some did not, 2 usage error or unreadable dump."})
final class SymCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object: per argument, its symbols.")
    boolean json;

    @picocli.CommandLine.Mixin
    VmlinuxOptions where;

    @Parameters(arity = "1..*", paramLabel = "ADDR|NAME... VMCORE", description = "Symbols or addresses, then the dump.")
    List<String> args;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (args.size() < 2) {
            throw new kdive.io.UsageException("sym: give at least one ADDR or NAME, then the dump");
        }
        int code = Main.EXIT_FOUND;
        try (KernelArgs k = KernelArgs.open(args.getLast(), where.vmlinux, where.debugDirs, "sym", spec.commandLine().getErr())) {
            var results = new ArrayList<String>();
            var modules = new ModuleSymbols(k.program, spec.commandLine().getErr());
            for (String arg : args.subList(0, args.size() - 1)) {
                List<SymbolHit> hits = lookup(k.program, modules, arg);
                if (hits.isEmpty()) {
                    spec.commandLine().getErr().println("kdive sym: %s: %s".formatted(arg,
                            isAddress(arg) ? "no symbol at this address" : "no such symbol"));
                    code = Main.EXIT_NOTHING;
                }
                if (json) {
                    results.add("{\"query\":%s,\"symbols\":%s}".formatted(DumpArgs.json(arg), hits.stream()
                            .map(h -> "{\"address\":\"0x%016x\",\"type\":\"%c\",\"name\":%s,\"offset\":%d,\"symbolAddress\":\"0x%016x\"%s}"
                                    .formatted(h.address() + h.offset(), h.letter(), DumpArgs.json(h.name()), h.offset(), h.address(),
                                            h.inModule() ? ",\"module\":" + DumpArgs.json(h.module()) : ""))
                            .collect(Collectors.joining(",", "[", "]"))));
                } else {
                    hits.forEach(h -> out.println(line(h)));
                }
            }
            if (json) {
                out.println(results.stream().collect(Collectors.joining(",", "{\"results\":[", "]}")));
            }
        }
        return code;
    }

    /** crash's line: "ffffffffc02ae014 (t) crashlab_entail+20 [crashlab_skb]" for a module symbol. */
    static String line(SymbolHit h) {
        return "%016x (%c) %s%s".formatted(h.address() + h.offset(), h.letter(), h.nameAndOffset(),
                h.inModule() ? " [" + h.module() + "]" : "");
    }

    /** The dump's module list, walked on first need only (most lookups are the vmlinux's). */
    private static final class ModuleSymbols {
        private final Program prog;
        private final PrintWriter err;
        private Modules.ModuleList list;

        ModuleSymbols(Program prog, PrintWriter err) {
            this.prog = prog;
            this.err = err;
        }

        Modules.ModuleList get() {
            if (list == null) {
                list = Modules.list(prog);
                list.problems().forEach(p -> err.println("kdive sym: WARNING: " + p));
            }
            return list;
        }
    }

    private static boolean isAddress(String arg) {
        return arg.matches("(0[xX])?[0-9a-fA-F]{8,16}") || arg.startsWith("0x") || arg.startsWith("0X");
    }

    /** A name first (crash's sym takes "schedule"), then a hexadecimal address; the vmlinux, then the modules. */
    private static List<SymbolHit> lookup(Program prog, ModuleSymbols modules, String arg) {
        List<SymbolHit> byName = prog.symbols(arg);
        if (byName.isEmpty() && !isAddress(arg)) {
            byName = modules.get().symbols(arg);
        }
        if (!byName.isEmpty() || !isAddress(arg)) {
            return byName;
        }
        long addr = DumpArgs.number(arg, arg);
        return prog.symbolize(addr).or(() -> modules.get().symbolize(addr)).map(List::of).orElse(List.of());
    }
}
