package kdive.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kdive.dump.DumpFormat;

/** Recognises crash dumps by their magic, so a kdump directory can be passed to text commands. */
final class DumpFiles {
    private DumpFiles() {}

    static boolean isCrashDump(Path f) {
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(f)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return false;
        }
        // "DISKDUMP" is the older diskdump format: kdive does not read it, but it is no log either.
        return DumpFormat.probe(MemorySegment.ofArray(head).asSlice(0, n)).isPresent()
                || new String(head, 0, n, StandardCharsets.ISO_8859_1).startsWith("DISKDUMP");
    }
}
