package kdive.dump.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Rank and membership against a naive count, for any bit count (partial last word and block). */
class PageBitmapTest {

    @Property(tries = 300)
    void rankCountsTheSetBitsBelow(@ForAll @IntRange(min = 0, max = 5000) int bits, @ForAll long seed) {
        var rnd = new Random(seed);
        byte[] bytes = new byte[(bits + 7) / 8 + rnd.nextInt(3)];
        rnd.nextBytes(bytes);
        var bitmap = new PageBitmap(MemorySegment.ofArray(bytes), bits);
        long count = 0;
        for (int pfn = 0; pfn < bits; pfn++) {
            assertThat(bitmap.rank(pfn)).isEqualTo(count);
            boolean set = (bytes[pfn >> 3] & (1 << (pfn & 7))) != 0; // makedumpfile is_on()
            assertThat(bitmap.get(pfn)).isEqualTo(set);
            count += set ? 1 : 0;
        }
        assertThat(bitmap.rank(bits)).isEqualTo(count);
        assertThat(bitmap.count()).isEqualTo(count);
        assertThat(bitmap.get(bits)).isFalse();
        assertThat(bitmap.get(-1)).isFalse();
    }
}
