package kdive.oops.internal;

/**
 * Symbol demangling as syzkaller applies it to stack frames ({@code demangle.Filter(name, NoParams)}):
 * Rust v0 names ({@code _R...}), legacy Rust names ({@code _ZN...17h<hash>E}) and plain Itanium C++
 * function names ({@code _Z8fakeNameiii} becomes {@code fakeName}). Anything it cannot demangle
 * is returned unchanged, as the Go filter does.
 */
public final class Demangler {

    private Demangler() {}

    private static final int MAX_INPUT = 4096;

    public static String filter(String name) {
        if (name.length() < 3 || name.charAt(0) != '_' || name.length() > MAX_INPUT) {
            return name;
        }
        try {
            if (name.startsWith("_R")) {
                return new RustV0(name).demangle();
            }
            if (name.startsWith("_ZN")) {
                String r = legacyRust(name);
                if (r != null) {
                    return r;
                }
            }
            if (name.startsWith("_Z")) {
                String r = cxxName(name.substring(2));
                return r == null ? name : r;
            }
        } catch (Fail e) {
            return name;
        }
        return name;
    }

    private static final class Fail extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Fail() {
            super(null, null, false, false);
        }
    }

    // ------------------------------------------------------------ Itanium C++ (names only)

    /**
     * Demangles the name part of an Itanium encoding: an unscoped source name (optionally
     * {@code L}-prefixed or in {@code St}) or a nested name made of source names. Function
     * parameters are ignored (NoParams); templates and other constructs give up.
     */
    private static String cxxName(String s) {
        int[] pos = {0};
        StringBuilder out = new StringBuilder();
        if (s.startsWith("N")) {
            pos[0] = 1;
            while (pos[0] < s.length() && "rVKRO".indexOf(s.charAt(pos[0])) >= 0) {
                pos[0]++;
            }
            if (s.startsWith("St", pos[0])) {
                out.append("std");
                pos[0] += 2;
            }
            while (pos[0] < s.length() && s.charAt(pos[0]) != 'E') {
                String part = sourceName(s, pos);
                if (part == null) {
                    return null;
                }
                if (!out.isEmpty()) {
                    out.append("::");
                }
                out.append(part);
            }
            if (pos[0] >= s.length() || out.isEmpty()) {
                return null;
            }
            return out.toString();
        }
        if (s.startsWith("St")) {
            out.append("std::");
            pos[0] = 2;
        } else if (s.startsWith("L")) {
            pos[0] = 1;
        }
        String part = sourceName(s, pos);
        if (part == null) {
            return null;
        }
        if (pos[0] < s.length() && s.charAt(pos[0]) == 'I') {
            return null; // template arguments: not supported
        }
        return out.append(part).toString();
    }

    private static String sourceName(String s, int[] pos) {
        int p = pos[0];
        int len = 0;
        int start = p;
        while (p < s.length() && Character.isDigit(s.charAt(p))) {
            len = len * 10 + (s.charAt(p) - '0');
            if (len > MAX_INPUT) {
                return null;
            }
            p++;
        }
        if (p == start || len == 0 || p + len > s.length()) {
            return null;
        }
        pos[0] = p + len;
        return s.substring(p, p + len);
    }

    // ------------------------------------------------------------ legacy Rust

    private static String legacyRust(String name) {
        String r = name;
        int e = r.lastIndexOf("E.");
        if (e > 0) {
            r = r.substring(0, e + 1);
        }
        if (!r.endsWith("E") || r.length() <= 23 || !r.startsWith("17h", r.length() - 20)) {
            return null;
        }
        String body = r.substring(3);
        int seen = 0;
        for (int i = body.length() - 17; i < body.length() - 1; i++) {
            int d = Character.digit(body.charAt(i), 16);
            if (d < 0 || Character.isUpperCase(body.charAt(i))) {
                return null;
            }
            seen |= 1 << d;
        }
        if (Integer.bitCount(seen) < 5) {
            return null;
        }
        body = body.substring(0, body.length() - 20);
        StringBuilder sb = new StringBuilder();
        int p = 0;
        while (p < body.length()) {
            if (!Character.isDigit(body.charAt(p))) {
                return null;
            }
            int val = 0;
            while (p < body.length() && Character.isDigit(body.charAt(p))) {
                val = val * 10 + (body.charAt(p) - '0');
                if (val > MAX_INPUT) {
                    return null;
                }
                p++;
            }
            if (p < body.length() && body.charAt(p) == '_') {
                p++;
                val--;
            }
            if (val < 0 || p + val > body.length()) {
                return null;
            }
            String id = body.substring(p, p + val);
            p += val;
            if (!sb.isEmpty()) {
                sb.append("::");
            }
            if (id.startsWith("_$")) {
                id = id.substring(1);
            }
            appendLegacyIdent(sb, id);
        }
        return sb.toString();
    }

    private static void appendLegacyIdent(StringBuilder sb, String id) {
        while (!id.isEmpty()) {
            char c = id.charAt(0);
            if (c == '$') {
                String code = null;
                int consumed = 0;
                if (id.length() > 2 && id.charAt(1) == 'C' && id.charAt(2) == '$') {
                    code = ",";
                    consumed = 3;
                } else if (id.length() > 4 && id.charAt(1) == 'u' && id.charAt(4) == '$') {
                    int d1 = Character.digit(id.charAt(2), 16);
                    int d2 = Character.digit(id.charAt(3), 16);
                    int v = (d1 << 4) | d2;
                    if (d1 >= 0 && d2 >= 0 && d1 <= 7 && v >= ' ') {
                        code = String.valueOf((char) v);
                        consumed = 5;
                    }
                } else if (id.length() > 3 && id.charAt(3) == '$') {
                    code = switch (id.substring(1, 3)) {
                        case "SP" -> "@";
                        case "BP" -> "*";
                        case "RF" -> "&";
                        case "LT" -> "<";
                        case "GT" -> ">";
                        case "LP" -> "(";
                        case "RP" -> ")";
                        default -> null;
                    };
                    consumed = 4;
                }
                if (code == null) {
                    sb.append(id);
                    return;
                }
                sb.append(code);
                id = id.substring(consumed);
            } else if (c == '.') {
                if (id.startsWith("..")) {
                    sb.append("::");
                    id = id.substring(2);
                } else {
                    sb.append('.');
                    id = id.substring(1);
                }
            } else {
                sb.append(c);
                id = id.substring(1);
            }
        }
    }

    // ------------------------------------------------------------ Rust v0

    /** A port of the Rust v0 demangler of github.com/ianlancetaylor/demangle (rust.go). */
    private static final class RustV0 {
        private final String orig;
        private String str;
        private int off;
        private final StringBuilder buf = new StringBuilder();
        private boolean skip;
        private long lifetimes;
        private char last;
        private int depth;

        RustV0(String name) {
            int dot = name.indexOf('.');
            if (dot >= 0) {
                name = name.substring(0, dot);
            }
            this.orig = name.substring(2);
            this.str = orig;
        }

        String demangle() {
            symbolName();
            if (!str.isEmpty()) {
                throw new Fail();
            }
            return buf.toString();
        }

        private void enter() {
            if (++depth > 200) {
                throw new Fail();
            }
        }

        private void advance(int n) {
            if (str.length() < n) {
                throw new Fail();
            }
            str = str.substring(n);
            off += n;
        }

        private void checkChar(char c) {
            if (str.isEmpty() || str.charAt(0) != c) {
                throw new Fail();
            }
            advance(1);
        }

        private void writeByte(char c) {
            if (skip) {
                return;
            }
            last = c;
            buf.append(c);
            if (buf.length() > 8192) {
                throw new Fail();
            }
        }

        private void writeString(String s) {
            if (skip || s.isEmpty()) {
                return;
            }
            last = s.charAt(s.length() - 1);
            buf.append(s);
            if (buf.length() > 8192) {
                throw new Fail();
            }
        }

        private void symbolName() {
            if (str.isEmpty() || Character.isDigit(str.charAt(0))) {
                throw new Fail();
            }
            path(true);
            if (!str.isEmpty()) {
                skip = true;
                path(false);
            }
        }

        private void path(boolean needsSeparator) {
            enter();
            if (str.isEmpty()) {
                throw new Fail();
            }
            char c = str.charAt(0);
            switch (c) {
                case 'C' -> {
                    advance(1);
                    writeString(identifier().ident);
                }
                case 'M', 'X' -> {
                    advance(1);
                    implPath();
                    writeByte('<');
                    demangleType();
                    if (c == 'X') {
                        writeString(" as ");
                        path(false);
                    }
                    writeByte('>');
                }
                case 'Y' -> {
                    advance(1);
                    writeByte('<');
                    demangleType();
                    writeString(" as ");
                    path(false);
                    writeByte('>');
                }
                case 'N' -> {
                    advance(1);
                    if (str.isEmpty()) {
                        throw new Fail();
                    }
                    char ns = str.charAt(0);
                    boolean upper = ns >= 'A' && ns <= 'Z';
                    if (!upper && !(ns >= 'a' && ns <= 'z')) {
                        throw new Fail();
                    }
                    advance(1);
                    path(needsSeparator);
                    Ident id = identifier();
                    if (upper) {
                        writeString("::{");
                        switch (ns) {
                            case 'C' -> writeString("closure");
                            case 'S' -> writeString("shim");
                            default -> writeByte(ns);
                        }
                        if (!id.ident.isEmpty()) {
                            writeByte(':');
                            writeString(id.ident);
                        }
                        writeString("#" + id.dis + "}");
                    } else {
                        writeString("::");
                        writeString(id.ident);
                    }
                }
                case 'I' -> {
                    advance(1);
                    path(needsSeparator);
                    if (needsSeparator) {
                        writeString("::");
                    }
                    writeByte('<');
                    genericArgs();
                    writeByte('>');
                    checkChar('E');
                }
                case 'B' -> backref(() -> path(needsSeparator));
                default -> throw new Fail();
            }
            depth--;
        }

        private void implPath() {
            boolean hold = skip;
            skip = true;
            try {
                disambiguator();
                path(false);
            } finally {
                skip = hold;
            }
        }

        private record Ident(long dis, String ident) {}

        private Ident identifier() {
            long dis = disambiguator();
            return new Ident(dis, undisambiguatedIdentifier());
        }

        private long disambiguator() {
            if (str.isEmpty() || str.charAt(0) != 's') {
                return 0;
            }
            advance(1);
            return base62Number() + 1;
        }

        private String undisambiguatedIdentifier() {
            boolean puny = false;
            if (!str.isEmpty() && str.charAt(0) == 'u') {
                advance(1);
                puny = true;
            }
            int val = decimalNumber();
            if (!str.isEmpty() && str.charAt(0) == '_') {
                advance(1);
            }
            if (str.length() < val) {
                throw new Fail();
            }
            String id = str.substring(0, val);
            advance(val);
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_')) {
                    throw new Fail();
                }
            }
            if (puny) {
                throw new Fail(); // punycode identifiers: not needed for kernel symbols
            }
            return id;
        }

        private void genericArgs() {
            boolean first = true;
            while (!str.isEmpty() && str.charAt(0) != 'E') {
                if (!first) {
                    writeString(", ");
                }
                first = false;
                genericArg();
            }
        }

        private void genericArg() {
            if (str.isEmpty()) {
                throw new Fail();
            }
            if (str.charAt(0) == 'L') {
                advance(1);
                writeLifetime(base62Number());
            } else if (str.charAt(0) == 'K') {
                advance(1);
                demangleConst();
            } else {
                demangleType();
            }
        }

        private void binder() {
            if (str.isEmpty() || str.charAt(0) != 'G') {
                return;
            }
            advance(1);
            long n = base62Number() + 1;
            if (n >= str.length() - lifetimes) {
                throw new Fail();
            }
            writeString("for<");
            for (long i = 0; i < n; i++) {
                if (i > 0) {
                    writeString(", ");
                }
                lifetimes++;
                writeLifetime(1);
            }
            writeString("> ");
        }

        private static final String BASIC = "abcdefhijlmnopstuvxyz";
        private static final String[] BASIC_NAMES = {"i8", "bool", "char", "f64", "str", "f32", "u8", "isize", "usize",
            "i32", "u32", "i128", "u128", "_", "i16", "u16", "()", "...", "i64", "u64", "!"};

        private void demangleType() {
            enter();
            if (str.isEmpty()) {
                throw new Fail();
            }
            char c = str.charAt(0);
            if (c >= 'a' && c <= 'z') {
                int i = BASIC.indexOf(c);
                if (i < 0) {
                    throw new Fail();
                }
                advance(1);
                writeString(BASIC_NAMES[i]);
                depth--;
                return;
            }
            switch (c) {
                case 'C', 'M', 'X', 'Y', 'N', 'I' -> path(false);
                case 'A', 'S' -> {
                    advance(1);
                    writeByte('[');
                    demangleType();
                    if (c == 'A') {
                        writeString("; ");
                        demangleConst();
                    }
                    writeByte(']');
                }
                case 'T' -> {
                    advance(1);
                    writeByte('(');
                    int n = 0;
                    while (!str.isEmpty() && str.charAt(0) != 'E') {
                        if (n > 0) {
                            writeString(", ");
                        }
                        n++;
                        demangleType();
                    }
                    if (n == 1) {
                        writeByte(',');
                    }
                    writeByte(')');
                    checkChar('E');
                }
                case 'R', 'Q' -> {
                    advance(1);
                    writeByte('&');
                    if (!str.isEmpty() && str.charAt(0) == 'L') {
                        advance(1);
                        long lt = base62Number();
                        if (lt > 0) {
                            writeLifetime(lt);
                            writeByte(' ');
                        }
                    }
                    if (c == 'Q') {
                        writeString("mut ");
                    }
                    demangleType();
                }
                case 'P' -> {
                    advance(1);
                    writeString("*const ");
                    demangleType();
                }
                case 'O' -> {
                    advance(1);
                    writeString("*mut ");
                    demangleType();
                }
                case 'F' -> {
                    advance(1);
                    long hold = lifetimes;
                    fnSig();
                    lifetimes = hold;
                }
                case 'D' -> {
                    advance(1);
                    long hold = lifetimes;
                    dynBounds();
                    lifetimes = hold;
                    if (str.isEmpty() || str.charAt(0) != 'L') {
                        throw new Fail();
                    }
                    advance(1);
                    long lt = base62Number();
                    if (lt > 0) {
                        if (last != ' ') {
                            writeByte(' ');
                        }
                        writeString("+ ");
                        writeLifetime(lt);
                    }
                }
                case 'B' -> backref(this::demangleType);
                default -> throw new Fail();
            }
            depth--;
        }

        private void fnSig() {
            binder();
            if (!str.isEmpty() && str.charAt(0) == 'U') {
                advance(1);
                writeString("unsafe ");
            }
            if (!str.isEmpty() && str.charAt(0) == 'K') {
                advance(1);
                if (!str.isEmpty() && str.charAt(0) == 'C') {
                    advance(1);
                    writeString("extern \"C\" ");
                } else {
                    writeString("extern \"");
                    writeString(undisambiguatedIdentifier().replace('_', '-'));
                    writeString("\" ");
                }
            }
            writeString("fn(");
            boolean first = true;
            while (!str.isEmpty() && str.charAt(0) != 'E') {
                if (!first) {
                    writeString(", ");
                }
                first = false;
                demangleType();
            }
            checkChar('E');
            writeByte(')');
            if (!str.isEmpty() && str.charAt(0) == 'u') {
                advance(1);
            } else {
                writeString(" -> ");
                demangleType();
            }
        }

        private void dynBounds() {
            writeString("dyn ");
            binder();
            boolean first = true;
            while (!str.isEmpty() && str.charAt(0) != 'E') {
                if (!first) {
                    writeString(" + ");
                }
                first = false;
                dynTrait();
            }
            checkChar('E');
        }

        private void dynTrait() {
            boolean started = pathStartGenerics();
            while (!str.isEmpty() && str.charAt(0) == 'p') {
                advance(1);
                if (started) {
                    writeString(", ");
                } else {
                    writeByte('<');
                    started = true;
                }
                writeString(undisambiguatedIdentifier());
                writeString(" = ");
                demangleType();
            }
            if (started) {
                writeByte('>');
            }
        }

        private boolean pathStartGenerics() {
            if (str.isEmpty()) {
                throw new Fail();
            }
            switch (str.charAt(0)) {
                case 'I' -> {
                    advance(1);
                    path(false);
                    writeByte('<');
                    genericArgs();
                    checkChar('E');
                    return true;
                }
                case 'B' -> {
                    boolean[] started = {false};
                    backref(() -> started[0] = pathStartGenerics());
                    return started[0];
                }
                default -> {
                    path(false);
                    return false;
                }
            }
        }

        private void writeLifetime(long lifetime) {
            writeByte('\'');
            if (lifetime == 0) {
                writeByte('_');
                return;
            }
            long d = lifetimes - lifetime;
            if (d < 0) {
                throw new Fail();
            } else if (d < 26) {
                writeByte((char) ('a' + d));
            } else {
                writeByte('z');
                writeString(Long.toString(d - 26 + 1));
            }
        }

        private void demangleConst() {
            if (str.isEmpty()) {
                throw new Fail();
            }
            if (str.charAt(0) == 'B') {
                backref(this::demangleConst);
                return;
            }
            if (str.charAt(0) == 'p') {
                advance(1);
                writeByte('_');
                return;
            }
            char typ = str.charAt(0);
            int kind;
            if ("aslxni".indexOf(typ) >= 0) {
                kind = 1;
            } else if ("htmyoj".indexOf(typ) >= 0) {
                kind = 2;
            } else if (typ == 'b') {
                kind = 3;
            } else if (typ == 'c') {
                kind = 4;
            } else {
                throw new Fail();
            }
            advance(1);
            if (kind == 1 && !str.isEmpty() && str.charAt(0) == 'n') {
                advance(1);
                writeByte('-');
            }
            String start = str;
            int digits = 0;
            long val = 0;
            while (true) {
                if (str.isEmpty()) {
                    break;
                }
                char c = str.charAt(0);
                int digit;
                if (c >= '0' && c <= '9') {
                    digit = c - '0';
                } else if (c >= 'a' && c <= 'f') {
                    digit = c - 'a' + 10;
                } else if (c == '_') {
                    advance(1);
                    break;
                } else {
                    throw new Fail();
                }
                advance(1);
                if (val == 0 && digit == 0 && (str.isEmpty() || str.charAt(0) != '_')) {
                    throw new Fail();
                }
                val = val * 16 + digit;
                digits++;
            }
            if (digits == 0) {
                throw new Fail();
            }
            switch (kind) {
                case 1, 2 -> {
                    if (digits > 16) {
                        writeString("0x" + start.substring(0, digits));
                    } else {
                        writeString(Long.toUnsignedString(val));
                    }
                }
                case 3 -> {
                    if (digits > 1 || val > 1) {
                        throw new Fail();
                    }
                    writeString(val == 0 ? "false" : "true");
                }
                default -> {
                    if (digits > 6) {
                        throw new Fail();
                    }
                    writeByte('\'');
                    if (val == '\t') {
                        writeString("\\t");
                    } else if (val == '\r') {
                        writeString("\\r");
                    } else if (val == '\n') {
                        writeString("\\n");
                    } else if (val == '\\') {
                        writeString("\\\\");
                    } else if (val == '\'') {
                        writeString("\\'");
                    } else if (val >= ' ' && val <= '~') {
                        writeByte((char) val);
                    } else {
                        writeString("\\u{" + Long.toHexString(val) + "}");
                    }
                    writeByte('\'');
                }
            }
        }

        private long base62Number() {
            if (!str.isEmpty() && str.charAt(0) == '_') {
                advance(1);
                return 0;
            }
            long val = 0;
            while (!str.isEmpty()) {
                char c = str.charAt(0);
                advance(1);
                if (c == '_') {
                    return val + 1;
                }
                val *= 62; // wraps like Go's int64 (disambiguator hashes exceed it)
                if (c >= '0' && c <= '9') {
                    val += c - '0';
                } else if (c >= 'a' && c <= 'z') {
                    val += c - 'a' + 10;
                } else if (c >= 'A' && c <= 'Z') {
                    val += c - 'A' + 36;
                } else {
                    throw new Fail();
                }
            }
            throw new Fail();
        }

        private void backref(Runnable demangle) {
            int backoff = off;
            checkChar('B');
            long idx = base62Number();
            if (skip) {
                return;
            }
            if (idx < 0 || idx >= backoff) {
                throw new Fail();
            }
            String holdStr = str;
            int holdOff = off;
            str = orig.substring((int) idx, backoff);
            off = (int) idx;
            try {
                demangle.run();
            } finally {
                str = holdStr;
                off = holdOff;
            }
        }

        private int decimalNumber() {
            if (str.isEmpty()) {
                throw new Fail();
            }
            int val = 0;
            while (!str.isEmpty() && Character.isDigit(str.charAt(0)) && str.charAt(0) < 0x80) {
                int add = str.charAt(0) - '0';
                if (val >= Integer.MAX_VALUE / 10 - add) {
                    throw new Fail();
                }
                val = val * 10 + add;
                advance(1);
            }
            return val;
        }
    }
}
