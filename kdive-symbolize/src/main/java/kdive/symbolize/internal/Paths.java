package kdive.symbolize.internal;

import kdive.dwarf.LineTable;

/** File names as binutils' concat_filename builds them. */
final class Paths {
    static final String UNKNOWN = "<unknown>";

    private Paths() {}

    static String of(LineTable t, long index) {
        if (t == null) {
            return UNKNOWN;
        }
        String p = t.path(index);
        return p == null ? UNKNOWN : p;
    }
}
