package kdive.testkit;

/** Byte-array searches for tests that plant or find text inside a real dump's bytes. */
public final class Bytes {
    private Bytes() {}

    /** The first index of {@code needle} in {@code hay}, or -1. */
    public static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, needle, 0);
    }

    /** The first index at or after {@code from} of {@code needle} in {@code hay}, or -1. */
    public static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
