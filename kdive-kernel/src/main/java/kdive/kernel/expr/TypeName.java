package kdive.kernel.expr;

import java.util.List;
import java.util.Objects;

/**
 * A type as written in a cast, {@code sizeof} or {@code offsetof}: the specifier ("struct sock",
 * "unsigned long", a typedef name, with qualifiers dropped since they do not change a read), then
 * {@code pointers} stars and array dimensions outermost first ({@code int *[4]} is one pointer,
 * dimensions [4]: an array of four pointers).
 */
public record TypeName(String specifier, int pointers, List<Long> dimensions) {
    public TypeName {
        Objects.requireNonNull(specifier);
        if (pointers < 0) {
            throw new IllegalArgumentException("negative pointer depth");
        }
        dimensions = List.copyOf(dimensions);
    }

    public TypeName(String specifier) {
        this(specifier, 0, List.of());
    }

    /** As C writes it: {@code struct sock *}, {@code char [16]}, {@code int *[4]}. */
    @Override
    public String toString() {
        var s = new StringBuilder(specifier);
        if (pointers > 0) {
            s.append(' ').append("*".repeat(pointers));
        }
        if (!dimensions.isEmpty()) {
            s.append(' ');
            for (long d : dimensions) {
                s.append('[').append(d).append(']');
            }
        }
        return s.toString();
    }
}
