package kdive.oops.internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * Finds which oops headers ({@code "BUG:"}, {@code "general protection fault"}...) occur in a
 * line with one pass over its characters: an Aho-Corasick automaton over the header texts with a
 * dense transition table, so a noise line costs one table lookup per character.
 */
public final class HeaderScanner {

    private final int alphabet;
    private final byte[] charClass = new byte[128];
    private final int[] next;      // state * alphabet + class -> state
    private final long[] output;   // state -> bit set of header indexes ending here
    /** For {@link #any}: state * alphabet + class -> next state * alphabet, or -1 where a header ends. */
    private final int[] anyNext;
    private final int headerCount;
    private final int minLength;

    public HeaderScanner(List<String> headers) {
        if (headers.size() > 64) {
            throw new IllegalArgumentException("at most 64 headers");
        }
        headerCount = headers.size();
        byte cls = 1;
        int min = Integer.MAX_VALUE;
        for (String h : headers) {
            min = Math.min(min, h.length());
            for (int i = 0; i < h.length(); i++) {
                char c = h.charAt(i);
                if (c >= 128) {
                    throw new IllegalArgumentException("headers are ASCII");
                }
                if (c == '\r') {
                    throw new IllegalArgumentException("headers hold no carriage return");
                }
                if (charClass[c] == 0) {
                    charClass[c] = cls++;
                }
            }
        }
        minLength = min;
        // Carriage returns get a class of their own that never changes the state: the parser
        // removes every \r from a line, so "BU\rG:" must match "BUG:" here too.
        int carriageReturn = cls++;
        charClass['\r'] = (byte) carriageReturn;
        alphabet = cls;
        // Trie.
        int maxStates = 1 + headers.stream().mapToInt(String::length).sum();
        int[] trie = new int[maxStates * alphabet];
        Arrays.fill(trie, -1);
        long[] out = new long[maxStates];
        int states = 1;
        for (int h = 0; h < headers.size(); h++) {
            String s = headers.get(h);
            int st = 0;
            for (int i = 0; i < s.length(); i++) {
                int c = charClass[s.charAt(i)];
                if (trie[st * alphabet + c] < 0) {
                    trie[st * alphabet + c] = states++;
                }
                st = trie[st * alphabet + c];
            }
            out[st] |= 1L << h;
        }
        // Failure links, turned into a full transition table (breadth first).
        int[] fail = new int[states];
        next = new int[states * alphabet];
        output = Arrays.copyOf(out, states);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < alphabet; c++) {
            int t = trie[c];
            if (t > 0) {
                fail[t] = 0;
                next[c] = t;
                queue.add(t);
            } else {
                next[c] = 0;
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            output[s] |= output[fail[s]];
            for (int c = 0; c < alphabet; c++) {
                int t = trie[s * alphabet + c];
                if (t > 0) {
                    fail[t] = next[fail[s] * alphabet + c];
                    next[s * alphabet + c] = t;
                    queue.add(t);
                } else {
                    next[s * alphabet + c] = next[fail[s] * alphabet + c];
                }
            }
        }
        for (int st = 0; st < states; st++) {
            next[st * alphabet + carriageReturn] = st;
        }
        // Premultiplied rows and a folded accept test: one load and one compare per character.
        anyNext = new int[next.length];
        for (int i = 0; i < next.length; i++) {
            anyNext[i] = output[next[i]] != 0 ? -1 : next[i] * alphabet;
        }
    }

    /** Bit {@code i} is set when header {@code i} occurs in {@code line}. */
    public long scan(CharSequence line) {
        int n = line.length();
        if (n < minLength) {
            return 0;
        }
        int st = 0;
        long found = 0;
        final byte[] cc = charClass;
        final int[] tbl = next;
        final int a = alphabet;
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            int cls = c < 128 ? cc[c] : 0;
            st = tbl[st * a + cls];
            found |= output[st];
        }
        return found;
    }

    /** True when at least one header occurs in {@code line}. */
    public boolean any(CharSequence line) {
        int n = line.length();
        if (n < minLength) {
            return false;
        }
        int row = 0;
        final byte[] cc = charClass;
        final int[] tbl = anyNext;
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            row = tbl[row + (c < 128 ? cc[c] : 0)];
            if (row < 0) {
                return true;
            }
        }
        return false;
    }

    /** {@link #any(CharSequence)} over raw bytes: every header is ASCII, so bytes >= 0x80 match nothing. */
    public boolean any(byte[] bytes, int offset, int length) {
        if (length < minLength) {
            return false;
        }
        int row = 0;
        final byte[] cc = charClass;
        final int[] tbl = anyNext;
        for (int i = offset, end = offset + length; i < end; i++) {
            int c = bytes[i];
            row = tbl[row + (c >= 0 ? cc[c] : 0)];
            if (row < 0) {
                return true;
            }
        }
        return false;
    }

    public int headerCount() {
        return headerCount;
    }
}
