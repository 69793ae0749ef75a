package kdive.kernel.types;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kdive.io.LookupException;

/**
 * Type names as a user writes them in a cast: a name the debug info knows ("struct sock",
 * "pid_t", "unsigned long"), then pointer stars and array bounds: "struct sock *", "char [16]",
 * "struct list_head **". C's integer names are found under GCC's DWARF spelling ("long unsigned
 * int"), or made on the fly when the debug info has no such base type.
 */
public final class TypeParser {
    private static final Pattern SYNTAX = Pattern.compile("\\s*([A-Za-z_][A-Za-z_0-9 ]*?)\\s*((?:\\*\\s*)*)((?:\\[\\s*\\d*\\s*\\]\\s*)*)");
    private static final Pattern BOUND = Pattern.compile("\\[\\s*(\\d*)\\s*\\]");
    /** C's names of the integer types, with GCC's DWARF name and the kind made when it is missing. */
    private static final Map<String, KType.Int> INTEGERS = Map.of(
            "int", KType.Int.INT, "unsigned int", KType.Int.UNSIGNED_INT, "unsigned", KType.Int.UNSIGNED_INT,
            "long", KType.Int.LONG, "unsigned long", KType.Int.UNSIGNED_LONG,
            "long long", new KType.Int("long long", 8, true), "unsigned long long", new KType.Int("unsigned long long", 8, false),
            "short", new KType.Int("short", 2, true), "unsigned short", new KType.Int("unsigned short", 2, false),
            "char", new KType.Int("char", 1, true));
    private static final Map<String, String> GCC_NAMES = Map.of(
            "long", "long int", "unsigned long", "long unsigned int", "short", "short int",
            "unsigned short", "short unsigned int", "long long", "long long int",
            "unsigned long long", "long long unsigned int", "unsigned", "unsigned int");

    private TypeParser() {}

    /** Parses {@code text}, finding named types with {@code lookup}. */
    public static KType parse(String text, Function<String, Optional<KType>> lookup) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new LookupException("\"%s\" is not a type name (NAME, then '*'s, then [N]s)".formatted(text));
        }
        String base = m.group(1).replaceAll("\\s+", " ");
        KType t = lookup.apply(base)
                .or(() -> Optional.ofNullable(GCC_NAMES.get(base)).flatMap(lookup))
                .or(() -> base.equals("void") ? Optional.of(new KType.Void()) : Optional.ofNullable(INTEGERS.get(base)))
                .orElseThrow(() -> new LookupException("no type %s".formatted(base)));
        for (char c : m.group(2).toCharArray()) {
            if (c == '*') {
                t = t.pointer();
            }
        }
        // int x[2][3] is an array of 2 arrays of 3: the last bound is the innermost.
        var bounds = new java.util.ArrayList<Long>();
        Matcher b = BOUND.matcher(m.group(3));
        while (b.find()) {
            bounds.add(b.group(1).isEmpty() ? -1 : Long.parseLong(b.group(1)));
        }
        for (int i = bounds.size() - 1; i >= 0; i--) {
            t = t.array(bounds.get(i));
        }
        return t;
    }
}
