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
