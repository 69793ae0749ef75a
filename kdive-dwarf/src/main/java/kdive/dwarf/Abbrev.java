package kdive.dwarf;

/**
 * One abbreviation declaration (DWARF 5 §7.5.3): a tag, a children flag and the attribute
 * specifications; {@code implicitConst[i]} holds the value of a DW_FORM_implicit_const attribute.
 */
public record Abbrev(long code, int tag, boolean hasChildren, int[] names, Form[] forms, long[] implicitConst) {

    public int attributeCount() {
        return names.length;
    }
}
