package kdive.kernel.expr;

import kdive.dwarf.Type;
import kdive.io.KdiveException;
import kdive.io.LookupException;
import kdive.kernel.Obj;
import kdive.kernel.Program;
import kdive.kernel.helpers.PerCpu;
import kdive.kernel.types.KType;

/**
 * C expressions evaluated over a program, as crash's {@code p} and drgn's object operators do:
 * names are the program's variables, operators are {@link Obj}'s, casts
 * take any type the debug info names. An error names the sub-expression that failed
 * ("column 12: init_task.tasks.nxt: struct list_head has no member nxt").
 */
public final class Evaluator {
    private final Program prog;

    public Evaluator(Program prog) {
        this.prog = prog;
    }

    /** Parses and evaluates {@code text}. */
    public Obj evaluate(String text) {
        return evaluate(parse(text));
    }

    /** Parses {@code text} with this program's typedefs (a name is a type when no variable has it). */
    public Expr parse(String text) {
        return ExprParser.parse(text, this::isTypeName);
    }

    /** A type named as in a cast ("struct sock *", "u64", "unsigned long"). */
    public KType type(TypeName name) {
        return prog.ktype(name.toString());
    }

    /** True when {@code name} names a typedef or base type and no variable (C's typedef-name rule). */
    public boolean isTypeName(String name) {
        return !prog.hasObject(name) && prog.findType(name).filter(t -> t instanceof Type.Typedef || t instanceof Type.Base).isPresent();
    }

    public Obj evaluate(Expr e) {
        try {
            return sub(e);
        } catch (EvaluationError err) {
            throw new LookupException(err.getMessage());
        }
    }

    /** An evaluation failure, located at the sub-expression it is about (thrown once, never re-wrapped). */
    private static final class EvaluationError extends RuntimeException {
        EvaluationError(Expr at, String why) {
            super("column %d: %s: %s".formatted(at.column(), CSyntax.print(at), why), null, false, false);
        }
    }

    private Obj sub(Expr e) {
        try {
            return eval(e);
        } catch (EvaluationError err) {
            throw err;
        } catch (KdiveException | ArithmeticException ex) {
            throw new EvaluationError(e, ex.getMessage());
        }
    }

    private Obj eval(Expr e) {
        return switch (e) {
            case Expr.Name n -> name(n.name());
            case Expr.IntLiteral i -> Obj.value(prog, literalType(i), i.value());
            case Expr.CharLiteral c -> Obj.value(prog, KType.Int.INT, c.value());
            case Expr.Member m -> m.arrow() ? sub(m.base()).arrow(m.name()) : sub(m.base()).member(m.name());
            case Expr.Index x -> sub(x.base()).index(sub(x.index()).asLong());
            case Expr.Unary u -> unary(u);
            case Expr.Binary b -> binary(b);
            case Expr.Conditional c -> sub(c.condition()).asBoolean() ? sub(c.then()) : sub(c.otherwise());
            case Expr.Cast c -> sub(c.operand()).cast(type(c.type()));
            case Expr.SizeofType z -> sizeValue(type(z.type()));
            case Expr.SizeofExpr z -> sizeValue(sub(z.operand()).type());
            case Expr.Offsetof o -> Obj.value(prog, KType.Int.UNSIGNED_LONG, offsetOf(type(o.type()), o.members()));
            case Expr.ContainerOf c -> {
                KType container = type(c.type());
                Obj ptr = sub(c.pointer());
                long at = (ptr.isPointer() ? ptr.asLong() : ptr.address()) - offsetOf(container, c.members());
                yield Obj.value(prog, container.pointer(), at);
            }
            case Expr.PerCpu p -> {
                if (!(p.variable() instanceof Expr.Name n)) {
                    throw new EvaluationError(p.variable(), "per_cpu() takes a per-CPU variable's name");
                }
                yield PerCpu.object(prog, n.name(), (int) sub(p.cpu()).asLong());
            }
        };
    }

    private Obj name(String name) {
        if (prog.hasObject(name)) {
            return prog.object(name);
        }
        throw new LookupException("no variable named " + name);
    }

    private Obj unary(Expr.Unary u) {
        Obj o = sub(u.operand());
        return switch (u.op()) {
            case NEGATE -> o.neg();
            case PLUS -> o.add(0);
            case NOT -> Obj.value(prog, KType.Int.INT, o.asBoolean() ? 0 : 1);
            case COMPLEMENT -> o.not();
            case DEREF -> o.deref();
            case ADDRESS_OF -> o.addressOf();
        };
    }

    private Obj binary(Expr.Binary b) {
        if (b.op() == Expr.BinaryOp.LOGICAL_AND) {
            return truth(sub(b.left()).asBoolean() && sub(b.right()).asBoolean());
        }
        if (b.op() == Expr.BinaryOp.LOGICAL_OR) {
            return truth(sub(b.left()).asBoolean() || sub(b.right()).asBoolean());
        }
        Obj l = sub(b.left());
        Obj r = sub(b.right());
        return switch (b.op()) {
            case MUL -> l.mul(r);
            case DIV -> l.div(r);
            case MOD -> l.mod(r);
            case ADD -> l.add(r);
            case SUB -> l.sub(r);
            case SHL -> l.shl(r);
            case SHR -> l.shr(r);
            case LT -> truth(l.compareTo(r) < 0);
            case LE -> truth(l.compareTo(r) <= 0);
            case GT -> truth(l.compareTo(r) > 0);
            case GE -> truth(l.compareTo(r) >= 0);
            case EQ -> truth(l.equalTo(r));
            case NE -> truth(!l.equalTo(r));
            case AND -> l.and(r);
            case XOR -> l.xor(r);
            case OR -> l.or(r);
            case LOGICAL_AND, LOGICAL_OR -> throw new IllegalStateException("handled above");
        };
    }

    private Obj truth(boolean b) {
        return Obj.value(prog, KType.Int.INT, b ? 1 : 0);
    }

    private Obj sizeValue(KType t) {
        long size = t.size();
        if (size < 0) {
            throw new LookupException("%s has no size".formatted(t.name()));
        }
        return Obj.value(prog, KType.Int.UNSIGNED_LONG, size);
    }

    /**
     * offsetof through a member designator ("a.b[2].c"): the designated object of a reference at
     * address 0 lies at the offset itself, and a reference reads nothing until asked for a value.
     */
    private long offsetOf(KType type, java.util.List<String> members) {
        Obj o = Obj.reference(prog, type, 0);
        for (String part : members) {
            int bracket = part.indexOf('[');
            o = o.member(bracket < 0 ? part : part.substring(0, bracket));
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                o = o.index(Long.parseLong(part.substring(bracket + 1, close)));
                bracket = part.indexOf('[', close);
            }
        }
        if (o.bitSize() != 0) {
            throw new LookupException("offsetof a bitfield");
        }
        return o.address();
    }

    /** C's type of an integer constant (C11 6.4.4.1): the first of int, long that holds it, unsigned when asked or needed. */
    private static KType literalType(Expr.IntLiteral i) {
        long v = i.value();
        if (i.longs() == 0 && !i.unsigned() && v >= 0 && v <= Integer.MAX_VALUE) {
            return KType.Int.INT;
        }
        if (i.longs() == 0 && i.unsigned() && v >= 0 && v <= 0xffffffffL) {
            return KType.Int.UNSIGNED_INT;
        }
        if (!i.unsigned() && v >= 0) {
            return KType.Int.LONG;
        }
        return KType.Int.UNSIGNED_LONG;
    }
}
