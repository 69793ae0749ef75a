package kdive.elf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One ELF note (System V gABI "Note Section"). {@code desc} is a view into the mapped file (not a
 * copy); {@code descOffset} is its offset in the file, for error messages and for callers that
 * parse the descriptor (e.g. NT_PRSTATUS, VMCOREINFO) with their own {@code BinaryReader}.
 */
public record Note(String name, int type, MemorySegment desc, long descOffset) {

    public static final int NT_PRSTATUS = 1;
    public static final int NT_PRPSINFO = 3;
    public static final int NT_GNU_BUILD_ID = 3;

    /** A heap copy of the descriptor bytes. */
    public byte[] descBytes() {
        return desc.toArray(ValueLayout.JAVA_BYTE);
    }

    public boolean is(String noteName, int noteType) {
        return name.equals(noteName) && type == noteType;
    }
}
