package kdive.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kdive.dump.DumpFile;
import kdive.elf.ElfFile;
import kdive.io.UsageException;
import kdive.kernel.Program;

/**
 * A dump opened as a {@link Program}, alone or with its vmlinux, for every dump command (rd, vtop,
 * log, info's check, sys, ps, mod, sym); closes the program, the vmlinux and the dump.
 */
final class KernelArgs implements AutoCloseable {
    final DumpFile dump;
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
        Path p;
        try {
            p = DumpArgs.requireVmlinux(dump, vmlinux, debugDirs,
                    command + " needs the kernel's debug vmlinux (--vmlinux FILE)", err);
        } catch (RuntimeException e) {
            dump.close();
            throw e;
        }
        return of(dump, Optional.of(p));
    }

    /** {@code dump} (now owned: closed with the rest, or on failure) as a program, with {@code vmlinux} when given. */
    static KernelArgs of(DumpFile dump, Optional<Path> vmlinux) {
        ElfFile elf = null;
        try {
            if (vmlinux.isPresent()) {
                elf = ElfFile.open(kdive.io.InputFiles.require(vmlinux.get(), "vmlinux"));
            }
            return new KernelArgs(dump, elf, Program.of(dump, Optional.ofNullable(elf)));
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
            if (elf != null) {
                elf.close();
            }
        } finally {
            dump.close();
        }
    }
}
