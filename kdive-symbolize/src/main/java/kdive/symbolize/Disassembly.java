package kdive.symbolize;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import kdive.disasm.Disassembler;
import kdive.disasm.Instruction;
import kdive.disasm.Syntax;
import kdive.elf.Section;
import kdive.elf.Symbol;
import kdive.io.LookupException;

/**
 * A function's machine code as text, crash {@code dis} style ({@code 0x... <func+off>: insn}),
 * optionally with its source: before each instruction whose file:line or inline chain differs
 * from the previous one's, the chain innermost first, as {@code objdump -S} would show it but
 * with the inlined levels named.
 */
public final class Disassembly {
    /** One decoded instruction with where it comes from. */
    public record Line(Instruction instruction, String symbol, long offset, Location location) {}

    private Disassembly() {}

    /** Decodes the whole function (ELF symbol with a size) containing {@code address}. */
    public static List<Line> function(Symbolizer sym, Disassembler dis, long address, Syntax syntax, boolean withSource) {
        Symbol f = sym.elf().symbols().findByAddress(address)
                .filter(s -> s.size() > 0)
                .orElseThrow(() -> new LookupException("%s: no function symbol contains 0x%016x".formatted(sym.elf().name(), address)));
        Section text = sym.elf().sectionContaining(f.value())
                .filter(s -> s.type() != Section.SHT_NOBITS)
                .orElseThrow(() -> new LookupException("%s: no code bytes for %s".formatted(sym.elf().name(), f.name())));
        long size = Math.min(f.size(), text.addr() + text.size() - f.value());
        byte[] code = sym.elf().contents(text).asSlice(f.value() - text.addr(), size).toArray(ValueLayout.JAVA_BYTE);
        List<Instruction> insns = dis.decode(code, f.value(), syntax);
        List<Location> locs = withSource
                ? sym.symbolizeAll(insns.stream().mapToLong(Instruction::address).toArray())
                : null;
        var out = new ArrayList<Line>(insns.size());
        for (int i = 0; i < insns.size(); i++) {
            Instruction in = insns.get(i);
            out.add(new Line(in, f.name(), in.address() - f.value(), locs == null ? null : locs.get(i)));
        }
        return out;
    }

    /**
     * Decodes function {@code name} from its own section: in a relocatable file (a {@code .ko})
     * every section starts at 0, so only the symbol says which bytes are meant. Source positions
     * are looked up as {@code name+offset} for the same reason.
     */
    public static List<Line> function(Symbolizer sym, Disassembler dis, String name, Syntax syntax, boolean withSource) {
        Symbolizer.Code code = sym.functionCode(name)
                .orElseThrow(() -> new LookupException("%s: no function symbol %s with code".formatted(sym.elf().name(), name)));
        var out = new ArrayList<Line>();
        for (Instruction in : dis.decode(code.bytes(), code.start(), syntax)) {
            long offset = in.address() - code.start();
            out.add(new Line(in, name, offset, withSource ? sym.symbolizeSymbol(name, offset) : null));
        }
        return out;
    }

    /** The text: one line per instruction, source headers where the source position changes. */
    public static String format(List<Line> lines, long mark) {
        var sb = new StringBuilder();
        List<Frame> previous = null;
        for (Line l : lines) {
            if (l.location() != null && !l.location().frames().equals(previous)) {
                previous = l.location().frames();
                appendSource(sb, l.location());
            }
            Instruction in = l.instruction();
            sb.append(in.address() == mark && l.offset() != 0 ? "=> " : "")
                    .append("0x%016x <%s+%d>:\t%s\n".formatted(in.address(), l.symbol(), l.offset(), in.text()));
        }
        return sb.toString();
    }

    private static void appendSource(StringBuilder sb, Location loc) {
        if (!loc.found() || loc.frames().isEmpty()) {
            sb.append("  ??:0\n");
            return;
        }
        List<Frame> frames = loc.frames();
        for (int i = 0; i < frames.size(); i++) {
            Frame fr = frames.get(i);
            String where = (fr.file() == null ? "??" : fr.file()) + ":" + (fr.line() == 0 ? "?" : Long.toString(fr.line()));
            String name = fr.function() == null ? "??" : fr.function();
            sb.append(i == 0 ? "  %s  %s\n".formatted(where, name) : "    inlined into %s at %s\n".formatted(name, where));
        }
    }
}
