package kdive.kernel.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import kdive.io.UsageException;

/**
 * C expressions by precedence climbing, as crash's {@code p} and gdb read them, plus the
 * kernel's {@code container_of} and {@code per_cpu}. C's grammar needs to know which names are
 * typedefs ({@code (u64)x} is a cast, {@code (x)*y} a product): the caller answers that with
 * {@code isTypedef}. A syntax error is one {@link UsageException} naming the column.
 */
public final class ExprParser {
    /** Longer input is not an expression a person typed; deeper nesting would only exhaust the stack. */
    static final int MAX_LENGTH = 4096;
    static final int MAX_DEPTH = 200;

    private static final Set<String> BASE_WORDS = Set.of(
            "void", "char", "short", "int", "long", "signed", "unsigned", "float", "double", "_Bool", "bool");
    private static final Set<String> QUALIFIERS = Set.of("const", "volatile", "restrict", "__restrict");
    private static final Set<String> TAGS = Set.of("struct", "union", "enum");

    private final List<Token> tokens;
    private final Predicate<String> isTypedef;
    private int at;
    private int depth;

    private ExprParser(List<Token> tokens, Predicate<String> isTypedef) {
        this.tokens = tokens;
        this.isTypedef = isTypedef;
    }

    /** Parses {@code text}, which must be one whole expression. */
    public static Expr parse(String text, Predicate<String> isTypedef) {
        if (text.length() > MAX_LENGTH) {
            throw new UsageException("expression of %d characters: at most %d".formatted(text.length(), MAX_LENGTH));
        }
        var p = new ExprParser(Lexer.tokens(text), isTypedef);
        Expr e = p.expression();
        p.expectEnd();
        return e;
    }

    /** Parses a type name alone ({@code whatis}, {@code ptype}, {@code struct} take one). */
    public static TypeName parseType(String text, Predicate<String> isTypedef) {
        if (text.length() > MAX_LENGTH) {
            throw new UsageException("type name of %d characters: at most %d".formatted(text.length(), MAX_LENGTH));
        }
        var p = new ExprParser(Lexer.tokens(text), isTypedef);
        if (!p.startsType(p.peek())) {
            throw p.error(p.peek(), "a type name");
        }
        TypeName t = p.typeName();
        p.expectEnd();
        return t;
    }

    /** True when {@code text} starts like a type name (so "ptype X" can choose between a type and an expression). */
    public static boolean looksLikeType(String text, Predicate<String> isTypedef) {
        if (text.length() > MAX_LENGTH) {
            return false;
        }
        List<Token> ts;
        try {
            ts = Lexer.tokens(text);
        } catch (UsageException e) {
            return false;
        }
        return new ExprParser(ts, isTypedef).startsType(ts.getFirst());
    }

    // ---- expressions ----

    private Expr expression() {
        enter();
        try {
            Expr c = binary(1);
            if (peek().is("?")) {
                take();
                Expr then = expression();
                expect(":");
                Expr otherwise = expression();
                return new Expr.Conditional(c, then, otherwise, c.column());
            }
            return c;
        } finally {
            depth--;
        }
    }

    private Expr binary(int minPrecedence) {
        Expr left = unary();
        while (true) {
            Token t = peek();
            Expr.BinaryOp op = t.kind() == Token.Kind.PUNCT ? Expr.BinaryOp.of(t.text()) : null;
            if (op == null || op.precedence() < minPrecedence) {
                return left;
            }
            take();
            Expr right = binary(op.precedence() + 1);
            left = new Expr.Binary(op, left, right, left.column());
        }
    }

