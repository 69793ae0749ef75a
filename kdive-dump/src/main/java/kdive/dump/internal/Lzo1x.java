package kdive.dump.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * LZO1X decompression (the format of liblzo2's lzo1x_1_compress, which makedumpfile -l uses),
 * bounds-checked on every input byte and output write like the kernel's
 * lib/lzo/lzo1x_decompress_safe.c. Written here rather than taken from aircompressor because
 * that decoder reads through sun.misc.Unsafe, which JDK 24+ reports on stderr at every run.
 *
 * <p>Instructions: a literal run (first byte 0..15), or a match copying from {@code distance}
 * bytes back: M1 (0..15 right after a match, 2 bytes), M2 (64..255, up to 2 KiB back),
 * M3 (32..63, up to 16 KiB back), M4 (16..31, 16-48 KiB back; distance 0 ends the stream).
 * The low two bits of a match's last distance byte give 0-3 literals that follow it.
 */
final class Lzo1x {
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;

    private Lzo1x() {}

    /** Thrown inside the decoder only; {@link #decompress} turns it into -1. */
    private static final class Malformed extends Exception {
        Malformed() {
            super(null, null, false, false);
        }
    }

    /** Decodes {@code in} into {@code out}; the number of bytes written, or -1 when malformed. */
    static int decompress(MemorySegment in, byte[] out) {
        try {
            return new Lzo1x.State(in, out).run();
        } catch (Malformed e) {
            return -1;
        }
    }

    private static final class State {
        private final byte[] in;
        private final int inEnd;
        private final byte[] out;
        private int ip;
        private int op;

        /** The input is copied to the heap first: a page is at most a few KiB, and array reads are cheaper. */
        State(MemorySegment in, byte[] out) throws Malformed {
            if (in.byteSize() > Integer.MAX_VALUE - 8) {
                throw new Malformed();
            }
            this.in = in.toArray(B);
            this.inEnd = this.in.length;
            this.out = out;
        }

        private int next() throws Malformed {
            if (ip >= inEnd) {
                throw new Malformed();
            }
            return in[ip++] & 0xff;
        }

        /** A length continued by zero bytes (each +255) and a final non-zero byte. */
        private int longLength(int base) throws Malformed {
            int t = 0;
            int b;
            while ((b = next()) == 0) {
                t += 255;
                if (t > out.length) {
                    throw new Malformed();
                }
            }
            return t + base + b;
        }

        private void literals(int n) throws Malformed {
            if (n > out.length - op || n > inEnd - ip) {
                throw new Malformed();
            }
            System.arraycopy(in, ip, out, op, n);
            ip += n;
            op += n;
        }

        private void match(int distance, int n) throws Malformed {
            int from = op - distance;
            if (from < 0 || n > out.length - op) {
                throw new Malformed();
            }
            if (distance >= n) {
                System.arraycopy(out, from, out, op, n);
                op += n;
                return;
            }
            for (int i = 0; i < n; i++) {
                out[op++] = out[from++]; // overlapping: byte by byte, as LZ77 requires
            }
        }

        int run() throws Malformed {
            int t = next();
            int state; // literals carried into the next instruction (0-3), or 4 after a literal run
            if (t > 17) {
                literals(t - 17);
                state = t - 17 < 4 ? t - 17 : 4;
            } else {
                ip--;
                state = 0;
            }
            while (true) {
                t = next();
                if (t < 16) {
                    if (state == 0) {
                        literals((t == 0 ? longLength(15) : t) + 3);
                        state = 4;
                        continue;
                    }
                    int d = next();
                    if (state == 4) { // M1 right after a literal run: 3 bytes, 2-3 KiB back
                        match(1 + 0x800 + (t >> 2) + (d << 2), 3);
                    } else {          // M1 after a match's trailing literals: 2 bytes
                        match(1 + (t >> 2) + (d << 2), 2);
                    }
                    state = t & 3;
                } else if (t >= 64) { // M2
                    int d = next();
                    match(1 + ((t >> 2) & 7) + (d << 3), (t >> 5) + 1);
                    state = t & 3;
                } else if (t >= 32) { // M3
                    int len = (t & 31) == 0 ? longLength(31) : t & 31;
                    int d0 = next();
                    int d1 = next();
                    match(1 + (d0 >> 2) + (d1 << 6), len + 2);
                    state = d0 & 3;
                } else {              // M4, or the end marker
                    int len = (t & 7) == 0 ? longLength(7) : t & 7;
                    int d0 = next();
                    int d1 = next();
                    int distance = ((t & 8) << 11) + (d0 >> 2) + (d1 << 6);
                    if (distance == 0) {
                        return op;
                    }
                    match(distance + 0x4000, len + 2);
                    state = d0 & 3;
                }
                if (state > 0) {
                    literals(state);
                }
            }
        }
    }
}
