package kdive.oops;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.SequencedMap;

/**
 * The facts of the first report in a log, as {@code kdive analyze} shows them: the report parser finds
 * and titles it, {@link OopsDetailsParser} reads the lines from its start up to the next report (at most
 * 2,000, as kdive-triage does), and each fact is written the way the corpus headers write it.
 */
final class OopsFacts {

    private static final ReportParser PARSER = ReportParser.linux();
    private static final int DETAIL_LINES = 2_000;

    private OopsFacts() {}

    static SequencedMap<String, String> of(String log) {
        SequencedMap<String, String> out = new LinkedHashMap<>();
        RealWorldOops.FIELDS.forEach(f -> out.put(f, RealWorldOops.ABSENT));
        List<CrashReport> reports = PARSER.parseAll(log);
        if (reports.isEmpty()) {
            return out;
        }
        CrashReport r = reports.getFirst();
        List<String> lines = Arrays.asList(log.split("\n", -1));
        int from = r.startLine() - 1;
        int to = reports.size() > 1 ? reports.get(1).startLine() - 1 : lines.size();
        to = Math.min(Math.max(to, r.endLine()), Math.min(lines.size(), from + DETAIL_LINES));
        OopsDetails d = OopsDetailsParser.parse(lines.subList(from, Math.max(from, to)));
        out.put("TITLE", r.title());
        out.put("RELEASE", text(d.release()));
        out.put("COMM", text(d.comm()));
        out.put("PID", number(d.pid()));
        out.put("CPU", number(d.cpu()));
        d.fault().ifPresent(f -> {
            f.address().ifPresent(a -> out.put("FAULT-ADDRESS", "0x" + Long.toHexString(a)));
            if (f.access() != FaultInfo.Access.UNKNOWN) {
                out.put("ACCESS", f.access().json());
            }
        });
        d.ip().ifPresent(f -> out.put("IP", frame(f)));
        d.callTrace().stream().filter(Frame::reliable).findFirst().ifPresent(f -> out.put("FRAME", frame(f)));
        return out;
    }

    /** {@code sym+0xoff/0xsize [mod]} as printed; a symbol printed without offset stays bare. */
    static String frame(Frame f) {
        if (f.symbol().isEmpty()) {
            return f.address().isPresent() ? "0x" + Long.toHexString(f.address().getAsLong()) : RealWorldOops.ABSENT;
        }
        var s = new StringBuilder(f.symbol());
        if (f.size() != 0 || f.offset() != 0) {
            s.append("+0x").append(Long.toHexString(f.offset()));
            if (f.size() != 0) {
                s.append("/0x").append(Long.toHexString(f.size()));
            }
        }
        if (!f.module().isEmpty()) {
            s.append(" [").append(f.module()).append(']');
        }
        return s.toString();
    }

    private static String text(String s) {
        return s.isEmpty() ? RealWorldOops.ABSENT : s;
    }

    private static String number(OptionalInt n) {
        return n.isPresent() ? Integer.toString(n.getAsInt()) : RealWorldOops.ABSENT;
    }
}
