package kdive.cli;

import java.io.PrintWriter;
import kdive.kernel.expr.Evaluator;
import kdive.kernel.expr.Expr;
import kdive.kernel.expr.ExprParser;
import picocli.CommandLine.Command;

@Command(name = "whatis", mixinStandardHelpOptions = true,
        description = {"The type of a variable or C expression, or the type a type name stands for, as gdb's",
                "whatis prints it: 'struct task_struct init_task;', 'type = struct list_head *'.",
                "Exit status: 0 ok, 2 usage error, syntax error or unknown name."})
final class WhatisCommand extends ExpressionCommand {
    @Override
    void answer(KernelArgs k, PrintWriter out) {
        var eval = new Evaluator(k.program);
        if (ExprParser.looksLikeType(expression, eval::isTypeName)) {
            out.println("type = " + eval.type(ExprParser.parseType(expression, eval::isTypeName)).name());
        } else {
            Expr e = eval.parse(expression);
            var type = eval.evaluate(e).type();
            out.println(e instanceof Expr.Name n ? type.declare(n.name()) + ";" : "type = " + type.name());
        }
    }
}
