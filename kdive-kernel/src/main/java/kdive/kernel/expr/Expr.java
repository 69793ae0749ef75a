package kdive.kernel.expr;

import java.util.List;
import java.util.Objects;

/**
 * A C expression as crash's {@code p} and drgn's {@code Object} operators take it: the syntax
 * only. What a name means (variable, enum constant, typedef) is for the evaluator over a
 * program. Every node keeps the column (1-based) where it starts, so an evaluation error can
 * point at the sub-expression that failed.
 */
public sealed interface Expr {
    int column();

    /** A variable or enum constant name. */
    record Name(String name, int column) implements Expr {
        public Name { Objects.requireNonNull(name); }
    }

    /** An integer constant; {@code unsigned}/{@code longs} record its suffix (C's type of the literal). */
    record IntLiteral(long value, boolean unsigned, int longs, int column) implements Expr {}

    /** A character constant ('a', '\n'): an int in C. */
    record CharLiteral(char value, int column) implements Expr {}

    /** {@code base.name} or, with {@code arrow}, {@code base->name}. */
    record Member(Expr base, String name, boolean arrow, int column) implements Expr {
        public Member { Objects.requireNonNull(base); Objects.requireNonNull(name); }
    }

    /** {@code base[index]}. */
    record Index(Expr base, Expr index, int column) implements Expr {}

    /** A prefix operator: {@code - + ! ~ * &}. */
    record Unary(UnaryOp op, Expr operand, int column) implements Expr {}

    /** A binary operator, including {@code &&} and {@code ||} (evaluated lazily by the evaluator). */
    record Binary(BinaryOp op, Expr left, Expr right, int column) implements Expr {}

    /** {@code cond ? then : otherwise}. */
    record Conditional(Expr condition, Expr then, Expr otherwise, int column) implements Expr {}

    /** {@code (type) operand}. */
    record Cast(TypeName type, Expr operand, int column) implements Expr {}

    /** {@code sizeof(type)}. */
    record SizeofType(TypeName type, int column) implements Expr {}

    /** {@code sizeof expr} or {@code sizeof(expr)}. */
    record SizeofExpr(Expr operand, int column) implements Expr {}

    /** {@code offsetof(type, a.b[2].c)}: the member designator as written, split at {@code .}. */
    record Offsetof(TypeName type, List<String> members, int column) implements Expr {
        public Offsetof { members = List.copyOf(members); }
    }

    /** The kernel's {@code container_of(ptr, type, member)}. */
    record ContainerOf(Expr pointer, TypeName type, List<String> members, int column) implements Expr {
        public ContainerOf { members = List.copyOf(members); }
    }

    /** The kernel's {@code per_cpu(var, cpu)}: the CPU's copy of a per-CPU variable. */
    record PerCpu(Expr variable, Expr cpu, int column) implements Expr {}

    enum UnaryOp {
        NEGATE("-"), PLUS("+"), NOT("!"), COMPLEMENT("~"), DEREF("*"), ADDRESS_OF("&");

        private final String symbol;

        UnaryOp(String symbol) { this.symbol = symbol; }

        public String symbol() { return symbol; }
    }

    /** C's binary operators with their precedence (higher binds tighter; all left-associative). */
    enum BinaryOp {
        MUL("*", 10), DIV("/", 10), MOD("%", 10),
        ADD("+", 9), SUB("-", 9),
        SHL("<<", 8), SHR(">>", 8),
        LT("<", 7), LE("<=", 7), GT(">", 7), GE(">=", 7),
        EQ("==", 6), NE("!=", 6),
        AND("&", 5), XOR("^", 4), OR("|", 3),
        LOGICAL_AND("&&", 2), LOGICAL_OR("||", 1);

        private final String symbol;
        private final int precedence;

        BinaryOp(String symbol, int precedence) {
            this.symbol = symbol;
            this.precedence = precedence;
        }

        public String symbol() { return symbol; }

        public int precedence() { return precedence; }

        static BinaryOp of(String symbol) {
            for (BinaryOp op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            return null;
        }
    }
}
