package kdive.dump.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import kdive.io.FormatException;

/** A file mapped read-only; slices are views (no copy). */
public final class MappedSource implements ByteSource {
    private final String name;
    private final Arena arena;
    private final MemorySegment data;
    /**
     * Ownership passes down the open path (file, flattened index, inner reader) and each level closes
     * what it owns on error; closing twice must therefore be harmless, or the second close's
     * "Already closed" would replace the real parse error.
     */
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private MappedSource(String name, Arena arena, MemorySegment data) {
        this.name = name;
        this.arena = arena;
        this.data = data;
    }

    public static MappedSource open(Path path) {
        kdive.io.InputFiles.checkRegular(path);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return new MappedSource(path.toString(), arena, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena));
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes already in memory (tests); {@code name} is used in messages. */
    public static MappedSource of(MemorySegment bytes, String name) {
        return new MappedSource(name, Arena.ofShared(), bytes);
    }

    public MemorySegment segment() { return data; }

    @Override
    public String name() { return name; }

    @Override
    public long size() { return data.byteSize(); }

    @Override
    public MemorySegment slice(long offset, long length) {
        if (offset < 0 || length < 0 || offset > data.byteSize() - length) {
            throw new FormatException(name, offset, "%d bytes within the file's %d".formatted(length, data.byteSize()));
        }
        return data.asSlice(offset, length);
    }

    @Override
    public boolean truncated() { return false; }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            arena.close();
        }
    }
}
