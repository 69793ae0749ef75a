package kdive.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kdive.dump.DumpFile;
import kdive.elf.ElfFile;
import kdive.io.UsageException;
import kdive.kernel.Program;

/**
 * A dump opened with its vmlinux as a {@link Program}, for the commands that need the kernel's
 * types (sys, ps, sym); closes all three.
 */
final class KernelArgs implements AutoCloseable {
    private final DumpFile dump;
    private final ElfFile elf;
    final Program program;

    private KernelArgs(DumpFile dump, ElfFile elf, Program program) {
        this.dump = dump;
        this.elf = elf;
        this.program = program;
    }

    /**
     * Opens the dump and its vmlinux: {@code vmlinux} when given, else the one the project's search
     * finds by release and build-id (also in {@code debugDirs}); {@code command} names who needs it.
     */
    static KernelArgs open(String dumpPath, String vmlinux, List<Path> debugDirs, String command, PrintWriter err) {
        DumpFile dump = DumpArgs.open(dumpPath);
        ElfFile elf = null;
        try {
            Path p = DumpArgs.requireVmlinux(dump, vmlinux, debugDirs,
                    command + " needs the kernel's debug vmlinux (--vmlinux FILE)", err);
            elf = ElfFile.open(kdive.io.InputFiles.require(p, "vmlinux"));
            return new KernelArgs(dump, elf, Program.of(dump, elf));
        } catch (RuntimeException e) {
            if (elf != null) {
                elf.close();
            }
            dump.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            program.close();
            elf.close();
        } finally {
            dump.close();
        }
    }
}
