package kdive.dump.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Raw Snappy decompression (google/snappy format_description.txt; makedumpfile -p calls
 * snappy_compress() per page): a varint uncompressed length, then literals and back-copies
 * with 1-, 2- or 4-byte offsets. Bounds-checked; written here because aircompressor's decoder
 * reads through sun.misc.Unsafe, which JDK 24+ reports on stderr.
 */
final class Snappy {
    private Snappy() {}

    /** Decodes {@code segment} into {@code out}; the number of bytes written, or -1 when malformed. */
    static int decompress(MemorySegment segment, byte[] out) {
        if (segment.byteSize() > Integer.MAX_VALUE - 8) {
            return -1;
        }
        byte[] in = segment.toArray(ValueLayout.JAVA_BYTE);
        int ip = 0;
        long length = 0;
        for (int shift = 0; ; shift += 7) {
            if (ip >= in.length || shift > 28) {
                return -1;
            }
            int b = in[ip++] & 0xff;
            length |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                break;
            }
        }
        if (length > out.length) {
            return -1;
        }
        int op = 0;
        while (ip < in.length) {
            int tag = in[ip++] & 0xff;
            int len;
            int offset;
            switch (tag & 3) {
                case 0 -> { // literal: length-1 in the tag, or in 1-4 following bytes (tag 60-63)
                    len = (tag >>> 2) + 1;
                    if (len > 60) {
                        int extra = len - 60;
                        if (ip + extra > in.length) {
                            return -1;
                        }
                        long v = 0;
                        for (int k = 0; k < extra; k++) {
                            v |= (long) (in[ip++] & 0xff) << (8 * k);
                        }
                        if (v + 1 > out.length) {
                            return -1;
                        }
                        len = (int) v + 1;
                    }
                    if (len > in.length - ip || len > out.length - op) {
                        return -1;
                    }
                    System.arraycopy(in, ip, out, op, len);
                    ip += len;
                    op += len;
                    continue;
                }
                case 1 -> {
                    if (ip >= in.length) {
                        return -1;
                    }
                    len = 4 + ((tag >>> 2) & 7);
                    offset = (tag >>> 5) << 8 | (in[ip++] & 0xff);
                }
                case 2 -> {
                    if (ip + 2 > in.length) {
                        return -1;
                    }
                    len = (tag >>> 2) + 1;
                    offset = (in[ip] & 0xff) | (in[ip + 1] & 0xff) << 8;
                    ip += 2;
                }
                default -> {
                    if (ip + 4 > in.length) {
                        return -1;
                    }
                    len = (tag >>> 2) + 1;
                    long o = (in[ip] & 0xffL) | (in[ip + 1] & 0xffL) << 8 | (in[ip + 2] & 0xffL) << 16
                            | (in[ip + 3] & 0xffL) << 24;
                    ip += 4;
                    offset = o > out.length ? out.length + 1 : (int) o;
                }
            }
            if (offset == 0 || offset > op || len > out.length - op) {
                return -1;
            }
            int from = op - offset;
            if (offset >= len) {
                System.arraycopy(out, from, out, op, len);
                op += len;
            } else {
                for (int k = 0; k < len; k++) {
                    out[op++] = out[from++];
                }
            }
        }
        return op == length ? op : -1;
    }
}
