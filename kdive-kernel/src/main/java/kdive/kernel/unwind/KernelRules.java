package kdive.kernel.unwind;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kdive.dwarf.CallFrames;
import kdive.dwarf.FrameRow;
import kdive.elf.Section;
import kdive.elf.orc.OrcEntry;
import kdive.elf.orc.OrcTable;
import kdive.elf.orc.OrcVersion;
import kdive.io.KdiveException;
import kdive.kernel.Obj;
import kdive.kernel.Program;
import kdive.kernel.SymbolHit;
import kdive.kernel.helpers.Modules;

/**
 * Where the unwind rules of a kernel PC come from: the vmlinux's ORC table and {@code .debug_frame}
 * (link-time addresses: the KASLR offset is taken off), and each loaded module's ORC table as the
 * module loader left it in memory ({@code mod->arch.orc_unwind_ip}/{@code orc_unwind}/{@code num_orcs},
 * relocated and sorted by unwind_module_init()). Each is read once, on first use.
 */
final class KernelRules {
    /** A module's table cannot be bigger than its text; this bounds a corrupt num_orcs. */
    private static final long MAX_MODULE_ORCS = 1 << 22;

    private final Program prog;
    private volatile Optional<OrcTable> kernelOrc;
    private volatile CallFrames cfi;
    private volatile Modules.ModuleList modules;
    private final ConcurrentHashMap<Long, Optional<OrcTable>> moduleOrc = new ConcurrentHashMap<>();

    KernelRules(Program prog) {
        this.prog = prog;
    }

    private Optional<OrcTable> kernelOrc() {
        Optional<OrcTable> t = kernelOrc;
        if (t == null) {
            // A dump without vmcoreinfo still holds the release in init_uts_ns.
            String release = prog.dump().vmcoreInfo().map(v -> v.osRelease()).orElseGet(
                    () -> prog.object("init_uts_ns").member("name.release").asString(65));
            t = OrcTable.of(prog.vmlinux(), OrcVersion.fromRelease(release));
            kernelOrc = t;
        }
        return t;
    }

    private CallFrames cfi() {
        CallFrames c = cfi;
        if (c == null) {
            c = CallFrames.of(prog.vmlinux(), CallFrames.DEBUG_FRAME);
            cfi = c;
        }
        return c;
    }

    Modules.ModuleList modules() {
        Modules.ModuleList m = modules;
        if (m == null) {
            m = Modules.list(prog);
            modules = m;
        }
        return m;
    }

    /** The vmlinux link-time address of a runtime one in the kernel image, or empty. */
    private Optional<Long> linkedText(long pc) {
        long linked = pc - prog.kaslrOffset();
        return prog.vmlinux().sectionContaining(linked).filter(Section::isExecutable).map(s -> linked);
    }

    boolean isText(long pc) {
        return linkedText(pc).isPresent() || module(pc).isPresent();
    }

    private Optional<Modules.Module> module(long pc) {
        if (pc >= 0) {
            return Optional.empty(); // user space or the lower half: no module there
        }
        for (Modules.Module m : modules().modules()) {
            if (m.contains(pc)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    Optional<OrcEntry> orc(long pc) {
        Optional<Long> linked = linkedText(pc);
        if (linked.isPresent()) {
            return kernelOrc().flatMap(t -> t.find(linked.get()));
        }
        return module(pc).flatMap(m -> moduleOrc.computeIfAbsent(m.address(), a -> readModuleOrc(m)))
                .flatMap(t -> t.find(pc));
    }

    Optional<FrameRow> cfi(long pc) {
        return linkedText(pc).flatMap(l -> cfi().at(l));
    }

    Optional<SymbolHit> symbolize(long pc) {
        Optional<SymbolHit> s = prog.symbolize(pc);
        return s.isPresent() ? s : modules().symbolize(pc);
    }

    private Optional<OrcTable> readModuleOrc(Modules.Module m) {
        try {
            Obj arch = prog.object("struct module", m.address()).member("arch");
            if (!arch.hasMember("num_orcs")) {
                return Optional.empty(); // a kernel built without CONFIG_UNWINDER_ORC
            }
            long n = arch.member("num_orcs").asLong();
            if (n <= 0 || n > MAX_MODULE_ORCS) {
                return Optional.empty();
            }
            long ips = arch.member("orc_unwind_ip").asLong();
            long entries = arch.member("orc_unwind").asLong();
            byte[] ipBytes = prog.read(ips, Math.toIntExact(n * 4));
            byte[] entryBytes = prog.read(entries, Math.toIntExact(n * 6));
            OrcVersion v = kernelOrc().map(OrcTable::version).orElse(OrcVersion.V1);
            return Optional.of(OrcTable.of(m.name(), MemorySegment.ofArray(ipBytes), ips, MemorySegment.ofArray(entryBytes),
                    v, entries));
        } catch (KdiveException e) {
            return Optional.empty(); // unreadable module metadata: its frames fall back to CFI-less frame pointers
        }
    }
}
