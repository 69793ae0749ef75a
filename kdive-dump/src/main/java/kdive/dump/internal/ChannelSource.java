package kdive.dump.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import kdive.io.FormatException;

/**
 * A file read with positional reads instead of a mapping: /proc/kcore, which procfs does not let
 * a process map and whose size (the kernel's whole virtual range, ~128 TiB on x86-64) is mostly
 * holes. Slices are heap copies, so callers ask only for what they use (headers, notes, pages).
 */
public final class ChannelSource implements ByteSource {
    /** Largest single read; dump readers ask for headers, notes and pages, all far below this. */
    private static final long MAX_SLICE = 1L << 30;
    private final String name;
    private final FileChannel ch;
    private final long size;

    private ChannelSource(String name, FileChannel ch, long size) {
        this.name = name;
        this.ch = ch;
        this.size = size;
    }

    public static ChannelSource open(Path path) {
        kdive.io.InputFiles.checkRegular(path);
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            try {
                return new ChannelSource(path.toString(), ch, ch.size());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() { return name; }

    @Override
    public long size() { return size; }

    @Override
    public MemorySegment slice(long offset, long length) {
        if (offset < 0 || length < 0 || offset > size - length || length > MAX_SLICE) {
            throw new FormatException(name, offset, "%d bytes within the file's %d".formatted(length, size));
        }
        ByteBuffer buf = ByteBuffer.allocate((int) length);
        try {
            while (buf.hasRemaining()) {
                int n = ch.read(buf, offset + buf.position());
                if (n < 0) {
                    throw new FormatException(name, offset + buf.position(),
                            "%d more bytes; the file ended (it shrank while open)".formatted(buf.remaining()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("%s: read of %d bytes at offset 0x%x".formatted(name, length, offset), e);
        }
        return MemorySegment.ofArray(buf.array());
    }

    @Override
    public boolean truncated() { return false; }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
