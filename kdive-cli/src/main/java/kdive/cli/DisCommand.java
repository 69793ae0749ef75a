package kdive.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import kdive.disasm.Disassemblers;
import kdive.disasm.Syntax;
import kdive.symbolize.Disassembly;
import kdive.symbolize.Symbolizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "dis", mixinStandardHelpOptions = true,
        description = {"Disassemble the function containing SYMBOL or ADDR (crash `dis` layout).",
                "--source interleaves file:line and the inline chain wherever they change (like objdump -S, with inlined levels).",
                "Exit status: 0 ok, 2 usage error, unknown symbol or unreadable file."})
final class DisCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--vmlinux", required = true, paramLabel = "FILE", description = "ELF file with symbols (and DWARF for --source).")
    Path vmlinux;

    @Option(names = {"-l", "--source"}, description = "Interleave source file:line and inline chain.")
    boolean source;

    @Option(names = "--intel", description = "Intel syntax (default: AT&T).")
    boolean intel;

    @Parameters(index = "0", paramLabel = "SYMBOL|ADDR", description = "Function name, SYMBOL+0xOFF or hex address.")
    String target;

    @Override
    public Integer call() {
        try (var sym = Symbolizer.open(vmlinux); var dis = Disassemblers.best()) {
            Syntax syntax = intel ? Syntax.INTEL : Syntax.ATT;
            long address = sym.resolve(target);
            List<Disassembly.Line> lines;
            String name = target.strip().replaceFirst("\\+.*", "");
            if (sym.elf().header().isRelocatable() && !name.matches("(0[xX])?[0-9a-fA-F]+")) {
                // A .ko: sections all start at 0, so the symbol, not the address, names the bytes.
                lines = Disassembly.function(sym, dis, name, syntax, source);
                long mark = address;
                address = lines.stream().filter(l -> l.instruction().address() == mark).findFirst()
                        .map(l -> mark).orElse(-1L);
            } else {
                lines = Disassembly.function(sym, dis, address, syntax, source);
            }
            spec.commandLine().getOut().print(Disassembly.format(lines, address));
            return lines.isEmpty() ? Main.EXIT_NOTHING : Main.EXIT_FOUND;
        }
    }
}
