package kdive.kernel.expr;

/** One lexical token of a C expression; {@code column} is 1-based. */
record Token(Kind kind, String text, long value, int column) {
    enum Kind { IDENT, INT, CHAR, PUNCT, END }

    boolean is(String punct) {
        return kind == Kind.PUNCT && text.equals(punct);
    }

    /** How an error message shows it. */
    String shown() {
        return kind == Kind.END ? "end of input" : "'" + text + "'";
    }
}
