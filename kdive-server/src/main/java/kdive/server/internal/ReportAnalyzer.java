package kdive.server.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kdive.triage.JsonReports;
import kdive.triage.TextReport;
import kdive.triage.Triage;

/**
 * Turns a report's text into its bucket key and stored parse with the same triage as {@code kdive
 * analyze}: the syzkaller title of the first oops is the bucket, as in syzbot, and the stored "parsed"
 * document is {@code kdive analyze --json}'s.
 */
public final class ReportAnalyzer implements AutoCloseable {

    /** "Linux version 4.9.0 (...)" from the boot banner that vmcore-dmesg files start with. */
    private static final Pattern BANNER = Pattern.compile("Linux version (\\S+)");
    /** "CPU: 0 PID: 2790 Comm: nginx Not tainted 3.10.0-327.36.1.el7.x86_64 #1" (taint flags: capitals). */
    private static final Pattern CPU_LINE = Pattern.compile(
            "Comm: .*? (?:Not tainted|Tainted: [A-Z ]*?) +(\\S+) +#\\S+");

    /**
     * Parses of recent texts by SHA-256: the same log sent by many hosts (a fleet-wide bug, a cloned
     * VM image) is parsed once. Parsing dominates the ingest cost (milliseconds per report against
     * well under one for the database), so this is what keeps a burst of identical reports cheap.
     */
    private static final int CACHE_ENTRIES = 1024;

    /** Thread-safe (its disassembler is used under a lock); one for the server's lifetime. */
    private final Triage triage = Triage.create();
    private final Map<String, Optional<Analysis>> cache = new LinkedHashMap<>(CACHE_ENTRIES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Analysis>> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    public ReportAnalyzer() {}

    /** The analysis, or empty when the text holds no kernel crash (answered 422). */
    public Optional<Analysis> analyze(String text) {
        return analyze(text, Hashes.sha256Hex(text));
    }

    /** As {@link #analyze(String)}, for a text whose SHA-256 (hex) is known. */
    public Optional<Analysis> analyze(String text, String sha256) {
        synchronized (cache) {
            Optional<Analysis> hit = cache.get(sha256);
            if (hit != null) {
                return hit;
            }
        }
        Optional<Analysis> result = parse(text, sha256);
        synchronized (cache) {
            cache.put(sha256, result);
        }
        return result;
    }

    private Optional<Analysis> parse(String text, String sha256) {
        // The source names the text, not the sender: the cached result is shared by every host.
        List<kdive.triage.Analysis> found = triage.analyzeText("sha256:" + sha256.substring(0, 16), text);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        kdive.triage.Analysis first = found.getFirst();
        String release = first.details().release();
        return Optional.of(new Analysis(first.report().title(), first.report().type(),
                release.isEmpty() ? kernelRelease(text) : release, JsonReports.toJson(found)));
    }

    /** The kernel release the text names (oops CPU line first, then the boot banner), or "". */
    public static String kernelRelease(String text) {
        Matcher m = CPU_LINE.matcher(text);
        if (m.find()) {
            return m.group(1);
        }
        m = BANNER.matcher(text);
        return m.find() ? m.group(1) : "";
    }

    /**
     * {@code kdive analyze}'s text report of {@code text} (fault, faulting operand, decoded code, call
     * trace) for a page; computed on view, not stored, since pages are rare next to reports.
     */
    public String render(String text) {
        return TextReport.render(triage.analyzeText("report", text));
    }

    @Override
    public void close() {
        triage.close();
    }
}