    private Expr unary() {
        enter();
        try {
            Token t = peek();
            if (t.kind() == Token.Kind.PUNCT) {
                Expr.UnaryOp op = switch (t.text()) {
                    case "-" -> Expr.UnaryOp.NEGATE;
                    case "+" -> Expr.UnaryOp.PLUS;
                    case "!" -> Expr.UnaryOp.NOT;
                    case "~" -> Expr.UnaryOp.COMPLEMENT;
                    case "*" -> Expr.UnaryOp.DEREF;
                    case "&" -> Expr.UnaryOp.ADDRESS_OF;
                    default -> null;
                };
                if (op != null) {
                    take();
                    return new Expr.Unary(op, unary(), t.column());
                }
                if (t.is("&&")) { // "&&x" in prefix position is two address-of operators
                    take();
                    return new Expr.Unary(Expr.UnaryOp.ADDRESS_OF,
                            new Expr.Unary(Expr.UnaryOp.ADDRESS_OF, unary(), t.column() + 1), t.column());
                }
                if (t.is("(") && startsType(peek(1))) {
                    take();
                    TypeName type = typeName();
                    expect(")");
                    return new Expr.Cast(type, unary(), t.column());
                }
            }
            if (t.kind() == Token.Kind.IDENT && t.text().equals("sizeof")) {
                take();
                if (peek().is("(") && startsType(peek(1))) {
                    take();
                    TypeName type = typeName();
                    expect(")");
                    return new Expr.SizeofType(type, t.column());
                }
                return new Expr.SizeofExpr(unary(), t.column());
            }
            return postfix(primary());
        } finally {
            depth--;
        }
    }

    private Expr postfix(Expr e) {
        while (true) {
            Token t = peek();
            if (t.is("[")) {
                take();
                Expr index = expression();
                expect("]");
                e = new Expr.Index(e, index, e.column());
            } else if (t.is(".") || t.is("->")) {
                take();
                Token name = peek();
                if (name.kind() != Token.Kind.IDENT) {
                    throw error(name, "a member name after '" + t.text() + "'");
                }
                take();
                e = new Expr.Member(e, name.text(), t.is("->"), e.column());
            } else {
                return e;
            }
        }
    }

    private Expr primary() {
        Token t = take();
        return switch (t.kind()) {
            case INT -> intLiteral(t);
            case CHAR -> new Expr.CharLiteral((char) t.value(), t.column());
            case IDENT -> identifier(t);
            case PUNCT -> {
                if (!t.is("(")) {
                    throw error(t, "an expression");
                }
                Expr inner = expression();
                expect(")");
                yield inner;
            }
            case END -> throw error(t, "an expression");
        };
    }

