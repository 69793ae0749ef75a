package kdive.dump.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.v3.snappy.SnappyJavaCompressor;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The Snappy decoder against aircompressor's encoder, and on damaged input (length or -1, no exception). */
class SnappyTest {

    @Property(tries = 300)
    void roundTrips(@ForAll @IntRange(min = 0, max = 4096) int size, @ForAll @IntRange(min = 1, max = 256) int alphabet,
            @ForAll long seed) {
        byte[] page = page(size, alphabet, new Random(seed));
        byte[] out = new byte[4096];
        assertThat(Snappy.decompress(MemorySegment.ofArray(compress(page)), out)).isEqualTo(size);
        assertThat(Arrays.copyOf(out, size)).isEqualTo(page);
    }

    @Property(tries = 500)
    void damagedInputNeverThrows(@ForAll @IntRange(min = 1, max = 4096) int size, @ForAll long seed,
            @ForAll @Size(max = 6) java.util.List<@IntRange(min = 0, max = 100_000) Integer> hits) {
        var rnd = new Random(seed);
        byte[] packed = compress(page(size, 1 + rnd.nextInt(40), rnd));
        for (int h : hits) {
            packed[h % packed.length] = (byte) rnd.nextInt(256);
        }
        byte[] cut = Arrays.copyOf(packed, rnd.nextInt(packed.length + 1));
        for (byte[] in : new byte[][] {packed, cut}) {
            assertThat(Snappy.decompress(MemorySegment.ofArray(in), new byte[4096])).isBetween(-1, 4096);
        }
    }

    private static byte[] compress(byte[] page) {
        var c = new SnappyJavaCompressor();
        byte[] packed = new byte[c.maxCompressedLength(page.length)];
        return Arrays.copyOf(packed, c.compress(page, 0, page.length, packed, 0, packed.length));
    }

    private static byte[] page(int size, int alphabet, Random rnd) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; ) {
            int run = 1 + rnd.nextInt(80);
            int from = i > 8 && rnd.nextBoolean() ? rnd.nextInt(i) : -1;
            for (int k = 0; k < run && i < size; k++, i++) {
                b[i] = from >= 0 ? b[from + k % (i - from)] : (byte) rnd.nextInt(alphabet);
            }
        }
        return b;
    }
}
