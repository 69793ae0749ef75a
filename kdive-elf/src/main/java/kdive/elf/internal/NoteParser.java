package kdive.elf.internal;

import java.util.ArrayList;
import java.util.List;
import kdive.elf.Note;
import kdive.io.BinaryReader;

/** Parses a sequence of notes (gABI "Note Section"): namesz, descsz, type, name, desc, each padded. */
public final class NoteParser {
    private NoteParser() {}

    /**
     * @param r the note bytes
     * @param align 4, or 8 for segments/sections aligned to 8 (GNU property notes); name and desc are
     *     padded to this alignment
     */
    public static List<Note> parse(BinaryReader r, int align) {
        var out = new ArrayList<Note>();
        // Each note takes at least 12 bytes, so the loop is bounded by the input's size.
        while (r.remaining() >= 12) {
            long start = r.position();
            long namesz = r.u32();
            long descsz = r.u32();
            int type = r.s32();
            if (namesz > r.remaining()) {
                throw r.error(start, "a note name of %d bytes within the %d remaining".formatted(namesz, r.remaining()));
            }
            byte[] nameBytes = r.bytes((int) namesz);
            int len = 0;
            while (len < nameBytes.length && nameBytes[len] != 0) {
                len++;
            }
            String name = new String(nameBytes, 0, len, java.nio.charset.StandardCharsets.US_ASCII);
            skipPadding(r, align);
            if (descsz > r.remaining()) {
                throw r.error(r.position(), "a note descriptor of %d bytes within the %d remaining".formatted(descsz, r.remaining()));
            }
            long descPos = r.position();
            var desc = r.segment().asSlice(descPos, descsz);
            r.skip(descsz);
            out.add(new Note(name, type, desc, r.fileOffset() - descsz));
            skipPadding(r, align);
        }
        return List.copyOf(out);
    }

    /** Name and desc start at offsets aligned to {@code align} from the start of the note area. */
    private static void skipPadding(BinaryReader r, int align) {
        long pad = (align - (r.position() % align)) % align;
        r.skip(Math.min(pad, r.remaining()));
    }
}
