package kdive.dump.internal;

import io.airlift.compress.v3.Decompressor;
import io.airlift.compress.v3.MalformedInputException;
import io.airlift.compress.v3.zstd.ZstdJavaDecompressor;
import java.lang.foreign.MemorySegment;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import kdive.dump.Compression;

/**
 * The page codecs of one thread: zlib through java.util.zip (makedumpfile compress2()), LZO1X
 * by {@link Lzo1x}, raw Snappy by {@link Snappy}, Zstd frames through aircompressor's decoder
 * (which still reads through sun.misc.Unsafe). The Inflater and the Zstd decoder keep state,
 * so each thread gets its own set (see {@link KdumpPages}).
 */
final class PageCodecs {
    private final Inflater inflater = new Inflater();
    private final byte[] spare = new byte[1];
    private byte[] scratch = new byte[0];
    private Decompressor zstd;

    /** This thread's page-sized buffer for pages that are not cached. */
    byte[] scratch(int size) {
        if (scratch.length != size) {
            scratch = new byte[size];
        }
        return scratch;
    }

    /**
     * Decompresses {@code in} into {@code out}; returns the number of bytes produced, or -1 when
     * the input is malformed.
     */
    int decompress(Compression c, MemorySegment in, byte[] out) {
        try {
            return switch (c) {
                case NONE -> copy(in, out);
                case ZLIB -> inflate(in, out);
                case LZO -> Lzo1x.decompress(in, out);
                case SNAPPY -> Snappy.decompress(in, out);
                case ZSTD -> air(zstd == null ? (zstd = new ZstdJavaDecompressor()) : zstd, in, out);
            };
        } catch (MalformedInputException | DataFormatException | IndexOutOfBoundsException | IllegalArgumentException e) {
            return -1; // the caller names the page descriptor; the codec's own message adds nothing
        }
    }

    private static int copy(MemorySegment in, byte[] out) {
        if (in.byteSize() > out.length) {
            return -1;
        }
        MemorySegment.copy(in, 0, MemorySegment.ofArray(out), 0, in.byteSize());
        return (int) in.byteSize();
    }

    private int inflate(MemorySegment in, byte[] out) throws DataFormatException {
        inflater.reset();
        inflater.setInput(in.asByteBuffer());
        int n = 0;
        while (!inflater.finished()) {
            // With the page full, one more byte of room lets zlib consume its adler32 trailer
            // (and shows an oversized page as an error rather than a silent cut).
            int k = n < out.length ? inflater.inflate(out, n, out.length - n) : inflater.inflate(spare, 0, 1);
            if (n == out.length && k > 0) {
                return -1;
            }
            if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                return -1;
            }
            n += k;
        }
        return n;
    }

    private static int air(Decompressor d, MemorySegment in, byte[] out) {
        return d.decompress(in, MemorySegment.ofArray(out));
    }
}
