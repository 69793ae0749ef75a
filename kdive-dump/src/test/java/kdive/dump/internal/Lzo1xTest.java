package kdive.dump.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.v3.lzo.LzoCompressor;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The LZO1X decoder against aircompressor's LZO1X encoder (round trips over page-like data),
 * and on arbitrary or damaged input: a length or -1, never an exception or a write past the page.
 * The real makedumpfile -l pages are checked in RealDumpTest (kdump-lzo against kdump-zlib).
 */
class Lzo1xTest {

    @Property(tries = 300)
    void roundTrips(@ForAll @IntRange(min = 1, max = 4096) int size, @ForAll @IntRange(min = 1, max = 256) int alphabet,
            @ForAll long seed) {
        byte[] page = pageLike(size, alphabet, new Random(seed));
        byte[] packed = compress(page);
        byte[] out = new byte[size];
        assertThat(Lzo1x.decompress(MemorySegment.ofArray(packed), out)).isEqualTo(size);
        assertThat(out).isEqualTo(page);
        // Too small an output buffer is malformed input, not an overrun.
        if (size > 1) {
            assertThat(Lzo1x.decompress(MemorySegment.ofArray(packed), new byte[size - 1])).isEqualTo(-1);
        }
    }

    @Property(tries = 500)
    void damagedInputNeverThrows(@ForAll @IntRange(min = 1, max = 4096) int size, @ForAll long seed,
            @ForAll @Size(max = 6) java.util.List<@IntRange(min = 0, max = 100_000) Integer> hits) {
        var rnd = new Random(seed);
        byte[] packed = compress(pageLike(size, 1 + rnd.nextInt(40), rnd));
        for (int h : hits) {
            packed[h % packed.length] = (byte) rnd.nextInt(256);
        }
        byte[] cut = Arrays.copyOf(packed, rnd.nextInt(packed.length + 1));
        for (byte[] in : new byte[][] {packed, cut}) {
            int n = Lzo1x.decompress(MemorySegment.ofArray(in), new byte[4096]);
            assertThat(n).isBetween(-1, 4096);
        }
    }

    private static byte[] compress(byte[] page) {
        var c = new LzoCompressor();
        byte[] packed = new byte[c.maxCompressedLength(page.length)];
        int n = c.compress(page, 0, page.length, packed, 0, packed.length);
        return Arrays.copyOf(packed, n);
    }

    /** Runs, repeats and noise, like kernel pages: small alphabets compress, large ones do not. */
    private static byte[] pageLike(int size, int alphabet, Random rnd) {
        byte[] b = new byte[size];
        int i = 0;
        while (i < size) {
            int run = 1 + rnd.nextInt(64);
            if (rnd.nextInt(3) == 0 && i > 8) {
                int from = rnd.nextInt(i);
                for (int k = 0; k < run && i < size; k++) {
                    b[i++] = b[from + k % (i - from)];
                }
            } else {
                for (int k = 0; k < run && i < size; k++) {
                    b[i++] = (byte) rnd.nextInt(alphabet);
                }
            }
        }
        return b;
    }
}
