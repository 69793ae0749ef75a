package kdive.dump.internal;

import java.lang.foreign.MemorySegment;

/**
 * The bytes of a dump file as the format describes them: the mapped file itself, or the file a
 * flattened dump stands for (its records indexed, never reassembled). Thread-safe.
 */
public sealed interface ByteSource extends AutoCloseable permits MappedSource, FlattenedSource, ChannelSource {

    /** File name for error messages. */
    String name();

    /** Size of the (logical) file. */
    long size();

    /**
     * The {@code length} bytes at {@code offset}; a view into the mapping when they are contiguous
     * there, else a heap copy. The range must lie within {@link #size()}.
     */
    MemorySegment slice(long offset, long length);

    /** Whether the source ends before its format says it should (an interrupted capture). */
    boolean truncated();

    @Override
    void close();
}
