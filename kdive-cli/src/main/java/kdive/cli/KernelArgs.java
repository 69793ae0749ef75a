package kdive.cli;

import kdive.dump.DumpFile;
import kdive.elf.ElfFile;
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

    static KernelArgs open(String dumpPath, String vmlinux) {
        DumpFile dump = DumpArgs.open(dumpPath);
        ElfFile elf = null;
        try {
            elf = ElfFile.open(DumpArgs.vmlinux(dump, vmlinux));
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
