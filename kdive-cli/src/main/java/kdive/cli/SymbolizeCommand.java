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

    @Option(names = "--vmlinux", required = true, paramLabel = "FILE", description = "ELF file with DWARF (vmlinux, .ko, program).")
    Path vmlinux;

    @Option(names = "--json", description = "One JSON document {\"locations\":[...]} with frames, symbol and offset.")
    boolean json;

    @Parameters(arity = "0..*", paramLabel = "ADDR", description = "Addresses; stdin when none.")
    List<String> addresses = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> specs = addresses.isEmpty() ? stdin() : addresses;
        try (var sym = Symbolizer.open(vmlinux)) {
            long[] addrs = specs.stream().mapToLong(sym::resolve).toArray();
            List<Location> locs = addrs.length == 1 ? List.of(sym.symbolize(addrs[0])) : sym.symbolizeAll(addrs);
            if (json) {
                printJson(out, sym, locs);
            } else {
                for (Location l : locs) {
                    out.print(Addr2line.format(l));
                }
            }
            return locs.stream().allMatch(Location::found) ? Main.EXIT_FOUND : Main.EXIT_NOTHING;
        }
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

    private static void printJson(PrintWriter out, Symbolizer sym, List<Location> locs) {
        out.print("{\"locations\":[");
        for (int i = 0; i < locs.size(); i++) {
            Location l = locs.get(i);
            var near = sym.nearestSymbol(l.address());
            out.print(i == 0 ? "\n" : ",\n");
            out.printf("{\"address\":\"0x%016x\",\"found\":%b,\"symbol\":%s,\"offset\":%d,\"frames\":[",
                    l.address(), l.found(), str(near.map(kdive.elf.Symbol::name).orElse(null)),
                    near.map(n -> l.address() - n.value()).orElse(0L));
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

    private static String str(String s) {
        if (s == null) {
            return "null";
        }
        var sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u%04x".formatted((int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
