package kdive.kernel;

import java.util.ArrayList;
import java.util.List;
import kdive.dwarf.DwTag;
import kdive.dwarf.Type;
import kdive.dwarf.Types;

/**
 * C spellings of DWARF types, as gdb (and so crash) prints them: {@code struct task_struct *},
 * {@code char [16]}, {@code unsigned long}, {@code void (*)(struct work_struct *)},
 * {@code const char *}, {@code int (*)[4]}. Built the way C declarators nest: the base type on
 * the left, pointers wrapping the declarator, arrays and parameter lists on its right.
 */
public final class TypeNames {
    /** Bound on declarator nesting: DWARF could describe a cycle (pointer to itself). */
    private static final int MAX_DEPTH = 32;

    private TypeNames() {}

    /** The C name of the type at DIE offset {@code offset} (-1 is void). */
    public static String name(Types types, long offset) {
        return name(types, types.type(offset));
    }

    public static String name(Types types, Type t) {
        return declare(types, t, "", 0);
    }

    /** {@code t} declaring {@code inner} (a declarator such as "*", "(*)[4]" or ""). */
    private static String declare(Types types, Type t, String inner, int depth) {
        if (depth > MAX_DEPTH) {
            return "?" + (inner.isEmpty() ? "" : " " + inner);
        }
        return switch (t) {
            case Type.Void v -> join("void", inner);
            case Type.Base b -> join(baseName(b.name()), inner);
            case Type.Typedef td -> join(td.name(), inner);
            case Type.Struct s -> join(keyword(s.kind()) + " " + (s.name() == null ? "{...}" : s.name()), inner);
            case Type.Enum e -> join("enum " + (e.name() == null ? "{...}" : e.name()), inner);
            case Type.Other o -> join(o.name() == null ? "?" : o.name(), inner);
            case Type.Qualified q -> qualified(types, q, inner, depth);
            case Type.Pointer p -> {
                Type target = types.type(p.target());
                boolean wrap = target instanceof Type.Array || target instanceof Type.Function;
                yield declare(types, target, wrap ? "(*" + inner + ")" : "*" + inner, depth + 1);
            }
            case Type.Array a -> {
                var dims = new StringBuilder();
                for (long n : a.counts()) {
                    dims.append(n < 0 ? "[]" : "[" + n + "]");
                }
                yield declare(types, types.type(a.element()), inner + dims, depth + 1);
            }
            case Type.Function f -> {
                List<String> params = new ArrayList<>();
                for (long p : f.parameters()) {
                    params.add(declare(types, types.type(p), "", depth + 1));
                }
                if (f.variadic()) {
                    params.add("...");
                }
                String list = params.isEmpty() ? "void" : String.join(", ", params);
                yield declare(types, types.type(f.returnType()), inner + "(" + list + ")", depth + 1);
            }
        };
    }

    /** const char * puts the qualifier left of the base; char * const puts it right of the star. */
    private static String qualified(Types types, Type.Qualified q, String inner, int depth) {
        String word = switch (q.kind()) {
            case DwTag.CONST_TYPE -> "const";
            case DwTag.VOLATILE_TYPE -> "volatile";
            case DwTag.RESTRICT_TYPE -> "restrict";
            default -> "_Atomic";
        };
        Type target = types.type(q.target());
        if (target instanceof Type.Pointer) {
            return declare(types, target, " " + word + (inner.isEmpty() ? "" : " " + inner), depth + 1);
        }
        return word + " " + declare(types, target, inner, depth + 1);
    }

    /**
     * GCC names base types "long unsigned int", "short int"; C (and gdb, drgn) say "unsigned
     * long", "short": "unsigned"/"signed" first, "int" dropped beside short or long.
     */
    static String baseName(String dwarf) {
        if (dwarf == null) {
            return "?";
        }
        List<String> words = new ArrayList<>(List.of(dwarf.split(" ")));
        if (words.contains("int") && (words.contains("long") || words.contains("short"))) {
            words.remove("int");
        }
        for (String sign : List.of("unsigned", "signed")) {
            if (words.remove(sign)) {
                words.addFirst(sign);
            }
        }
        return String.join(" ", words);
    }

    private static String keyword(int tag) {
        return tag == DwTag.UNION_TYPE ? "union" : tag == 0x02 ? "class" : "struct";
    }

    /** gdb's spacing: "char *", "char [16]", "void (*)(int)"; a bare name alone. */
    private static String join(String base, String inner) {
        return inner.isEmpty() ? base : base + " " + inner;
    }
}
