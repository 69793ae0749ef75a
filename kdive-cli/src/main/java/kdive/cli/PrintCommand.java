package kdive.cli;

import java.io.PrintWriter;
import kdive.io.FaultException;
import kdive.io.LookupException;
import kdive.kernel.Obj;
import kdive.kernel.commands.ValueFormat;
import kdive.kernel.expr.CSyntax;
import kdive.kernel.expr.Evaluator;
import kdive.kernel.expr.Expr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "p", aliases = "print", mixinStandardHelpOptions = true,
        description = {"Evaluates a C expression over the crashed kernel, like crash's p: variables, ->, ., *, &, [i],",
                "casts ((struct sock *)0xffff...), arithmetic and comparisons, sizeof, offsetof,",
                "container_of(ptr, type, member), per_cpu(var, cpu). Structs print as gdb prints them under crash.",
                "Exit status: 0 ok, 2 usage error, syntax error, unknown name or unreadable memory."})
final class PrintCommand extends ExpressionCommand {
    @Option(names = "-x", description = "Integers in hexadecimal.")
    boolean hex;

    @Option(names = "-d", description = "Integers in decimal (the default).")
    boolean decimal;

    @Override
    void answer(KernelArgs k, PrintWriter out) {
        var eval = new Evaluator(k.program);
        Expr e = eval.parse(expression);
        Obj o = eval.evaluate(e);
        if (o.kind() == Obj.Kind.REFERENCE && o.type().size() > 0) {
            try {
                k.program.read(o.address(), 1); // an object that is not there is an error, not a struct of errors
            } catch (FaultException f) {
                throw new LookupException("column %d: %s: %s".formatted(e.column(), CSyntax.print(e), f.getMessage()));
            }
        }
        var format = new ValueFormat(hex && !decimal, a -> k.program.symbolize(a).map(s -> s.nameAndOffset()).orElse(null));
        // crash names a lone variable before its value: "jiffies = $1 = 4294892296".
        String label = e instanceof Expr.Name n ? n.name() + " = $1 = " : "$1 = ";
        out.println(label + format.top(o));
    }
}
