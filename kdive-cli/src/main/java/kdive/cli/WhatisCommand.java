package kdive.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import kdive.kernel.expr.Evaluator;
import kdive.kernel.expr.Expr;
import kdive.kernel.expr.ExprParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "whatis", mixinStandardHelpOptions = true,
        description = {"The type of a variable or C expression, or the definition a type name stands for, as gdb's",
                "whatis prints it: 'struct task_struct init_task;', 'type = struct list_head *'.",
                "Exit status: 0 ok, 2 usage error, syntax error or unknown name."})
final class WhatisCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VmlinuxOptions where;

    @Parameters(index = "0", paramLabel = "EXPR|TYPE", description = "A variable, an expression or a type name.")
    String what;

    @Parameters(index = "1", paramLabel = "VMCORE", description = "ELF vmcore, kdump compressed or flattened dump.")
    String vmcore;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try (KernelArgs k = KernelArgs.open(vmcore, where.vmlinux, where.debugDirs, "whatis", err)) {
            var eval = new Evaluator(k.program);
            PrintWriter out = spec.commandLine().getOut();
            if (ExprParser.looksLikeType(what, name -> !k.program.hasObject(name) && k.program.findType(name).isPresent())) {
                out.println("type = " + eval.type(ExprParser.parseType(what,
                        name -> !k.program.hasObject(name) && k.program.findType(name).isPresent())).name());
            } else {
                Expr e = eval.parse(what);
                var type = eval.evaluate(e).type();
                out.println(e instanceof Expr.Name n ? type.declare(n.name()) + ";" : "type = " + type.name());
            }
        }
        return Main.EXIT_FOUND;
    }
}
