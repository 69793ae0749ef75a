package kdive.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A command that answers one expression or type name over a dump (p, whatis): EXPR, then the dump, as crash users type them. */
abstract class ExpressionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VmlinuxOptions where;

    @Parameters(index = "0", paramLabel = "EXPR", description = "A C expression or type name (quote it for the shell).")
    String expression;

    @Parameters(index = "1", paramLabel = "VMCORE", description = "ELF vmcore, kdump compressed or flattened dump.")
    String vmcore;

    @Override
    public final Integer call() {
        try (KernelArgs k = KernelArgs.open(vmcore, where.vmlinux, where.debugDirs, spec.name(), spec.commandLine().getErr())) {
            answer(k, spec.commandLine().getOut());
        }
        return Main.EXIT_FOUND;
    }

    abstract void answer(KernelArgs k, PrintWriter out);
}
