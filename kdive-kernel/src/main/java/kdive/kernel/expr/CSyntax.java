package kdive.kernel.expr;

/**
 * An expression written back as C, with only the parentheses its precedence needs: how errors
 * name the sub-expression that failed ("sk->sk_write_queue.prev: ...") and how results are
 * labelled.
 */
public final class CSyntax {
    /** Postfix binds tightest, then prefix and casts, then the binary levels, then ?:. */
    private static final int POSTFIX = 13;
    private static final int PREFIX = 12;
    private static final int CONDITIONAL = 0;

    private CSyntax() {}

    public static String print(Expr e) {
        var s = new StringBuilder();
        write(s, e);
        return s.toString();
    }

    private static int level(Expr e) {
        return switch (e) {
            case Expr.Binary b -> b.op().precedence();
            case Expr.Conditional c -> CONDITIONAL;
            case Expr.Unary u -> PREFIX;
            case Expr.Cast c -> PREFIX;
            case Expr.SizeofExpr z -> PREFIX;
            case Expr.SizeofType z -> PREFIX;
            default -> POSTFIX;
        };
    }

    private static void operand(StringBuilder s, Expr e, int atLeast) {
        if (level(e) < atLeast) {
            s.append('(');
            write(s, e);
            s.append(')');
        } else {
            write(s, e);
        }
    }

    private static void write(StringBuilder s, Expr e) {
        switch (e) {
            case Expr.Name n -> s.append(n.name());
            case Expr.IntLiteral i -> {
                s.append(i.value() < 0 ? "0x" + Long.toHexString(i.value()) : Long.toString(i.value()));
                s.append(i.unsigned() ? "U" : "").append("L".repeat(i.longs()));
            }
            case Expr.CharLiteral c -> s.append(charLiteral(c.value()));
            case Expr.Member m -> {
                operand(s, m.base(), POSTFIX);
                s.append(m.arrow() ? "->" : ".").append(m.name());
            }
            case Expr.Index x -> {
                operand(s, x.base(), POSTFIX);
                s.append('[');
                write(s, x.index());
                s.append(']');
            }
            case Expr.Unary u -> {
                s.append(u.op().symbol());
                // "- -x" and "& &x" must not fuse into "--x" / "&&x".
                if (u.operand() instanceof Expr.Unary inner && inner.op().symbol().equals(u.op().symbol())
                        || u.operand() instanceof Expr.IntLiteral && u.op() == Expr.UnaryOp.NEGATE) {
                    s.append(' ');
                }
                operand(s, u.operand(), PREFIX);
            }
            case Expr.Binary b -> {
                operand(s, b.left(), b.op().precedence());
                s.append(' ').append(b.op().symbol()).append(' ');
                operand(s, b.right(), b.op().precedence() + 1);
            }
            case Expr.Conditional c -> {
                operand(s, c.condition(), 1);
                s.append(" ? ");
                write(s, c.then());
                s.append(" : ");
                write(s, c.otherwise());
            }
            case Expr.Cast c -> {
                s.append('(').append(c.type()).append(')');
                operand(s, c.operand(), PREFIX);
            }
            case Expr.SizeofType z -> s.append("sizeof(").append(z.type()).append(')');
            case Expr.SizeofExpr z -> {
                s.append("sizeof ");
                operand(s, z.operand(), PREFIX);
            }
            case Expr.Offsetof o -> s.append("offsetof(").append(o.type()).append(", ")
                    .append(String.join(".", o.members())).append(')');
            case Expr.ContainerOf c -> {
                s.append("container_of(");
                write(s, c.pointer());
                s.append(", ").append(c.type()).append(", ").append(String.join(".", c.members())).append(')');
            }
            case Expr.PerCpu p -> {
                s.append("per_cpu(");
                write(s, p.variable());
                s.append(", ");
                write(s, p.cpu());
                s.append(')');
            }
        }
    }

    private static String charLiteral(char c) {
        return switch (c) {
            case '\n' -> "'\\n'";
            case '\t' -> "'\\t'";
            case '\r' -> "'\\r'";
            case '\0' -> "'\\0'";
            case '\\' -> "'\\\\'";
            case '\'' -> "'\\''";
            default -> "'" + c + "'";
        };
    }
}
