package kdive.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kdive.io.KdiveException;
import kdive.kernel.Program;
import kdive.kernel.helpers.Modules;
import kdive.symbolize.Frame;
import kdive.symbolize.Location;
import kdive.symbolize.ModuleLayout;
import kdive.symbolize.Symbolizer;

/**
 * Source positions of stack frames as addr2line -f -i gives them: the vmlinux's DWARF for kernel
 * text, and for a module's text its .ko, looked for beside the dump and in the debug directories
 * (NAME.ko), placed at the module's base as the module loader placed it.
 */
final class FrameSources implements AutoCloseable {
    private final Program prog;
    private final Symbolizer kernel;
    private final List<Path> dirs;
    private final PrintWriter err;
    private final Map<String, Optional<Loaded>> modules = new HashMap<>();
    private Modules.ModuleList list;
    /** Chains by PC: the sleeping tasks of a dump share a handful of return addresses (__schedule's, schedule's). */
    private final Map<Long, List<Frame>> chains = new HashMap<>();

    private record Loaded(Symbolizer symbolizer, ModuleLayout layout) {}

    FrameSources(Program prog, Path dump, List<Path> debugDirs, PrintWriter err) {
        this.prog = prog;
        this.kernel = Symbolizer.of(prog.vmlinux());
        var d = new ArrayList<Path>();
        Path parent = dump.toAbsolutePath().getParent();
        if (parent != null) {
            d.add(parent);
        }
        d.addAll(debugDirs);
        this.dirs = d;
        this.err = err;
    }

    /** The inline chain at {@code pc} (innermost first, the frame's own function last); empty when no DWARF covers it. */
    List<Frame> at(long pc) {
        return chains.computeIfAbsent(pc, this::chain);
    }

    private List<Frame> chain(long pc) {
        try {
            long linked = pc - prog.kaslrOffset();
            if (prog.symbolize(pc).isPresent()) {
                Location l = kernel.symbolize(linked);
                return l.found() ? l.frames() : List.of();
            }
            for (Modules.Module m : modules().modules()) {
                if (m.contains(pc)) {
                    return module(m).map(x -> x.layout().find(pc).map(p -> x.symbolizer()
                            .symbolizeInSection(p.section(), pc - p.address())).filter(Location::found)
                            .map(Location::frames).orElse(List.of())).orElse(List.of());
                }
            }
        } catch (KdiveException e) {
            // No source position: the frame is shown without one.
        }
        return List.of();
    }

    /** A variable in scope at a frame's PC, its value read from the unwound registers or the stack if they hold it. */
    record Local(String function, String name, String type, Optional<Long> value, String location) {}

    /**
     * The parameters and locals in scope at {@code lookupPc} (innermost inline level first), with
     * each value when its DWARF location at that PC is a register this frame's unwinding recovered,
     * a stack slot below it, the CFA ({@code cfa}, the frame base of gcc's kernel code) or a constant.
     */
    List<Local> locals(long lookupPc, long pcOffset, kdive.kernel.unwind.RegisterState regs, Optional<Long> cfa) {
        try {
            Optional<kdive.kernel.SymbolHit> hit = prog.symbolize(lookupPc);
            Symbolizer s;
            Optional<kdive.elf.Symbol> sym;
            long offset;
            if (hit.isPresent()) {
                s = kernel;
                sym = Optional.of(hit.get().symbol());
                offset = hit.get().offset();
            } else {
                Optional<kdive.kernel.SymbolHit> m = modules().symbolize(lookupPc);
                Optional<Modules.Module> mod = modules().modules().stream().filter(x -> x.contains(lookupPc)).findFirst();
                if (m.isEmpty() || mod.isEmpty() || module(mod.get()).isEmpty()) {
                    return List.of();
                }
                s = module(mod.get()).get().symbolizer();
                sym = s.elf().symbols().findByName(m.get().name());
                offset = m.get().offset();
            }
            if (sym.isEmpty()) {
                return List.of();
            }
            var out = new ArrayList<Local>();
            for (kdive.symbolize.ScopeVariable v : s.variablesAt(sym.get(), offset)) {
                long size = v.type() < 0 ? 8 : Math.max(1, Math.min(8, s.types().sizeOf(v.type())));
                String type = v.type() < 0 ? "?" : kdive.dwarf.TypeNames.of(s.types(), v.type());
                out.add(new Local(v.function(), v.name(), type, value(v.location(), regs, cfa, size), describe(v.location())));
            }
            return out;
        } catch (KdiveException e) {
            return List.of();
        }
    }

