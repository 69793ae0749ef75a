package kdive.triage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import kdive.disasm.CodeWindow;
import kdive.elf.Symbol;
import kdive.io.KdiveException;
import kdive.oops.Frame;
import kdive.oops.OopsDetails;
import kdive.symbolize.Location;
import kdive.symbolize.Symbolizer;

/**
 * Resolves an oops's locations in a debug vmlinux. Addresses are computed from {@code symbol+offset}
 * rather than the printed addresses, so KASLR does not matter; a symbol whose size differs from
 * the oops's {@code /0xsize} means the vmlinux is not the crashed kernel's, and is reported.
 */
public final class SourceAnnotator implements AutoCloseable {

    private final Path vmlinux;
    private final Symbolizer symbolizer;

    private SourceAnnotator(Path vmlinux, Symbolizer symbolizer) {
        this.vmlinux = vmlinux;
        this.symbolizer = symbolizer;
    }

    public static SourceAnnotator open(Path vmlinux) {
        return new SourceAnnotator(vmlinux, Symbolizer.open(vmlinux));
    }

    public Symbolized annotate(OopsDetails details, CodeWindow window) {
        var warnings = new ArrayList<String>();
        OptionalLong ipAddress = details.ip().map(f -> address(f, warnings)).orElse(OptionalLong.empty());
        List<SourceFrame> ip = ipAddress.isPresent() ? chain(ipAddress.getAsLong()) : List.of();
        var trace = new ArrayList<List<SourceFrame>>();
        for (Frame f : details.callTrace()) {
            OptionalLong a = address(f, warnings);
            // A trace frame holds a return address: the call is the instruction before it.
            trace.add(a.isPresent() ? chain(a.getAsLong() - 1) : List.of());
        }
        var code = new ArrayList<List<SourceFrame>>();
        for (CodeWindow.Entry e : window.entries()) {
            code.add(ipAddress.isPresent() ? chain(ipAddress.getAsLong() + e.offsetFromFault()) : List.of());
        }
        return new Symbolized(vmlinux.toString(), ip, trace, code, warnings.stream().distinct().toList());
    }

    private OptionalLong address(Frame f, List<String> warnings) {
        if (f.symbol().isEmpty()) {
            return OptionalLong.empty();
        }
        if (!f.module().isEmpty()) {
            warnings.add("%s is in module %s: not in the vmlinux".formatted(f.symbol(), f.module()));
            return OptionalLong.empty();
        }
        long address;
        try {
            address = symbolizer.resolve(f.symbol() + "+0x" + Long.toHexString(f.offset()));
        } catch (KdiveException e) {
            warnings.add(e.getMessage());
            return OptionalLong.empty();
        }
        Optional<Symbol> sym = symbolizer.nearestSymbol(address - f.offset());
        // kallsyms prints the distance to the next symbol, which includes alignment padding after
        // the function; only a size outside [ELF size, ELF size rounded up to 64] says "other build".
        long elfSize = sym.map(Symbol::size).orElse(0L);
        if (f.size() != 0 && sym.isPresent() && sym.get().name().equals(f.symbol()) && elfSize != 0
                && (f.size() < elfSize || f.size() > ((elfSize + 63) & ~63L))) {
            warnings.add("%s is 0x%x bytes in the vmlinux but 0x%x in the oops: this vmlinux is not the crashed kernel's"
                    .formatted(f.symbol(), sym.get().size(), f.size()));
        }
        return OptionalLong.of(address);
    }

    private List<SourceFrame> chain(long address) {
        Location loc = symbolizer.symbolize(address);
        if (!loc.found()) {
            return List.of();
        }
        return loc.frames().stream().map(fr -> new SourceFrame(fr.function(), fr.file(), fr.line())).toList();
    }

    @Override
    public void close() {
        symbolizer.close();
    }
}
