package kdive.dwarf.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import kdive.dwarf.AttrValue;
import kdive.dwarf.DwarfSections;
import kdive.io.FormatException;

/** Reads NUL-terminated strings out of string sections. */
public final class Strings {
    private Strings() {}

    public static String at(DwarfSections s, AttrValue.Str v) {
        return at(s, v.section(), v.offset(), v.form().name());
    }

    public static String at(DwarfSections s, MemorySegment section, long offset, String what) {
        long size = section.byteSize();
        if (offset < 0 || offset >= size) {
            throw new FormatException(s.file(), offset, "a %s string offset below the section size %d".formatted(what, size));
        }
        long end = offset;
        while (end < size && section.get(ValueLayout.JAVA_BYTE, end) != 0) {
            end++;
        }
        if (end >= size) {
            throw new FormatException(s.file(), offset, "a NUL-terminated %s string".formatted(what));
        }
        return new String(section.asSlice(offset, end - offset).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
