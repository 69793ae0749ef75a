package kdive.dwarf;

import java.util.List;
import java.util.Optional;

/**
 * A debugging information entry (DWARF 5 §2.1), decoded with its attributes. A {@code tag} of 0
 * is the null entry that ends a list of siblings.
 */
public record Die(Unit unit, long offset, int depth, int tag, boolean hasChildren, List<Attribute> attributes) {

    public boolean isNull() {
        return tag == 0;
    }

    /** The first value of attribute {@code name}. */
    public Optional<AttrValue> find(int name) {
        for (Attribute a : attributes) {
            if (a.name() == name) {
                return Optional.of(a.value());
            }
        }
        return Optional.empty();
    }

    /** The first value of attribute {@code name}, or null. */
    public AttrValue get(int name) {
        for (Attribute a : attributes) {
            if (a.name() == name) {
                return a.value();
            }
        }
        return null;
    }
}
