package kdive.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kdive.oops.CrashReport;
import kdive.oops.ReportParser;

/**
 * Turns a report's text into its bucket key and stored parse, with the same parser as {@code kdive
 * analyze}: the title of the first oops is the bucket, as in syzbot.
 */
public final class ReportAnalyzer {

    /** "Linux version 4.9.0 (...)" from the boot banner that vmcore-dmesg files start with. */
    private static final Pattern BANNER = Pattern.compile("Linux version (\\S+)");
    /** "CPU: 0 PID: 2790 Comm: nginx Not tainted 3.10.0-327.36.1.el7.x86_64 #1" (taint flags: capitals). */
    private static final Pattern CPU_LINE = Pattern.compile(
            "Comm: .*? (?:Not tainted|Tainted: [A-Z ]*?) +(\\S+) +#\\S+");

    private final ReportParser parser = ReportParser.linux();
    private final ObjectMapper json;

    public ReportAnalyzer(ObjectMapper json) {
        this.json = json;
    }

    /** The analysis, or empty when the text holds no kernel crash (answered 422). */
    public Optional<Analysis> analyze(String text) {
        List<CrashReport> reports = parser.parseAll(text);
        if (reports.isEmpty()) {
            return Optional.empty();
        }
        CrashReport first = reports.getFirst();
        return Optional.of(new Analysis(first.title(), first.type(), kernelRelease(text), toJson(reports)));
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

    private String toJson(List<CrashReport> reports) {
        try {
            return json.writeValueAsString(Map.of("reports", reports));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records of strings and lists always serialize", e);
        }
    }
}
