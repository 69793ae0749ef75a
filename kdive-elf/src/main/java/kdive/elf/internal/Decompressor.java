package kdive.elf.internal;

import io.airlift.compress.v3.MalformedInputException;
import io.airlift.compress.v3.zstd.ZstdJavaDecompressor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import kdive.io.BinaryReader;
import kdive.io.FormatException;

/**
 * Uncompresses SHF_COMPRESSED sections (gABI "Section Compression": Elf_Chdr then the stream)
 * and GNU {@code .zdebug_*} sections ("ZLIB" + 8-byte big-endian size, then a zlib stream) into
 * native memory of the file's arena, so nothing the size of a section lands on the Java heap.
 */
public final class Decompressor {
    public static final int ELFCOMPRESS_ZLIB = 1;
    public static final int ELFCOMPRESS_ZSTD = 2;

    /** Refuse claimed sizes that no real debug section reaches, so a corrupt header cannot exhaust memory. */
    private static final long MAX_RATIO = 1024;

    private Decompressor() {}

    /** @param r reader over the section's file bytes, positioned at the Elf_Chdr */
    public static MemorySegment chdr(BinaryReader r, boolean is64, Arena arena, String what) {
        int type = r.s32();
        long size;
        if (is64) {
            r.u32(); // ch_reserved
            size = r.u64();
            r.u64(); // ch_addralign
        } else {
            size = r.u32();
            r.u32(); // ch_addralign
        }
        MemorySegment input = r.segment().asSlice(r.position());
        return switch (type) {
            case ELFCOMPRESS_ZLIB -> inflate(r, input, checkedSize(r, size, input, what), arena, what);
            case ELFCOMPRESS_ZSTD -> unzstd(r, input, checkedSize(r, size, input, what), arena, what);
            default -> throw r.error(0, "%s: ch_type 1 (zlib) or 2 (zstd), got %d".formatted(what, type));
        };
    }

    /** @param r reader over a {@code .zdebug_*} section's file bytes */
    public static MemorySegment zdebug(BinaryReader r, Arena arena, String what) {
        byte[] magic = r.bytes(4);
        if (magic[0] != 'Z' || magic[1] != 'L' || magic[2] != 'I' || magic[3] != 'B') {
            throw r.error(0, "%s: the \"ZLIB\" magic of a .zdebug section".formatted(what));
        }
        long size = 0;
        for (int i = 0; i < 8; i++) {
            size = size << 8 | r.u8();
        }
        MemorySegment input = r.segment().asSlice(r.position());
        return inflate(r, input, checkedSize(r, size, input, what), arena, what);
    }

    private static long checkedSize(BinaryReader r, long size, MemorySegment input, String what) {
        if (size < 0 || size > Math.max(4096, input.byteSize() * MAX_RATIO) || size > Integer.MAX_VALUE) {
            throw r.error(0, "%s: an uncompressed size proportionate to %d compressed bytes, got %d"
                    .formatted(what, input.byteSize(), size));
        }
        return size;
    }

    private static MemorySegment inflate(BinaryReader r, MemorySegment input, long size, Arena arena, String what) {
        MemorySegment out = arena.allocate(Math.max(size, 1)).asSlice(0, size);
        var inflater = new Inflater();
        try {
            inflater.setInput(input.asByteBuffer());
            var buf = out.asByteBuffer();
            while (buf.hasRemaining() && !inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
            }
            if (buf.hasRemaining()) {
                throw r.error(0, "%s: a zlib stream of %d bytes, got %d".formatted(what, size, buf.position()));
            }
            return out;
        } catch (DataFormatException e) {
            throw new FormatException(r.file(), r.fileOffset(), "%s: a valid zlib stream (%s)".formatted(what, e.getMessage()));
        } finally {
            inflater.end();
        }
    }

    private static MemorySegment unzstd(BinaryReader r, MemorySegment input, long size, Arena arena, String what) {
        MemorySegment out = arena.allocate(Math.max(size, 1)).asSlice(0, size);
        try {
            int n = new ZstdJavaDecompressor().decompress(input, out);
            if (n != size) {
                throw r.error(0, "%s: a zstd stream of %d bytes, got %d".formatted(what, size, n));
            }
            return out;
        } catch (MalformedInputException e) {
            throw new FormatException(r.file(), r.fileOffset(), "%s: a valid zstd stream (%s)".formatted(what, e.getMessage()));
        } catch (RuntimeException e) {
            // A third-party decoder fed corrupt bytes may fail in any way; it is still bad input.
            throw new FormatException(r.file(), r.fileOffset(), "%s: a valid zstd stream (%s)".formatted(what, e));
        }
    }
}
