package kdive.triage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import kdive.oops.ReportParser;

/**
 * Streams a log of any size and hands the parser only the regions around lines that can start a
 * crash report. Noise lines are checked as bytes ({@link ReportParser#mayStartReport(byte[], int, int)}:
 * every oops marker is ASCII) and never become Strings. Memory stays bounded: lines
 * are cut at {@link #MAX_LINE_BYTES}, a region at {@link #MAX_REGION_LINES} lines or
 * {@link #MAX_REGION_CHARS} characters.
 */
final class OopsScanner {

    /** A stretch of the log that may hold reports. */
    record Region(int firstLine, List<String> lines, boolean cut) {
        String text() {
            return String.join("\n", lines);
        }
    }

    static final int MAX_LINE_BYTES = 64 * 1024;
    static final int MAX_REGION_LINES = 20_000;
    static final int MAX_REGION_CHARS = 8 * 1024 * 1024;
    /** Lines kept before a marker: some reports' first lines precede their marker line (lockdep banners). */
    static final int LOOKBACK = 16;
    /** A region ends this many lines after the last line that may start a report. */
    static final int TAIL = 1_500;

    private final ReportParser parser;
    private final Consumer<Region> sink;
    private final byte[][] lookback = new byte[LOOKBACK][];
    private int lookbackCount;
    private int lookbackNext;
    private List<String> region;
    private int regionFirst;
    private int regionChars;
    private int lastMarker;
    private int lineNo;

    private OopsScanner(ReportParser parser, Consumer<Region> sink) {
        this.parser = parser;
        this.sink = sink;
    }

    static void scan(InputStream in, ReportParser parser, Consumer<Region> sink) throws IOException {
        var scanner = new OopsScanner(parser, sink);
        scanner.readLines(in);
        scanner.flush(false);
    }

    private void readLines(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 17];
        byte[] carry = new byte[256];
        int carryLen = 0;
        boolean overlong = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            int nl;
            while ((nl = indexOf(buf, start, n)) >= 0) {
                if (carryLen == 0 && !overlong) {
                    accept(buf, start, Math.min(nl - start, MAX_LINE_BYTES));
                } else {
                    if (!overlong) {
                        int take = Math.min(nl - start, MAX_LINE_BYTES - carryLen);
                        carry = append(carry, carryLen, buf, start, take);
                        carryLen += take;
                    }
                    accept(carry, 0, carryLen);
                    carryLen = 0;
                    overlong = false;
                }
                start = nl + 1;
            }
            if (start < n && !overlong) {
                int take = Math.min(n - start, MAX_LINE_BYTES - carryLen);
                carry = append(carry, carryLen, buf, start, take);
                carryLen += take;
                overlong = carryLen >= MAX_LINE_BYTES;
            }
        }
        if (carryLen > 0) {
            accept(carry, 0, carryLen);
        }
    }

    private static int indexOf(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] append(byte[] line, int len, byte[] src, int from, int count) {
        if (len + count > line.length) {
            line = Arrays.copyOf(line, Math.max(len + count, line.length * 2));
        }
        System.arraycopy(src, from, line, len, count);
        return line;
    }

    private static String decode(byte[] b, int off, int len) {
        if (len > 0 && b[off + len - 1] == '\r') {
            len--;
        }
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    private void accept(byte[] b, int off, int len) {
        lineNo++;
        boolean marker = parser.mayStartReport(b, off, len);
        if (region == null) {
            if (!marker) {
                remember(b, off, len);
                return;
            }
            startRegion();
        }
        String line = decode(b, off, len);
        region.add(line);
        regionChars += line.length() + 1;
        if (marker) {
            lastMarker = lineNo;
        }
        if (region.size() >= MAX_REGION_LINES || regionChars >= MAX_REGION_CHARS) {
            flush(true);
        } else if (lineNo - lastMarker >= TAIL) {
            flush(false);
        }
    }

    /** Keeps the last {@link #LOOKBACK} noise lines as bytes, reusing their arrays. */
    private void remember(byte[] b, int off, int len) {
        byte[] slot = lookback[lookbackNext];
        if (slot == null || slot.length != len) {
            slot = new byte[len];
            lookback[lookbackNext] = slot;
        }
        System.arraycopy(b, off, slot, 0, len);
        lookbackNext = (lookbackNext + 1) % LOOKBACK;
        lookbackCount = Math.min(lookbackCount + 1, LOOKBACK);
    }

    private void startRegion() {
        region = new ArrayList<>();
        regionFirst = lineNo - lookbackCount;
        regionChars = 0;
        for (int i = 0; i < lookbackCount; i++) {
            byte[] slot = lookback[(lookbackNext - lookbackCount + i + LOOKBACK) % LOOKBACK];
            String line = decode(slot, 0, slot.length);
            region.add(line);
            regionChars += line.length() + 1;
        }
        lookbackCount = 0;
    }

    private void flush(boolean cut) {
        if (region != null) {
            sink.accept(new Region(regionFirst, List.copyOf(region), cut));
            region = null;
        }
    }
}
