package kdive.kernel.expr;

import java.util.ArrayList;
import java.util.List;
import kdive.io.UsageException;

/** Splits a C expression into tokens; integer constants are read here (with C's suffixes). */
final class Lexer {
    /** Longest first, so "->" wins over "-" and "<<" over "<". */
    private static final String[] PUNCTUATORS = {
        "->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
        "+", "-", "*", "/", "%", "<", ">", "&", "^", "|", "!", "~", "?", ":", ".", ",", "(", ")", "[", "]",
    };

    private final String text;
    private int pos;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) {
        return new Lexer(text).all();
    }

    private List<Token> all() {
        var out = new ArrayList<Token>();
        while (true) {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            if (pos >= text.length()) {
                out.add(new Token(Token.Kind.END, "", 0, pos + 1));
                return out;
            }
            out.add(next());
        }
    }

    private Token next() {
        int start = pos;
        char c = text.charAt(pos);
        if (Character.isLetter(c) || c == '_' || c == '$') {
            while (pos < text.length() && isIdentPart(text.charAt(pos))) {
                pos++;
            }
            return new Token(Token.Kind.IDENT, text.substring(start, pos), 0, start + 1);
        }
        if (Character.isDigit(c)) {
            return number(start);
        }
        if (c == '\'') {
            return character(start);
        }
        for (String p : PUNCTUATORS) {
            if (text.startsWith(p, pos)) {
                pos += p.length();
                return new Token(Token.Kind.PUNCT, p, 0, start + 1);
            }
        }
        throw error(start, "unexpected character '" + printable(c) + "'");
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** Decimal, 0x hex or 0 octal, then any of C's u/l suffixes; the value must fit 64 bits. */
    private Token number(int start) {
        int radix = 10;
        int digits = pos;
        if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
            radix = 16;
            digits = pos += 2;
        } else if (text.charAt(pos) == '0' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
            radix = 8;
            digits = ++pos;
        }
        while (pos < text.length() && Character.digit(text.charAt(pos), radix) >= 0) {
            pos++;
        }
        String body = text.substring(digits, pos);
        if (body.isEmpty() && radix == 16) {
            throw error(start, "hexadecimal constant without digits");
        }
        while (pos < text.length() && "uUlL".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        if (pos < text.length() && isIdentPart(text.charAt(pos))) {
            throw error(start, "invalid number '" + text.substring(start, identEnd(pos)) + "'");
        }
        long value;
        try {
            value = body.isEmpty() ? 0 : Long.parseUnsignedLong(body, radix);
        } catch (NumberFormatException e) {
            throw error(start, "integer constant '" + text.substring(start, pos) + "' does not fit in 64 bits");
        }
        return new Token(Token.Kind.INT, text.substring(start, pos), value, start + 1);
    }

    private int identEnd(int from) {
        int end = from;
        while (end < text.length() && isIdentPart(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private Token character(int start) {
        pos++;
        if (pos >= text.length()) {
            throw error(start, "unterminated character constant");
        }
        char c = text.charAt(pos++);
        if (c == '\\') {
            if (pos >= text.length()) {
                throw error(start, "unterminated character constant");
            }
            char e = text.charAt(pos++);
            c = switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case '0' -> '\0';
                case '\\', '\'', '"' -> e;
                default -> throw error(start, "unknown escape '\\" + printable(e) + "'");
            };
        }
        if (pos >= text.length() || text.charAt(pos) != '\'') {
            throw error(start, "unterminated character constant");
        }
        pos++;
        return new Token(Token.Kind.CHAR, text.substring(start, pos), c, start + 1);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : "\\x%02x".formatted((int) c);
    }

    static UsageException error(int index, String what) {
        return new UsageException("column %d: %s".formatted(index + 1, what));
    }
}
