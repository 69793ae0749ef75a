package kdive.server.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import kdive.io.UsageException;

/**
 * Reports waiting for the server: one JSON request body per file, named by its hash, so spooling the
 * same report twice keeps one file. Written to a temporary file and renamed, so a crash while spooling
 * leaves either nothing or a complete file. Refused ones move to {@code rejected/} for a human to read.
 */
public final class Spool {
    private final Path dir;

    public Spool(Path dir) {
        this.dir = dir;
    }

    public Path put(String payload) {
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(Hashes.sha256Hex(payload).substring(0, 32) + ".json");
            Path tmp = Files.createTempFile(dir, ".spool-", ".tmp");
            Files.writeString(tmp, payload, StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UsageException(dir + ": cannot spool a report: " + e.getMessage(), e);
        }
    }

    /** Spooled files, oldest first. */
    public List<Path> pending() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(java.util.Comparator.comparing(Spool::mtime).thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new UsageException(dir + ": cannot list the spool: " + e.getMessage(), e);
        }
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    public String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void remove(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void reject(Path p) {
        try {
            Path rejected = Files.createDirectories(dir.resolve("rejected"));
            Files.move(p, rejected.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
