package kdive.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        String s = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        return s.startsWith("\u007fELF") || s.startsWith("KDUMP   ") || s.startsWith("DISKDUMP")
                || s.startsWith("makedumpfile");
    }
}
