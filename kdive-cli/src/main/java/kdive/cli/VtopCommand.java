package kdive.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.nio.file.Path;
import java.util.Optional;
import kdive.dump.DumpFile;
import kdive.dump.X86Paging;
import kdive.kernel.AddressSpace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "vtop", mixinStandardHelpOptions = true,
        description = {"Translate a kernel virtual address through the crashed kernel's page tables and show the walk.",
                "Exit status: 0 mapped, 1 not mapped, 2 usage error or unreadable dump."})
final class VtopCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Option(names = "--vmlinux", paramLabel = "FILE",
            description = "The dump's vmlinux: checked against the dump; needed when the dump has no vmcoreinfo.")
    String vmlinux;

    @Parameters(index = "0", paramLabel = "VADDR", description = "Hexadecimal address or vmcoreinfo symbol.")
    String vaddr;

    @Parameters(index = "1", paramLabel = "VMCORE")
    String vmcore;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DumpFile opened = DumpArgs.open(vmcore);
        try (KernelArgs k = KernelArgs.of(opened, Optional.ofNullable(vmlinux).map(Path::of))) {
            AddressSpace memory = k.program.memory();
            X86Paging.Translation t = memory.translate(DumpArgs.address(vaddr, k.dump));
            if (json) {
                var steps = new StringBuilder();
                for (X86Paging.Step s : t.steps()) {
                    steps.append(steps.isEmpty() ? "" : ",").append("{\"level\":\"%s\",\"entry_paddr\":\"0x%x\",\"entry\":\"0x%x\"}"
                            .formatted(s.level(), s.entryPaddr(), s.entry()));
                }
                out.printf("{\"vaddr\":\"0x%x\",\"paddr\":%s,\"page_size\":%d,\"steps\":[%s],\"fault\":%s}%n",
                        t.vaddr(), t.paddr().map(p -> "\"0x%x\"".formatted(p)).orElse("null"), t.pageSize(), steps,
                        DumpArgs.json(t.fault()));
            } else {
                out.printf("VIRTUAL           PHYSICAL%n%016x  %s%n%n", t.vaddr(),
                        t.paddr().map(p -> "%x".formatted(p)).orElse("(not mapped)"));
                out.printf("PGD DIRECTORY: %016x (%d-level)%n", memory.pageTable().rootPaddr(), memory.pageTable().levels());
                for (X86Paging.Step s : t.steps()) {
                    out.printf("%6s: %016x => %016x%n", s.level(), s.entryPaddr(), s.entry());
                }
                t.paddr().ifPresentOrElse(
                        p -> out.printf("  PAGE: %016x  (%s page)%n", p & -t.pageSize(), size(t.pageSize())),
                        () -> out.printf("  %s%n", t.fault()));
            }
            return t.paddr().isPresent() ? Main.EXIT_FOUND : Main.EXIT_NOTHING;
        }
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? (bytes >> 30) + " GiB" : bytes >= 1L << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