    private Optional<Long> value(kdive.dwarf.LocationExpression l, kdive.kernel.unwind.RegisterState regs,
                                 Optional<Long> cfa, long size) {
        try {
            return switch (l) {
                case kdive.dwarf.LocationExpression.InRegister(int r) -> reg(regs, r).map(v -> mask(v, size));
                case kdive.dwarf.LocationExpression.RegisterPlus(int r, long k) -> reg(regs, r).map(v -> v + k);
                case kdive.dwarf.LocationExpression.InMemory(int r, long k) ->
                        reg(regs, r).map(v -> prog.unsigned(v + k, (int) size));
                case kdive.dwarf.LocationExpression.FrameBase(long k) -> cfa.map(c -> prog.unsigned(c + k, (int) size));
                case kdive.dwarf.LocationExpression.Constant(long v) -> Optional.of(v);
                case kdive.dwarf.LocationExpression.Static(long a) ->
                        Optional.of(prog.unsigned(prog.runtime(a), (int) size));
                default -> Optional.empty();
            };
        } catch (KdiveException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> reg(kdive.kernel.unwind.RegisterState regs, int dwarf) {
        return kdive.kernel.unwind.X86Reg.ofDwarf(dwarf).filter(regs::has).map(regs::value);
    }

    private static long mask(long v, long size) {
        return size >= 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    private static String describe(kdive.dwarf.LocationExpression l) {
        return switch (l) {
            case kdive.dwarf.LocationExpression.InRegister(int r) -> "%" + regName(r);
            case kdive.dwarf.LocationExpression.RegisterPlus(int r, long k) -> "%" + regName(r) + (k < 0 ? "" : "+") + k;
            case kdive.dwarf.LocationExpression.InMemory(int r, long k) -> k + "(%" + regName(r) + ")";
            case kdive.dwarf.LocationExpression.FrameBase(long k) -> "CFA" + (k < 0 ? "" : "+") + k;
            case kdive.dwarf.LocationExpression.Constant(long v) -> "constant";
            case kdive.dwarf.LocationExpression.Static(long a) -> "0x%x".formatted(a);
            case kdive.dwarf.LocationExpression.OptimizedOut o -> "optimized out";
            default -> l.getClass().getSimpleName();
        };
    }

    private static String regName(int dwarf) {
        return kdive.kernel.unwind.X86Reg.ofDwarf(dwarf).map(kdive.kernel.unwind.X86Reg::regName).orElse("reg" + dwarf);
    }

    private Modules.ModuleList modules() {
        if (list == null) {
            list = Modules.list(prog);
        }
        return list;
    }

    private Optional<Loaded> module(Modules.Module m) {
        return modules.computeIfAbsent(m.name(), n -> {
            for (Path d : dirs) {
                Path ko = d.resolve(n + ".ko");
                if (Files.isRegularFile(ko)) {
                    try {
                        Symbolizer s = Symbolizer.open(ko);
                        return Optional.of(new Loaded(s, ModuleLayout.of(s.elf(), m.base())));
                    } catch (KdiveException e) {
                        err.println("kdive bt: WARNING: " + ko + ": " + e.getMessage());
                    }
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public void close() {
        modules.values().forEach(o -> o.ifPresent(l -> l.symbolizer().close()));
    }
}
