package kdive.dump.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One of a kdump file's page bitmaps: bit {@code pfn % 8} of byte {@code pfn / 8}
 * (makedumpfile is_on(): {@code bitmap[pfn >> 3] & (1 << (pfn & 7))}), with a rank index so
 * "how many dumped pages come before this one" (the page descriptor's index) costs at most
 * eight popcounts.
 */
final class PageBitmap {
    private static final int WORDS_PER_BLOCK = 8;
    private final long[] words;
    private final long bits;
    private final long[] blockRank;
    private final long total;

    /** The first {@code bits} bits of {@code bytes} (which holds at least {@code ceil(bits / 8)} bytes). */
    PageBitmap(MemorySegment bytes, long bits) {
        this.bits = bits;
        int nwords = Math.toIntExact((bits + 63) / 64);
        this.words = new long[nwords];
        long full = Math.min(bytes.byteSize() / 8, nwords);
        MemorySegment.copy(bytes, ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, words, 0, (int) full);
        for (long i = full * 8; i < Math.min(bytes.byteSize(), (long) nwords * 8); i++) {
            words[(int) (i / 8)] |= (long) Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, i)) << (8 * (i % 8));
        }
        if (bits % 64 != 0 && nwords > 0) {
            words[nwords - 1] &= (1L << (bits % 64)) - 1; // bits past max_mapnr mean nothing
        }
        this.blockRank = new long[nwords / WORDS_PER_BLOCK + 1];
        long count = 0;
        for (int w = 0; w < nwords; w++) {
            if (w % WORDS_PER_BLOCK == 0) {
                blockRank[w / WORDS_PER_BLOCK] = count;
            }
            count += Long.bitCount(words[w]);
        }
        if (nwords % WORDS_PER_BLOCK == 0) {
            blockRank[blockRank.length - 1] = count;
        }
        this.total = count;
    }

    long bits() { return bits; }

    /** Number of set bits. */
    long count() { return total; }

    boolean get(long pfn) {
        return pfn >= 0 && pfn < bits && (words[(int) (pfn >>> 6)] >>> (pfn & 63) & 1) != 0;
    }

    /** Number of set bits below {@code pfn} ({@code 0 <= pfn <= bits}). */
    long rank(long pfn) {
        int word = (int) (pfn >>> 6);
        int block = word / WORDS_PER_BLOCK;
        long r = blockRank[block];
        for (int w = block * WORDS_PER_BLOCK; w < word; w++) {
            r += Long.bitCount(words[w]);
        }
        if ((pfn & 63) != 0) {
            r += Long.bitCount(words[word] & ((1L << (pfn & 63)) - 1));
        }
        return r;
    }
}
