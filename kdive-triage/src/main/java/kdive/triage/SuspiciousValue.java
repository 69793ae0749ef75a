package kdive.triage;

import java.util.Optional;

/**
 * Names the values a kernel engineer recognises on sight in a register or a faulting address:
 * NULL (and NULL plus a member offset), list and slab poison, KASAN shadow, non-canonical and
 * user addresses. The constants are the kernel's own (include/linux/poison.h, mm/kasan).
 */
public final class SuspiciousValue {

    /** Faults below this address are member accesses through a NULL pointer (the default mmap_min_addr). */
    static final long NEAR_NULL_LIMIT = 0x10000;
    private static final long POISON_POINTER_DELTA = 0xdead000000000000L;
    private static final long KASAN_SHADOW_OFFSET = 0xdffffc0000000000L;

    private SuspiciousValue() {}

    /** A short description ("NULL", "LIST_POISON1", "slab free poison 0x6b"...), or empty for an ordinary value. */
    public static Optional<String> describe(long v) {
        if (v == 0) {
            return Optional.of("NULL");
        }
        if (Long.compareUnsigned(v, NEAR_NULL_LIMIT) < 0) {
            return Optional.of("NULL + 0x%x".formatted(v));
        }
        // Without CONFIG_ILLEGAL_POINTER_VALUE the delta is 0 (32-bit and old kernels).
        for (long delta : new long[] {POISON_POINTER_DELTA, 0}) {
            if (v == delta + 0x100) {
                return Optional.of("LIST_POISON1 (list entry already deleted: next)");
            }
            if (v == delta + 0x122) {
                return Optional.of("LIST_POISON2 (list entry already deleted: prev)");
            }
            if (v == delta + 0x00100100L) {
                return Optional.of("LIST_POISON1 (list entry already deleted: next)");
            }
            if (v == delta + 0x00200200L) {
                return Optional.of("LIST_POISON2 (list entry already deleted: prev)");
            }
        }
        if ((v & 0xffffffffffff0000L) == POISON_POINTER_DELTA) {
            return Optional.of("poison pointer (POISON_POINTER_DELTA + 0x%x)".formatted(v - POISON_POINTER_DELTA));
        }
        if (repeated(v, 0x6b) || repeated(v, 0x6b6b6b6b)) {
            return Optional.of("slab free poison 0x6b (use after free)");
        }
        if (repeated(v, 0x5a)) {
            return Optional.of("slab uninitialized poison 0x5a (read of never-written memory)");
        }
        if (repeated(v, 0xa5)) {
            return Optional.of("slab end poison 0xa5");
        }
        if (repeated(v, 0xcc) || repeated(v, 0xbb)) {
            return Optional.of("slab redzone poison 0x%02x (out of bounds)".formatted(v & 0xff));
        }
        if (Long.compareUnsigned(v, KASAN_SHADOW_OFFSET) >= 0
                && Long.compareUnsigned(v, KASAN_SHADOW_OFFSET + (1L << 44)) < 0) {
            long shadowOf = (v - KASAN_SHADOW_OFFSET) << 3;
            if (Long.compareUnsigned(shadowOf, NEAR_NULL_LIMIT) < 0) {
                return Optional.of("KASAN shadow of NULL + 0x%x".formatted(shadowOf));
            }
        }
        if (!canonical(v)) {
            return Optional.of("non-canonical address");
        }
        return Optional.empty();
    }

    /** x86-64 4-level paging: bits 63..47 must all equal bit 47. */
    public static boolean canonical(long v) {
        long top = v >> 47;
        return top == 0 || top == -1;
    }

    public static boolean isUserAddress(long v) {
        return v != 0 && Long.compareUnsigned(v, 0x0000800000000000L) < 0;
    }

    private static boolean repeated(long v, int pattern) {
        if (pattern > 0xff) {
            return v == (((long) pattern << 32) | (pattern & 0xffffffffL));
        }
        long b = pattern & 0xff;
        long all = b * 0x0101010101010101L;
        return v == all;
    }
}