    private static Expr intLiteral(Token t) {
        String s = t.text().toLowerCase(java.util.Locale.ROOT);
        int end = s.length();
        while (end > 0 && "ul".indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        String suffix = s.substring(end);
        int longs = suffix.length() - suffix.replace("l", "").length();
        if (longs > 2 || suffix.length() - longs > 1 || suffix.contains("lul")) {
            throw new UsageException("column %d: invalid integer suffix in '%s'".formatted(t.column(), t.text()));
        }
        return new Expr.IntLiteral(t.value(), suffix.contains("u"), longs, t.column());
    }

    private Expr identifier(Token t) {
        if (peek().is("(")) {
            switch (t.text()) {
                case "offsetof" -> {
                    take();
                    TypeName type = typeArgument();
                    expect(",");
                    List<String> members = designator();
                    expect(")");
                    return new Expr.Offsetof(type, members, t.column());
                }
                case "container_of" -> {
                    take();
                    Expr ptr = expression();
                    expect(",");
                    TypeName type = typeArgument();
                    expect(",");
                    List<String> members = designator();
                    expect(")");
                    return new Expr.ContainerOf(ptr, type, members, t.column());
                }
                case "per_cpu" -> {
                    take();
                    Expr var = expression();
                    expect(",");
                    Expr cpu = expression();
                    expect(")");
                    return new Expr.PerCpu(var, cpu, t.column());
                }
                default -> throw new UsageException("column %d: cannot call %s(): only sizeof, offsetof, container_of and per_cpu take arguments"
                        .formatted(t.column(), t.text()));
            }
        }
        if (TAGS.contains(t.text()) || BASE_WORDS.contains(t.text()) || isTypedef.test(t.text())) {
            throw new UsageException("column %d: '%s' is a type, not a value (a cast is written '(%s ...)expr')"
                    .formatted(t.column(), t.text(), t.text()));
        }
        return new Expr.Name(t.text(), t.column());
    }

    private TypeName typeArgument() {
        if (!startsType(peek())) {
            throw error(peek(), "a type name");
        }
        return typeName();
    }

    /** {@code a.b[2].c}: member names, an array index kept with its member ("b[2]"). */
    private List<String> designator() {
        var out = new ArrayList<String>();
        while (true) {
            Token name = take();
            if (name.kind() != Token.Kind.IDENT) {
                throw error(name, "a member name");
            }
            var part = new StringBuilder(name.text());
            while (peek().is("[")) {
                take();
                Token n = take();
                if (n.kind() != Token.Kind.INT) {
                    throw error(n, "an integer index");
                }
                expect("]");
                part.append('[').append(Long.toUnsignedString(n.value())).append(']');
            }
            out.add(part.toString());
            if (!peek().is(".")) {
                return out;
            }
            take();
        }
    }

    // ---- type names ----

    private boolean startsType(Token t) {
        if (t.kind() != Token.Kind.IDENT) {
            return false;
        }
        String s = t.text();
        return TAGS.contains(s) || BASE_WORDS.contains(s) || QUALIFIERS.contains(s) || isTypedef.test(s);
    }

    private TypeName typeName() {
        skipQualifiers();
        String specifier = specifier();
        skipQualifiers();
        int pointers = 0;
        while (peek().is("*")) {
            take();
            pointers++;
            skipQualifiers();
        }
        var dims = new ArrayList<Long>();
        while (peek().is("[")) {
            take();
            Token n = take();
            if (n.kind() != Token.Kind.INT) {
                throw error(n, "an array length");
            }
            expect("]");
            dims.add(n.value());
        }
        return new TypeName(specifier, pointers, dims);
    }

    private String specifier() {
        Token t = take();
        if (t.kind() != Token.Kind.IDENT) {
            throw error(t, "a type name");
        }
        if (TAGS.contains(t.text())) {
            Token tag = take();
            if (tag.kind() != Token.Kind.IDENT) {
                throw error(tag, "a " + t.text() + " tag");
            }
            return t.text() + " " + tag.text();
        }
        if (BASE_WORDS.contains(t.text())) {
            var words = new ArrayList<String>(List.of(t.text()));
            while (peek().kind() == Token.Kind.IDENT && (BASE_WORDS.contains(peek().text()) || QUALIFIERS.contains(peek().text()))) {
                String w = take().text();
                if (BASE_WORDS.contains(w)) {
                    words.add(w);
                }
            }
            return BaseTypeWords.canonical(words, t.column());
        }
        if (isTypedef.test(t.text())) {
            return t.text();
        }
        throw new UsageException("column %d: unknown type '%s'".formatted(t.column(), t.text()));
    }

    private void skipQualifiers() {
        while (peek().kind() == Token.Kind.IDENT && QUALIFIERS.contains(peek().text())) {
            take();
        }
    }

    // ---- tokens ----

    private Token peek() {
        return tokens.get(at);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(at + ahead, tokens.size() - 1));
    }

    private Token take() {
        Token t = tokens.get(at);
        if (t.kind() != Token.Kind.END) {
            at++;
        }
        return t;
    }

    private void expect(String punct) {
        Token t = take();
        if (!t.is(punct)) {
            throw error(t, "'" + punct + "'");
        }
    }

    private void expectEnd() {
        Token t = peek();
        if (t.kind() != Token.Kind.END) {
            throw error(t, "end of expression");
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new UsageException("column %d: expression nested more than %d deep".formatted(peek().column(), MAX_DEPTH));
        }
    }

    private static UsageException error(Token found, String expected) {
        return new UsageException("column %d: expected %s, found %s".formatted(found.column(), expected, found.shown()));
    }
}
