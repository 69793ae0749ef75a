package kdive.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over a {@link MemorySegment} with an explicit byte order. Every read is
 * bounds-checked; a read past the end becomes a {@link FormatException} naming the file
 * and the absolute file offset, so a truncated or corrupt input never surfaces as an
 * {@link IndexOutOfBoundsException}.
 *
 * <p>Not thread-safe (it has a position); create one reader per thread over the same
 * segment, which is cheap.
 */
public final class BinaryReader {
    private final MemorySegment segment;
    private final String file;
    private final long fileOffset;
    private final ValueLayout.OfShort u16;
    private final ValueLayout.OfInt u32;
    private final ValueLayout.OfLong u64;
    private final ByteOrder order;
    private long position;

    /**
     * @param segment the bytes to read
     * @param file name used in error messages
     * @param fileOffset offset of {@code segment}'s first byte in {@code file}, for messages
     * @param order byte order of multi-byte values
     */
    public BinaryReader(MemorySegment segment, String file, long fileOffset, ByteOrder order) {
        this.segment = segment;
        this.file = file;
        this.fileOffset = fileOffset;
        this.order = order;
        this.u16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        this.u32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.u64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
    }

    public static BinaryReader of(byte[] bytes, String file, ByteOrder order) {
        return new BinaryReader(MemorySegment.ofArray(bytes), file, 0, order);
    }

    public MemorySegment segment() { return segment; }

    public String file() { return file; }

    public ByteOrder order() { return order; }

    public long size() { return segment.byteSize(); }

    public long position() { return position; }

    public long remaining() { return segment.byteSize() - position; }

    public boolean hasRemaining() { return position < segment.byteSize(); }

    /** Absolute offset in the file of the current position (for error messages). */
    public long fileOffset() { return fileOffset + position; }

    public BinaryReader seek(long newPosition) {
        if (newPosition < 0 || newPosition > segment.byteSize()) {
            throw error(newPosition, "an offset within %d bytes".formatted(segment.byteSize()));
        }
        position = newPosition;
        return this;
    }

    public BinaryReader skip(long count) {
        require(count);
        position += count;
        return this;
    }

    /** A reader over {@code length} bytes at {@code offset}, sharing this reader's file and order. */
    public BinaryReader slice(long offset, long length) {
        if (offset < 0 || length < 0 || offset > segment.byteSize() - length) {
            throw error(offset, "%d bytes within the %d available".formatted(length, segment.byteSize()));
        }
        return new BinaryReader(segment.asSlice(offset, length), file, fileOffset + offset, order);
    }

    public int u8() {
        require(1);
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, position++));
    }

    public byte s8() {
        require(1);
        return segment.get(ValueLayout.JAVA_BYTE, position++);
    }

    public int u16() {
        require(2);
        int v = Short.toUnsignedInt(segment.get(u16, position));
        position += 2;
        return v;
    }

    public short s16() {
        return (short) u16();
    }

    public long u32() {
        return Integer.toUnsignedLong(s32());
    }

    public int s32() {
        require(4);
        int v = segment.get(u32, position);
        position += 4;
        return v;
    }

    /** An unsigned 64-bit value, as a {@code long} to compare with {@link Long#compareUnsigned}. */
    public long u64() {
        require(8);
        long v = segment.get(u64, position);
        position += 8;
        return v;
    }

    /** An unsigned value of 1, 2, 4 or 8 bytes. */
    public long unsigned(int width) {
        return switch (width) {
            case 1 -> u8();
            case 2 -> u16();
            case 4 -> u32();
            case 8 -> u64();
            default -> throw error(position, "a value width of 1, 2, 4 or 8 (got %d)".formatted(width));
        };
    }

    /** Unsigned LEB128 (DWARF 5 §7.6); more than 64 significant bits is a format error. */
    public long uleb128() {
        long start = position;
        long result = 0;
        int shift = 0;
        while (true) {
            int b = u8();
            if (shift < 64) {
                long part = (long) (b & 0x7f) << shift;
                if (shift > 57 && (b & 0x7f) >>> (64 - shift) != 0) {
                    throw error(start, "a ULEB128 that fits in 64 bits");
                }
                result |= part;
            } else if ((b & 0x7f) != 0) {
                throw error(start, "a ULEB128 that fits in 64 bits");
            }
            shift += 7;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }

    /** Signed LEB128 (DWARF 5 §7.6). */
    public long sleb128() {
        long result = 0;
        int shift = 0;
        int b;
        do {
            b = u8();
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) {
            result |= -1L << shift;
        }
        return result;
    }

    /** A NUL-terminated string (UTF-8); the terminator is consumed. */
    public String cstring() {
        long start = position;
        long end = start;
        long size = segment.byteSize();
        while (end < size && segment.get(ValueLayout.JAVA_BYTE, end) != 0) {
            end++;
        }
        if (end >= size) {
            throw error(start, "a NUL-terminated string");
        }
        byte[] bytes = segment.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE);
        position = end + 1;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public byte[] bytes(int count) {
        if (count < 0) {
            throw error(position, "a non-negative byte count");
        }
        require(count);
        byte[] out = segment.asSlice(position, count).toArray(ValueLayout.JAVA_BYTE);
        position += count;
        return out;
    }

    /** A format error at {@code position} (relative to this reader) naming the file offset. */
    public FormatException error(long relativePosition, String expected) {
        return new FormatException(file, fileOffset + relativePosition, expected);
    }

    private void require(long count) {
        if (count < 0 || count > segment.byteSize() - position) {
            throw error(position, "%d more byte(s), but only %d remain".formatted(count, Math.max(0, remaining())));
        }
    }
}
