package kdive.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A command that reads one dump with its vmlinux (sys, ps, mod): the dump and vmlinux arguments,
 * opening both as a program, and the problems met on the way as warnings on stderr after the answer.
 */
abstract class KernelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VmlinuxOptions where;

    @Parameters(index = "0", paramLabel = "VMCORE", description = "ELF vmcore, kdump compressed or flattened dump.")
    String vmcore;

    @Override
    public final Integer call() {
        String name = spec.name();
        PrintWriter err = spec.commandLine().getErr();
        try (KernelArgs k = KernelArgs.open(vmcore, where.vmlinux, where.debugDirs, name, err)) {
            // Said first: on a truncated dump, what follows may be missing for that reason alone.
            k.program.dump().truncation().ifPresent(t -> err.println(
                    "kdive " + name + ": WARNING: " + k.program.dump().name() + ": " + t.describe()));
            List<String> problems = print(k, spec.commandLine().getOut());
            problems.forEach(p -> err.println("kdive " + name + ": WARNING: " + kdive.io.Printable.escape(p)));
            return found(k) ? Main.EXIT_FOUND : Main.EXIT_NOTHING;
        }
    }

    /** Prints the answer; returns what could not be read (a broken list link, an unreadable module). */
    abstract List<String> print(KernelArgs k, PrintWriter out);

    /** Whether the answer holds anything read from the dump (exit 0), not only problems (exit 1). */
    boolean found(KernelArgs k) {
        return true;
    }
}
