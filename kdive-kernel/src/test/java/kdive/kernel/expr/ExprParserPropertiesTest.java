package kdive.kernel.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import kdive.io.UsageException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any expression tree written as C parses back to a tree that writes the same text (precedence,
 * associativity and the parenthesization agree), and no input string, however broken, ends in
 * anything but a parsed tree or one {@link UsageException}.
 */
class ExprParserPropertiesTest {

    @Property(tries = 2000)
    void writtenTreesParseBack(@ForAll("trees") Expr e) {
        String text = CSyntax.print(e);
        Expr back = ExprParser.parse(text, ExprParserTest.KERNEL_TYPEDEFS);
        assertThat(CSyntax.print(back)).isEqualTo(text);
    }

    @Property(tries = 3000)
    void anyTextParsesOrFailsInOneLine(@ForAll("noise") String text) {
        Throwable t = catchThrowable(() -> ExprParser.parse(text, ExprParserTest.KERNEL_TYPEDEFS));
        if (t != null) {
            assertThat(t).isInstanceOf(UsageException.class);
            assertThat(t.getMessage()).startsWith("column ").doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("abx_0123456789()[]*&-+!~<>=|^%/?:.,' \"uUlLs").ofMaxLength(40)
                .injectDuplicates(0.05);
    }

    @Provide
    Arbitrary<Expr> trees() {
        return tree(4);
    }

    private Arbitrary<Expr> tree(int depth) {
        Arbitrary<Expr> leaf = Arbitraries.oneOf(
                Arbitraries.of("jiffies", "sk", "p", "init_task", "x").map(n -> new Expr.Name(n, 1)),
                Arbitraries.longs().between(0, 1L << 40).map(v -> new Expr.IntLiteral(v, false, 0, 1)),
                Arbitraries.longs().map(v -> new Expr.IntLiteral(v, true, 1, 1)));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Expr> sub = Arbitraries.lazy(() -> tree(depth - 1));
        Arbitrary<TypeName> type = Arbitraries.of(
                new TypeName("struct sock", 1, List.of()), new TypeName("u64"), new TypeName("unsigned long"),
                new TypeName("char", 0, List.of(16L)), new TypeName("struct list_head", 2, List.of()));
        return Arbitraries.oneOf(leaf,
                sub.flatMap(b -> Arbitraries.of("next", "prev", "pid").flatMap(m -> Arbitraries.of(true, false)
                        .map(arrow -> (Expr) new Expr.Member(b, m, arrow, 1)))),
                sub.flatMap(b -> sub.map(i -> (Expr) new Expr.Index(b, i, 1))),
                sub.flatMap(o -> Arbitraries.of(Expr.UnaryOp.class).map(op -> (Expr) new Expr.Unary(op, o, 1))),
                sub.flatMap(l -> sub.flatMap(r -> Arbitraries.of(Expr.BinaryOp.class).map(op -> (Expr) new Expr.Binary(op, l, r, 1)))),
                sub.flatMap(c -> sub.flatMap(a -> sub.map(b -> (Expr) new Expr.Conditional(c, a, b, 1)))),
                sub.flatMap(o -> type.map(t -> (Expr) new Expr.Cast(t, o, 1))),
                type.map(t -> (Expr) new Expr.SizeofType(t, 1)),
                sub.flatMap(p -> type.map(t -> (Expr) new Expr.ContainerOf(p, t, List.of("tasks", "next"), 1))),
                sub.flatMap(v -> sub.map(c -> (Expr) new Expr.PerCpu(v, c, 1))));
    }
}
