package kdive.triage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import kdive.oops.ReportParser;

/**
 * Streams a log of any size and hands the parser only the regions around lines that can start a
 * crash report. Memory stays bounded: lines are cut at {@link #MAX_LINE_BYTES}, a region at
 * {@link #MAX_REGION_LINES} lines or {@link #MAX_REGION_CHARS} characters, and noise lines are dropped
 * after a cheap check ({@link ReportParser#mayStartReport}).
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
    private final ArrayDeque<String> lookback = new ArrayDeque<>(LOOKBACK);
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
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[256];
        int len = 0;
        boolean overlong = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] != '\n') {
                    continue;
                }
                int chunk = i - start;
                if (!overlong) {
                    int take = Math.min(chunk, MAX_LINE_BYTES - len);
                    line = append(line, len, buf, start, take);
                    len += take;
                }
                accept(decode(line, len));
                len = 0;
                overlong = false;
                start = i + 1;
            }
            int rest = n - start;
            if (rest > 0 && !overlong) {
                int take = Math.min(rest, MAX_LINE_BYTES - len);
                line = append(line, len, buf, start, take);
                len += take;
                overlong = len >= MAX_LINE_BYTES;
            }
        }
        if (len > 0) {
            accept(decode(line, len));
        }
    }

    private static byte[] append(byte[] line, int len, byte[] src, int from, int count) {
        if (len + count > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(len + count, line.length * 2));
        }
        System.arraycopy(src, from, line, len, count);
        return line;
    }

    private static String decode(byte[] line, int len) {
        int end = len;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        return new String(line, 0, end, StandardCharsets.UTF_8);
    }

    private void accept(String line) {
        lineNo++;
        boolean marker = parser.mayStartReport(line);
        if (region == null) {
            if (!marker) {
                if (lookback.size() == LOOKBACK) {
                    lookback.removeFirst();
                }
                lookback.addLast(line);
                return;
            }
            region = new ArrayList<>(lookback);
            regionFirst = lineNo - lookback.size();
            regionChars = 0;
            for (String l : lookback) {
                regionChars += l.length() + 1;
            }
            lookback.clear();
        }
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

    private void flush(boolean cut) {
        if (region != null) {
            sink.accept(new Region(regionFirst, List.copyOf(region), cut));
            region = null;
        }
    }
}
