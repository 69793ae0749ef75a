package kdive.oops.internal;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * A compiled rule regexp. Rules are written in Go's regexp syntax (as in syzkaller) and run on
 * RE2/J, which has the same syntax, the same leftmost-first semantics and linear-time matching,
 * so no input can make matching backtrack catastrophically.
 *
 * <p>When the expression must start with a fixed text ({@link #literal}), searches first look that
 * text up with {@link String#indexOf}, which is much cheaper than running the automaton over text
 * that cannot match.
 */
public final class Rx {

    private final Pattern pattern;
    private final String source;
    private final String literal;
    /** A match never spans a newline and does not depend on text outside its line. */
    private final boolean lineLocal;
    /** Text every match contains (empty when unknown): without it in the text, there is no match. */
    private final String required;
    /** Literal runs every match contains, found by {@link #requiredRuns}. */
    private final String[] runs;
    /**
     * When {@code >= 0}: every match contains {@link #required} at most this many characters
     * after its start, and ends on the line where {@code required} occurs.
     */
    private final int requiredLead;

    private Rx(String source, String required, int requiredLead) {
        this.source = source;
        this.pattern = Pattern.compile(source);
        this.literal = leadingLiteral(source);
        this.lineLocal = isLineLocal(source);
        this.required = required;
        this.requiredLead = requiredLead;
        this.runs = requiredRuns(source).toArray(new String[0]);
    }

    private Rx(String source) {
        this(source, "", -1);
    }

    /**
     * Compiles a plain Go regexp every match of which starts at most {@code lead} characters before
     * an occurrence of {@code required} and ends on that occurrence's line; matches are then
     * looked for around the occurrences only.
     */
    public static Rx anchored(String goRegexp, String required, int lead) {
        return new Rx(goRegexp, required, lead);
    }

    /** Compiles a plain Go regexp. */
    public static Rx of(String goRegexp) {
        return new Rx(goRegexp);
    }

    /** Compiles a syzkaller rule regexp, expanding its {@code {{ADDR}}}-style placeholders. */
    public static Rx rule(String re) {
        re = re.replace("{{ADDR}}", "0x[0-9a-f]+");
        re = re.replace("{{PC}}", "\\[\\<?(?:0x)?[0-9a-f]+\\>?\\]");
        re = re.replace("{{FUNC}}", "([a-zA-Z0-9_]+)(?:\\.|\\+)");
        re = re.replace("{{SRC}}", "([a-zA-Z0-9\\-_/.]+\\.[a-z]+:[0-9]+)");
        re = re.replace("{{TASK}}", "[\\s\\S]{0,100}?");
        return new Rx(re);
    }

    public String source() {
        return source;
    }

    /** The text every match starts with (empty when there is none). */
    public String literal() {
        return literal;
    }

    /** Leftmost match for an {@link #anchored} expression: tried in a window around each occurrence. */
    private Match searchAround(CharSequence text) {
        String s = text.toString();
        Matcher m = pattern.matcher("");
        for (int at = s.indexOf(required); at >= 0; at = s.indexOf(required, at + 1)) {
            int from = Math.max(0, at - requiredLead);
            int eol = s.indexOf('\n', at);
            if (eol < 0) {
                eol = s.length();
            }
            m.reset(s.substring(from, eol));
            if (m.find()) {
                return Match.of(m, from);
            }
        }
        return null;
    }

    /** True when every required run occurs in {@code s[from, to)}. */
    private boolean runsIn(String s, int from, int to) {
        for (String r : runs) {
            if (s.indexOf(r, from, to) < 0) {
                return false;
            }
        }
        return true;
    }

    private boolean runsIn(CharSequence text) {
        for (String r : runs) {
            if (!contains(text, r)) {
                return false;
            }
        }
        return true;
    }

    /** True when the expression matches somewhere in {@code text}. */
    public boolean find(CharSequence text) {
        if (!required.isEmpty() && !contains(text, required) || !runsIn(text)) {
            return false;
        }
        if (requiredLead >= 0) {
            return searchAround(text) != null;
        }
        if (!literal.isEmpty()) {
            int at = indexOf(text, literal, 0);
            if (at < 0) {
                return false;
            }
            if (lineLocal) {
                return searchLineLocal(text, at) != null;
            }
            return pattern.matcher(text).find(at);
        }
        return pattern.matcher(text).find();
    }

    /** The leftmost match in {@code text}, or null. */
    public Match search(CharSequence text) {
        if (!required.isEmpty() && !contains(text, required) || !lineLocal && !runsIn(text)) {
            return null;
        }
        if (requiredLead >= 0) {
            return searchAround(text);
        }
        int from = 0;
        if (!literal.isEmpty()) {
            from = indexOf(text, literal, 0);
            if (from < 0) {
                return null;
            }
            if (lineLocal) {
                return searchLineLocal(text, from);
            }
        }
        Matcher m = pattern.matcher(text);
        if (!m.find(from)) {
            return null;
        }
        return Match.of(m);
    }

    /**
     * Leftmost match of a line-local expression that starts with {@link #literal}: every match
     * starts at an occurrence of the literal and ends before the next newline, so each occurrence
     * is tried anchored, on its own line only. Cost: the occurrences' line tails, not the whole text.
     */
    private Match searchLineLocal(CharSequence text, int at) {
        String s = text.toString();
        Matcher m = pattern.matcher("");
        while (at >= 0) {
            int eol = s.indexOf('\n', at);
            if (eol < 0) {
                eol = s.length();
            }
            if (!runsIn(s, at, eol)) {
                at = eol >= s.length() ? -1 : s.indexOf(literal, eol + 1);
                continue;
            }
            m.reset(s.substring(at, eol));
            if (m.lookingAt()) {
                return Match.of(m, at);
            }
            at = s.indexOf(literal, at + 1);
        }
        return null;
    }

    /**
     * True when no match can contain a newline or look past its own line: no newline escapes,
     * no classes that include a newline (negated classes, \\s, \\W, \\D, [[:space:]]), no
     * anchors or word boundaries, no flags.
     */
    static boolean isLineLocal(String re) {
        if (re.indexOf('\n') >= 0 || re.contains("[^") || re.replace("(?:", "").contains("(?")) {
            return false;
        }
        if (re.contains("^") || re.contains("$")) {
            return false;
        }
        for (String bad : new String[] {"\\n", "\\s", "\\W", "\\D", "\\S", "\\b", "\\B", "\\x", "\\p", "\\P",
            "[[:space:]]", "[[:^", "\\A", "\\z", "\\Q", "\\0", "\\u", "\\v", "\\f", "\\r"}) {
            if (re.contains(bad)) {
                return false;
            }
        }
        return true;
    }

    /** True when any of {@code rules} matches somewhere in {@code text}. */
    public static boolean anyFind(List<Rx> rules, CharSequence text) {
        for (Rx r : rules) {
            if (r.find(text)) {
                return true;
            }
        }
        return false;
    }

    /** Go's {@code ReplaceAllString} with a {@code ${n}} template, repeated until nothing changes. */
    public String replaceAllRepeated(String text, String template) {
        for (int guard = 0; guard < 64; guard++) {
            String next = replaceAll(text, template);
            if (next.equals(text)) {
                return text;
            }
            text = next;
        }
        return text;
    }

    private String replaceAll(String text, String template) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (out == null) {
                out = new StringBuilder(text.length() + 16);
            }
            out.append(text, last, m.start());
            expand(m, template, out);
            last = m.end();
            if (m.end() == m.start() && m.end() >= text.length()) {
                break;
            }
        }
        if (out == null) {
            return text;
        }
        out.append(text, last, text.length());
        return out.toString();
    }

    private static void expand(Matcher m, String template, StringBuilder out) {
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '$' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                int close = template.indexOf('}', i);
                int group = Integer.parseInt(template.substring(i + 2, close));
                String g = group <= m.groupCount() ? m.group(group) : null;
                if (g != null) {
                    out.append(g);
                }
                i = close;
            } else {
                out.append(c);
            }
        }
    }

    /** Case-sensitive substring search on any char sequence. */
    public static boolean contains(CharSequence text, String needle) {
        return indexOf(text, needle, 0) >= 0;
    }

    public static int indexOf(CharSequence text, String needle, int from) {
        if (text instanceof String s) {
            return s.indexOf(needle, from);
        }
        if (text instanceof StringBuilder sb) {
            return sb.indexOf(needle, from);
        }
        return text.toString().indexOf(needle, from);
    }

    /**
     * The text every match must begin with: the expression's leading run of plain characters, when
     * the expression has no top-level alternation. Empty when there is none.
     */
    static String leadingLiteral(String re) {
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
                continue;
            }
            switch (c) {
                case '[' -> inClass = true;
                case '(' -> depth++;
                case ')' -> depth--;
                case '|' -> {
                    if (depth == 0) {
                        return "";
                    }
                }
                default -> { }
            }
        }
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            char plain;
            int width;
            if (c == '\\') {
                if (i + 1 >= re.length()) {
                    break;
                }
                char n = re.charAt(i + 1);
                if (Character.isLetterOrDigit(n) || n > 0x7e) {
                    break; // \d, \s, \n... are classes or escapes, not plain text
                }
                plain = n;
                width = 2;
            } else if ("^$.*+?()[]{}|".indexOf(c) >= 0) {
                break;
            } else {
                plain = c;
                width = 1;
            }
            int next = i + width;
            if (next < re.length() && "*?{".indexOf(re.charAt(next)) >= 0) {
                break; // the character is optional or repeated
            }
            if (next < re.length() && re.charAt(next) == '+') {
                lit.append(plain);
                break;
            }
            lit.append(plain);
            i = next - 1;
        }
        return lit.toString();
    }

    /**
     * Literal runs (3+ characters) that every match must contain: plain text at the top level of
     * the expression, outside groups, classes and quantified characters. Empty when the
     * expression has a top-level alternation or flags. A necessary condition only, so cheap
     * {@code indexOf} checks can rule lines out before the automaton runs.
     */
    static java.util.List<String> requiredRuns(String re) {
        java.util.List<String> runs = new java.util.ArrayList<>();
        if (re.contains("(?i") || re.contains("(?s") || re.contains("(?m") || re.contains("(?U")) {
            return runs;
        }
        StringBuilder cur = new StringBuilder();
        int i = 0;
        int n = re.length();
        while (i < n) {
            char c = re.charAt(i);
            int itemEnd;
            boolean literalChar = false;
            char lit = 0;
            if (c == '\\') {
                if (i + 1 >= n) {
                    return java.util.List.of();
                }
                char e = re.charAt(i + 1);
                if (!Character.isLetterOrDigit(e) && e < 0x7f) {
                    literalChar = true;
                    lit = e;
                }
                itemEnd = i + 2;
                if (e == 'p' || e == 'P') {
                    itemEnd = re.charAt(i + 2) == '{' ? re.indexOf('}', i) + 1 : i + 3;
                } else if (e == 'x') {
                    return java.util.List.of();
                }
            } else if (c == '[') {
                itemEnd = classEnd(re, i);
                if (itemEnd < 0) {
                    return java.util.List.of();
                }
            } else if (c == '(') {
                itemEnd = groupEnd(re, i);
                if (itemEnd < 0) {
                    return java.util.List.of();
                }
            } else if (c == '|') {
                return java.util.List.of(); // top-level alternation
            } else if (c == '.' || c == '^' || c == '$') {
                itemEnd = i + 1;
            } else if (c == ')' || c == '*' || c == '+' || c == '?' || c == '{') {
                return java.util.List.of(); // unexpected here: give up
            } else {
                literalChar = true;
                lit = c;
                itemEnd = i + 1;
            }
            char q = itemEnd < n ? re.charAt(itemEnd) : 0;
            boolean quantified = q == '*' || q == '+' || q == '?' || q == '{';
            if (literalChar && !quantified) {
                cur.append(lit);
            } else {
                if (literalChar && q == '+') {
                    cur.append(lit);
                }
                flushRun(cur, runs);
            }
            i = itemEnd;
            if (quantified) {
                if (q == '{') {
                    int close = re.indexOf('}', i);
                    if (close < 0) {
                        return java.util.List.of();
                    }
                    i = close + 1;
                } else {
                    i++;
                }
                if (i < n && re.charAt(i) == '?') {
                    i++; // lazy
                }
            }
        }
        flushRun(cur, runs);
        return runs;
    }

    private static void flushRun(StringBuilder cur, java.util.List<String> runs) {
        if (cur.length() >= 3) {
            runs.add(cur.toString());
        }
        cur.setLength(0);
    }

    /** Index just past the class starting at {@code i}, or -1. */
    private static int classEnd(String re, int i) {
        int j = i + 1;
        if (j < re.length() && re.charAt(j) == '^') {
            j++;
        }
        if (j < re.length() && re.charAt(j) == ']') {
            j++;
        }
        while (j < re.length()) {
            char c = re.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '[' && j + 1 < re.length() && re.charAt(j + 1) == ':') {
                int close = re.indexOf(":]", j + 2);
                if (close < 0) {
                    return -1;
                }
                j = close + 2;
            } else if (c == ']') {
                return j + 1;
            } else {
                j++;
            }
        }
        return -1;
    }

    /** Index just past the group starting at {@code i}, or -1. */
    private static int groupEnd(String re, int i) {
        int depth = 0;
        int j = i;
        while (j < re.length()) {
            char c = re.charAt(j);
            if (c == '\\') {
                j += 2;
                continue;
            }
            if (c == '[') {
                j = classEnd(re, j);
                if (j < 0) {
                    return -1;
                }
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return j + 1;
                }
            }
            j++;
        }
        return -1;
    }

    /** A match: overall span and group spans (-1 for groups that took no part). */
    public record Match(int start, int end, int[] groupStarts, int[] groupEnds, String[] groups) {

        static Match of(Matcher m) {
            return of(m, 0);
        }

        static Match of(Matcher m, int shift) {
            int n = m.groupCount();
            int[] gs = new int[n];
            int[] ge = new int[n];
            String[] g = new String[n];
            for (int i = 1; i <= n; i++) {
                String v = m.group(i);
                g[i - 1] = v;
                gs[i - 1] = v == null ? -1 : m.start(i) + shift;
                ge[i - 1] = v == null ? -1 : m.end(i) + shift;
            }
            return new Match(m.start() + shift, m.end() + shift, gs, ge, g);
        }

        /** The text of group {@code i} (1-based), or null when it took no part. */
        public String group(int i) {
            return groups[i - 1];
        }

        public int groupCount() {
            return groups.length;
        }
    }
}
