package kdive.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kdive.symbolize.Addr2line;
import kdive.symbolize.Frame;
import kdive.symbolize.Location;
import kdive.symbolize.ModuleLayout;
import kdive.io.UsageException;
import kdive.symbolize.Symbolizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "symbolize", mixinStandardHelpOptions = true,
        description = {"Address to function, file:line and inline chain, printed exactly as `addr2line -f -i -e FILE ADDR`.",
                "Addresses are hex (0xffffffff81000000), SYMBOL or SYMBOL+0xOFF; without ADDR they are read from stdin.",
                "Exit status: 0 all found, 1 some address unknown, 2 usage error or unreadable file."})
final class SymbolizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--vmlinux", paramLabel = "FILE", description = "ELF file with DWARF (vmlinux, .ko, program).")
    Path vmlinux;

    @Option(names = "--module", paramLabel = "NAME=FILE.ko@BASE",
            description = {"A module's debug file and the address its image was loaded at (/proc/modules, crash `mod`);"
                    + " addresses inside it are answered from the .ko. Repeatable."})
    List<String> modules = new ArrayList<>();

    @Option(names = "--json", description = "One JSON document {\"locations\":[...]} with frames, symbol and offset.")
    boolean json;

    @Parameters(arity = "0..*", paramLabel = "ADDR", description = "Addresses; stdin when none.")
    List<String> addresses = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (vmlinux == null && modules.isEmpty()) {
            throw new UsageException("symbolize: give --vmlinux FILE, --module NAME=FILE.ko@BASE, or both");
        }
        List<String> specs = addresses.isEmpty() ? stdin() : addresses;
        var loaded = new ArrayList<LoadedModule>();
        Symbolizer sym = null;
        try {
            for (String m : modules) {
                loaded.add(LoadedModule.open(m));
            }
            sym = vmlinux == null ? null : Symbolizer.open(vmlinux).withProgress(TerminalProgress.forStderr());
            List<Location> locs = locate(sym, loaded, specs);
            if (json) {
                printJson(out, sym, loaded, locs);
            } else {
                for (Location l : locs) {
                    out.print(Addr2line.format(l));
                }
            }
            return locs.stream().allMatch(Location::found) ? Main.EXIT_FOUND : Main.EXIT_NOTHING;
        } finally {
            loaded.forEach(LoadedModule::close);
            if (sym != null) {
                sym.close();
            }
        }
    }

    /** A module's debug file placed at its load address. */
    private record LoadedModule(String name, Symbolizer symbolizer, ModuleLayout layout) implements AutoCloseable {
        static LoadedModule open(String spec) {
            int eq = spec.indexOf('=');
            int at = spec.lastIndexOf('@');
            if (eq <= 0 || at < eq + 2 || at == spec.length() - 1) {
                throw new UsageException("--module " + spec + ": expected NAME=FILE.ko@BASE, e.g. crashlab_skb=crashlab_skb.ko@0xffffffffc04de000");
            }
            long base;
            try {
                String hex = spec.substring(at + 1).replaceFirst("^0[xX]", "");
                base = Long.parseUnsignedLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new UsageException("--module " + spec + ": BASE must be a hex address");
            }
            Symbolizer s = Symbolizer.open(Path.of(spec.substring(eq + 1, at)));
            return new LoadedModule(spec.substring(0, eq), s, ModuleLayout.of(s.elf(), base));
        }

        @Override
        public void close() {
            symbolizer.close();
        }
    }

    /**
     * Module addresses are answered one by one from their .ko (by section and offset); the others
     * go to the vmlinux together, in input order, as addr2line's order-dependent rules need.
     */
    private static List<Location> locate(Symbolizer sym, List<LoadedModule> modules, List<String> specs) {
        var out = new ArrayList<Location>(java.util.Collections.nCopies(specs.size(), (Location) null));
        var kernelAt = new ArrayList<Integer>();
        var kernelAddrs = new ArrayList<Long>();
        for (int i = 0; i < specs.size(); i++) {
            Location found = inModule(modules, specs.get(i));
            if (found != null) {
                out.set(i, found);
            } else if (sym == null) {
                throw new UsageException(specs.get(i) + ": not inside any --module, and no --vmlinux given");
            } else {
                kernelAt.add(i);
                kernelAddrs.add(sym.resolve(specs.get(i)));
            }
        }
        if (!kernelAt.isEmpty()) {
            long[] addrs = kernelAddrs.stream().mapToLong(Long::longValue).toArray();
            List<Location> locs = addrs.length == 1 ? List.of(sym.symbolize(addrs[0])) : sym.symbolizeAll(addrs);
            for (int k = 0; k < locs.size(); k++) {
                out.set(kernelAt.get(k), locs.get(k));
            }
        }
        return out;
    }

    private static Location inModule(List<LoadedModule> modules, String spec) {
        if (modules.isEmpty()) {
            return null;
        }
        String s = spec.strip().replaceFirst("^0[xX]", "");
        if (!s.matches("[0-9a-fA-F]{1,16}")) {
            return null; // symbols are looked up in the vmlinux
        }
        long address = Long.parseUnsignedLong(s, 16);
        for (LoadedModule m : modules) {
            var placed = m.layout().find(address);
            if (placed.isPresent()) {
                Location l = m.symbolizer().symbolizeInSection(placed.get().section(), address - placed.get().address());
                return new Location(address, l.found(), l.frames());
            }
        }
        return null;
    }

    private static List<String> stdin() {
        var out = new ArrayList<String>();
        try (var r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void printJson(PrintWriter out, Symbolizer sym, List<LoadedModule> modules, List<Location> locs) {
        out.print("{\"locations\":[");
        for (int i = 0; i < locs.size(); i++) {
            Location l = locs.get(i);
            Near near = nearest(sym, modules, l.address());
            out.print(i == 0 ? "\n" : ",\n");
            out.printf("{\"address\":\"0x%016x\",\"found\":%b,\"symbol\":%s,\"offset\":%d,\"module\":%s,\"frames\":[",
                    l.address(), l.found(), str(near.symbol()), near.offset(), str(near.module()));
            for (int k = 0; k < l.frames().size(); k++) {
                Frame f = l.frames().get(k);
                out.printf("%s{\"function\":%s,\"file\":%s,\"line\":%d,\"discriminator\":%d,\"inlined\":%b}",
                        k == 0 ? "" : ",", str(f.function()), str(f.file()), f.line(), f.discriminator(),
                        k < l.frames().size() - 1);
            }
            out.print("]}");
        }
        out.println("\n]}");
    }

    /** The symbol at or below an address: in the module that holds it, else in the vmlinux. */
    private record Near(String symbol, long offset, String module) {}

    private static Near nearest(Symbolizer sym, List<LoadedModule> modules, long address) {
        for (LoadedModule m : modules) {
            var placed = m.layout().find(address);
            if (placed.isPresent()) {
                long inSection = address - placed.get().address() + placed.get().section().addr();
                var best = m.symbolizer().elf().symbols().all().stream()
                        .filter(x -> x.shndx() == placed.get().section().index() && x.type() != kdive.elf.Symbol.STT_SECTION
                                && !x.name().isEmpty() && Long.compareUnsigned(x.value(), inSection) <= 0)
                        .max(java.util.Comparator.comparingLong(kdive.elf.Symbol::value));
                return new Near(best.map(kdive.elf.Symbol::name).orElse(null),
                        best.map(x -> inSection - x.value()).orElse(0L), m.name());
            }
        }
        if (sym == null) {
            return new Near(null, 0, null);
        }
        var near = sym.nearestSymbol(address);
        return new Near(near.map(kdive.elf.Symbol::name).orElse(null), near.map(n -> address - n.value()).orElse(0L), null);
    }

    private static String str(String s) {
        return s == null ? "null" : DumpArgs.json(s);
    }
}
