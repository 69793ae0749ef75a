package kdive.kernel.expr;

import java.util.List;
import kdive.io.UsageException;

/**
 * C's base type specifiers in any order ("long unsigned int", "unsigned long") reduced to one
 * spelling: signedness, then length, then the base ("unsigned long", "long long", "signed char",
 * "unsigned int"). The evaluator maps that spelling to the DWARF base type (gcc names them
 * "long unsigned int", "long long int").
 */
final class BaseTypeWords {
    private BaseTypeWords() {}

    static String canonical(List<String> words, int column) {
        int longs = 0;
        int shorts = 0;
        String sign = null;
        String base = null;
        for (String w : words) {
            switch (w) {
                case "long" -> longs++;
                case "short" -> shorts++;
                case "signed", "unsigned" -> {
                    if (sign != null) {
                        throw invalid(words, column);
                    }
                    sign = w;
                }
                default -> {
                    if (base != null) {
                        throw invalid(words, column);
                    }
                    base = w.equals("bool") ? "_Bool" : w;
                }
            }
        }
        boolean integer = base == null || base.equals("int") || base.equals("char");
        if (longs > 2 || shorts > 1 || longs > 0 && shorts > 0
                || !integer && sign != null
                || (longs > 0 || shorts > 0) && base != null && !base.equals("int") && !(base.equals("double") && longs == 1)
                || base != null && base.equals("char") && (longs > 0 || shorts > 0)) {
            throw invalid(words, column);
        }
        if (base != null && base.equals("double") && longs == 1) {
            return "long double";
        }
        if (base != null && !base.equals("int")) {
            return sign != null && base.equals("char") ? sign + " char" : base;
        }
        String length = longs == 2 ? "long long" : longs == 1 ? "long" : shorts == 1 ? "short" : "int";
        return sign != null && sign.equals("unsigned") ? "unsigned " + length : length;
    }

    private static UsageException invalid(List<String> words, int column) {
        return new UsageException("column %d: '%s' is not a C type".formatted(column, String.join(" ", words)));
    }
}
