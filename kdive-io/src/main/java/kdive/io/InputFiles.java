package kdive.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Input files are mapped or read by offset, so they must be regular files: opening a FIFO blocks
 * until a writer comes (forever, from a shell), and mapping a directory or a device fails with an
 * errno text that names no path ("No such device").
 */
public final class InputFiles {
    private InputFiles() {}

    /** {@code path} when it is a regular file (links followed); else one line saying what it is not. */
    public static Path require(Path path, String what) {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (Files.exists(path)) {
            throw notRegular(path);
        }
        throw new UsageException(path + ": no such " + what);
    }

    /** Refuses an existing path that is not a regular file; a missing one is left to the open that follows. */
    public static void checkRegular(Path path) {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw notRegular(path);
        }
    }

    private static UsageException notRegular(Path path) {
        return new UsageException("not a regular file: " + path);
    }
}
