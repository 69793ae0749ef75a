package kdive.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import kdive.dump.DumpFile;
import kdive.dump.ElfCore;
import kdive.dump.FlattenedDump;
import kdive.dump.KernelLocation;
import kdive.elf.ElfFile;
import kdive.dump.KdumpCompressed;
import kdive.dump.PageStats;
import kdive.dump.VmcoreInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Describe a crash dump: format, page encoding, excluded-page counts, vmcoreinfo.",
                "Exit status: 0 ok, 2 usage error or unreadable dump."})
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Option(names = "--vmcoreinfo", description = "Also print the whole vmcoreinfo text.")
    boolean all;

    @Option(names = "--vmlinux", paramLabel = "FILE",
            description = "Check that this vmlinux is the dump's kernel, and find the KASLR offset from it when the dump has no vmcoreinfo. Default: the one found by the dump's release and build-id beside the dump, in /usr/lib/debug, /boot, /lib/modules, or from the debuginfod servers of DEBUGINFOD_URLS.")
    String vmlinux;

    @Option(names = "--debug-dir", paramLabel = "DIR",
            description = "Also look for the vmlinux here: a vmlinux* file in DIR, or DIR laid out like /usr/lib/debug (repeatable).")
    List<java.nio.file.Path> debugDirs = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "VMCORE", description = "ELF vmcore, kdump compressed or flattened dump.")
    String vmcore;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (DumpFile dump = DumpArgs.open(vmcore)) {
            var rows = rows(dump);
            // crash says "may be truncated or incomplete"; this says how much is gone, on stderr too.
            dump.truncation().ifPresent(t -> {
                rows.add(3, new String[] {"WARNING", t.describe()});
                spec.commandLine().getErr().println("kdive info: WARNING: " + dump.name() + ": " + t.describe());
            });
            // Without --vmlinux, the one found by release/build-id (or from DEBUGINFOD_URLS) is checked too.
            DumpArgs.vmlinux(dump, vmlinux, debugDirs, spec.commandLine().getErr())
                    .ifPresent(v -> rows.addAll(kernel(dump, v.toString())));
            if (json) {
                out.println(rows.stream().map(r -> DumpArgs.json(r[0]) + ":" + DumpArgs.json(r[1]))
                        .collect(Collectors.joining(",", "{", "}")));
            } else {
                rows.forEach(r -> out.printf("%16s: %s%n", r[0], r[1]));
                if (all) {
                    dump.vmcoreInfo().ifPresent(v -> out.print("\n" + v.raw()));
                }
            }
        }
        return Main.EXIT_FOUND;
    }

    private static List<String[]> rows(DumpFile dump) {
        var rows = new ArrayList<String[]>();
        rows.add(new String[] {"DUMPFILE", dump.name()});
        rows.add(new String[] {"FORMAT", dump.describe()});
        DumpFile inner = dump instanceof FlattenedDump f ? f.inner() : dump;
        switch (inner) {
            case KdumpCompressed k -> {
                List<String> uts = k.utsname();
                rows.add(new String[] {"HEADER", "version %d, %d CPUs, release %s, nodename %s"
                        .formatted(k.headerVersion(), k.nrCpus(), orEmpty(uts.get(2)), orEmpty(uts.get(1)))});
                Map<?, Long> counts = k.compressionCounts();
                rows.add(new String[] {"PAGE ENCODING", counts.entrySet().stream()
                        .map(e -> e.getKey().toString().toLowerCase() + " " + e.getValue())
                        .collect(Collectors.joining(", "))});
                if (k.incomplete()) {
                    rows.add(new String[] {"WARNING", "the dump is incomplete or truncated"});
                }
            }
            case ElfCore e -> rows.add(new String[] {"SEGMENTS", e.programHeaders().size() + " program headers"});
            case FlattenedDump f -> rows.add(new String[] {"FLATTENED", "nested flattened dump"});
        }
        if (dump instanceof FlattenedDump f) {
            rows.add(new String[] {"RECORDS", f.extents() + " extents" + (f.truncated() ? ", truncated" : "")});
        }
        PageStats s = dump.pageStats();
        rows.add(new String[] {"PAGES", "%d dumped of %d RAM pages, %d excluded (%.1f%%)%s".formatted(
                s.dumped(), s.ram(), s.excluded(), s.ram() == 0 ? 0.0 : 100.0 * s.excluded() / s.ram(),
                s.dumpLevel() >= 0 ? ", dump level " + s.dumpLevel() : "")});
        rows.add(new String[] {"MAX PFN", "0x%x".formatted(s.maxPfn())});
        rows.add(new String[] {"NOTES", dump.notes().stream().map(n -> n.name() + "/" + n.type())
                .collect(Collectors.groupingBy(x -> x, java.util.LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "))});
        dump.vmcoreInfo().ifPresentOrElse(v -> vmcoreinfo(v, rows),
                () -> rows.add(new String[] {"VMCOREINFO", "absent"}));
        return rows;
    }

    /** QEMU leaves the header's utsname empty. */
    private static String orEmpty(String s) {
        return s.isEmpty() ? "(empty)" : s;
    }

    /** KASLR location and vmlinux match, with how they were found. */
    private static List<String[]> kernel(DumpFile dump, String path) {
        kdive.io.InputFiles.require(java.nio.file.Path.of(path), "vmlinux");
        try (ElfFile elf = ElfFile.open(java.nio.file.Path.of(path));
             kdive.kernel.Program prog = kdive.kernel.Program.of(dump, elf)) {
            KernelLocation where = prog.location();
            return List.of(new String[] {"VMLINUX", path + " (matches)"},
                    new String[] {"KASLR", "offset 0x%x, phys_base 0x%016x, page tables at 0x%x (%s)".formatted(
                            where.kernelOffset(), where.physBase(), where.pageTableRoot(), where.source())});
        }
    }

    private static void vmcoreinfo(VmcoreInfo v, List<String[]> rows) {
        rows.add(new String[] {"RELEASE", v.find("OSRELEASE").orElse("?")});
        v.buildId().ifPresent(b -> rows.add(new String[] {"BUILD-ID", b}));
        rows.add(new String[] {"KERNELOFFSET", "0x%x".formatted(v.kernelOffset())});
        v.physBase().ifPresent(p -> rows.add(new String[] {"PHYS_BASE", "0x%016x".formatted(p)}));
        rows.add(new String[] {"PAGING", v.pgtableL5Enabled() ? "5-level" : "4-level"});
        v.findSymbol("init_top_pgt").ifPresent(p -> rows.add(new String[] {"INIT_TOP_PGT", "0x%016x".formatted(p)}));
        v.find("CRASHTIME").ifPresent(t -> rows.add(new String[] {"CRASHTIME", t}));
        rows.add(new String[] {"VMCOREINFO", v.entries().size() + " entries"});
    }
}
