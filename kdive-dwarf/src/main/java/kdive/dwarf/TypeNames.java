package kdive.dwarf;

import java.util.ArrayList;

/** C spellings of {@link Type}s as a declaration without a name: {@code struct sk_buff *}, {@code char [16]}, {@code void (*)(int)}. */
public final class TypeNames {
    /** Deeper nesting than this is a cyclic or corrupt type graph, spelled as "?". */
    private static final int MAX_DEPTH = 32;

    private TypeNames() {}

    /** The C name of the type at DIE offset {@code offset} (-1 is void). */
    public static String of(Types types, long offset) {
        return of(types, types.type(offset));
    }

    /**
     * The C declaration of {@code declarator} with the type at {@code offset}: "*" gives the name of a
     * pointer to it, "[4]" of an array of it, "(*)[4]" of a pointer to such an array. Lets a caller
     * spell types made on the fly around a DIE's type.
     */
    public static String of(Types types, long offset, String declarator) {
        return declare(types, offset, declarator, 0).strip();
    }

    /** The C name of {@code t}, which may be made up (a pointer to a DIE's type that has no DIE itself). */
    public static String of(Types types, Type t) {
        return declare(types, t, "", 0).strip();
    }

    private static String declare(Types types, long offset, String declarator, int depth) {
        return declare(types, types.type(offset), declarator, depth);
    }

    private static String declare(Types types, Type t, String declarator, int depth) {
        if (depth > MAX_DEPTH) {
            return "?" + spaced(declarator);
        }
        return switch (t) {
            case Type.Void v -> "void" + spaced(declarator);
            case Type.Base b -> cName(b.name()) + spaced(declarator);
            case Type.Typedef td -> td.name() + spaced(declarator);
            case Type.Struct s -> keyword(s.kind()) + (s.name() == null ? "{...}" : s.name()) + spaced(declarator);
            case Type.Enum e -> "enum " + (e.name() == null ? "{...}" : e.name()) + spaced(declarator);
            case Type.Pointer p -> {
                Type target = types.type(p.target());
                boolean wrap = target instanceof Type.Function || target instanceof Type.Array;
                yield declare(types, p.target(), wrap ? "(*" + declarator + ")" : "*" + declarator, depth + 1);
            }
            case Type.Qualified q -> {
                // A chain of qualifiers, printed once each in C's usual order.
                var kinds = new java.util.TreeSet<Integer>(java.util.Comparator.comparingInt(TypeNames::rank));
                long target = q.offset();
                for (int hops = 0; hops < MAX_DEPTH && types.type(target) instanceof Type.Qualified inner; hops++) {
                    kinds.add(inner.kind());
                    target = inner.target();
                }
                String words = String.join(" ", kinds.stream().map(TypeNames::qualifier).toList());
                Type under = types.type(target);
                if (under instanceof Type.Array) {
                    // Qualifying an array qualifies its elements (C11 6.7.3p9); GCC repeats them there.
                    yield declare(types, target, declarator, depth + 1);
                }
                if (under instanceof Type.Pointer) {
                    yield declare(types, target, words + (declarator.isEmpty() ? "" : " " + declarator), depth + 1);
                }
                yield words + " " + declare(types, target, declarator, depth + 1);
            }
            case Type.Array a -> {
                var dims = new StringBuilder();
                for (long n : a.counts()) {
                    dims.append('[').append(n < 0 ? "" : Long.toString(n)).append(']');
                }
                String inner = declarator.isEmpty() ? dims.toString() : declarator + dims;
                yield declare(types, a.element(), inner, depth + 1);
            }
            case Type.Function f -> {
                var params = new ArrayList<String>();
                for (long p : f.parameters()) {
                    params.add(declare(types, p, "", depth + 1).strip());
                }
                if (f.variadic()) {
                    params.add("...");
                }
                if (params.isEmpty()) {
                    params.add("void");
                }
                yield declare(types, f.returnType(), declarator + "(" + String.join(", ", params) + ")", depth + 1);
            }
            case Type.Other o -> (o.name() == null ? "?" : o.name()) + spaced(declarator);
        };
    }

    /** GCC names base types "long unsigned int"; C and gdb say "unsigned long". */
    static String cName(String dwarfName) {
        if (dwarfName == null) {
            return "?";
        }
        return switch (dwarfName) {
            case "long unsigned int" -> "unsigned long";
            case "long int" -> "long";
            case "long long unsigned int" -> "unsigned long long";
            case "long long int" -> "long long";
            case "short unsigned int" -> "unsigned short";
            case "short int" -> "short";
            default -> dwarfName;
        };
    }

    private static int rank(int qualifierTag) {
        return switch (qualifierTag) {
            case DwTag.CONST_TYPE -> 0;
            case DwTag.VOLATILE_TYPE -> 1;
            case DwTag.RESTRICT_TYPE -> 2;
            default -> 3;
        };
    }

    private static String spaced(String declarator) {
        return declarator.isEmpty() ? "" : " " + declarator;
    }

    private static String keyword(int tag) {
        return switch (tag) {
            case DwTag.UNION_TYPE -> "union ";
            case DwTag.STRUCTURE_TYPE -> "struct ";
            default -> "class ";
        };
    }

    private static String qualifier(int tag) {
        return switch (tag) {
            case DwTag.CONST_TYPE -> "const";
            case DwTag.VOLATILE_TYPE -> "volatile";
            case DwTag.RESTRICT_TYPE -> "restrict";
            default -> "_Atomic";
        };
    }
}
