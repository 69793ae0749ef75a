package kdive.dump.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kdive.dump.DumpNote;
import kdive.io.BinaryReader;

/**
 * ELF notes (System V gABI "Note Section": namesz, descsz, type, name and desc padded to 4)
 * of a dump's note area. Kdump compressed files copy the crashed kernel's PT_NOTE bytes
 * unchanged (kdump_sub_header.offset_note), so one parser serves both formats.
 */
public final class DumpNotes {
    private DumpNotes() {}

    /** The notes in {@code area}, whose first byte is at {@code fileOffset} of {@code file}. */
    public static List<DumpNote> parse(MemorySegment area, String file, long fileOffset, ByteOrder order) {
        var r = new BinaryReader(area, file, fileOffset, order);
        var notes = new ArrayList<DumpNote>();
        while (r.remaining() >= 12) {
            long start = r.position();
            long namesz = r.u32();
            long descsz = r.u32();
            int type = r.s32();
            if (namesz == 0 && descsz == 0 && type == 0) {
                break; // zero padding after the last note (QEMU, makedumpfile)
            }
            if (namesz > r.remaining() || descsz > r.remaining()) {
                throw r.error(start, "a note whose name (%d) and desc (%d) fit in the %d bytes left"
                        .formatted(namesz, descsz, r.remaining()));
            }
            byte[] name = r.bytes((int) namesz);
            r.skip(pad(namesz));
            long descOffset = r.fileOffset();
            byte[] desc = r.bytes((int) descsz);
            r.skip(Math.min(pad(descsz), r.remaining()));
            notes.add(new DumpNote(cstring(name), type, desc, descOffset));
        }
        return List.copyOf(notes);
    }

    private static long pad(long n) {
        return (4 - (n & 3)) & 3;
    }

    private static String cstring(byte[] b) {
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.US_ASCII);
    }
}
