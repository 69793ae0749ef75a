package kdive.triage;

import java.util.HexFormat;
import java.util.List;
import kdive.disasm.CodeWindow;
import kdive.oops.CrashReport;
import kdive.oops.FaultInfo;
import kdive.oops.Frame;
import kdive.oops.OopsDetails;

/** The short human report: title, where, who, why, the decoded code with the fault marked, the trace. */
public final class TextReport {

    private TextReport() {}

    public static String render(List<Analysis> analyses) {
        var s = new StringBuilder();
        for (int i = 0; i < analyses.size(); i++) {
            if (i > 0) {
                s.append('\n');
            }
            render(analyses.get(i), s);
        }
        return s.toString();
    }

    private static void render(Analysis a, StringBuilder s) {
        CrashReport r = a.report();
        OopsDetails d = a.details();
        s.append(r.title()).append('\n');
        s.append("=".repeat(Math.min(r.title().length(), 100))).append('\n');
        field(s, "source", "%s, lines %d-%d".formatted(a.source(), r.startLine(), r.endLine()));
        field(s, "type", r.type() + (r.corrupted() ? "  (report corrupted: " + r.corruptedReason() + ")" : ""));
        if (!d.release().isEmpty()) {
            field(s, "kernel", d.release() + (d.tainted() ? "  tainted: " + d.taint() : "  not tainted")
                    + (d.hardware().isEmpty() ? "" : "  on " + d.hardware()));
        }
        if (!d.comm().isEmpty() || d.pid().isPresent()) {
            field(s, "task", d.comm() + (d.pid().isPresent() ? " (pid " + d.pid().getAsInt() + ")" : "")
                    + (d.cpu().isPresent() ? " on CPU " + d.cpu().getAsInt() : ""));
        }
        d.ip().ifPresent(ip -> field(s, "where", ip.display()
                + (ip.address().isPresent() ? "  at 0x%x".formatted(ip.address().getAsLong()) : "")));
        d.fault().ifPresent(f -> field(s, "fault", fault(f)));
        a.faultingAccess().ifPresent(fa -> field(s, "verdict", fa.verdict()));
        for (String o : a.observations()) {
            field(s, "note", o);
        }
        if (!a.guiltyFrame().isEmpty()) {
            field(s, "guilty", a.guiltyFrame());
        }
        code(s, a);
        trace(s, d.callTrace());
    }

    private static String fault(FaultInfo f) {
        var parts = new StringBuilder();
        parts.append(switch (f.access()) {
            case READ -> "read";
            case WRITE -> "write";
            case EXEC -> "instruction fetch";
            case UNKNOWN -> "access";
        });
        f.address().ifPresent(addr -> parts.append(" at 0x").append(Long.toHexString(addr)));
        if (f.mode() != FaultInfo.Mode.UNKNOWN) {
            parts.append(", ").append(f.mode().json()).append(" mode");
        }
        if (!f.cause().isEmpty()) {
            parts.append(", ").append(f.cause());
        }
        parts.append("  [").append(f.evidence()).append(']');
        return parts.toString();
    }

    private static void code(StringBuilder s, Analysis a) {
        CodeWindow w = a.code();
        if (w.entries().isEmpty()) {
            if (a.details().code().isPresent()) {
                s.append("\ncode: ").append(w.note()).append('\n');
            }
            return;
        }
        s.append("\ncode (").append(a.decoder()).append("; ").append(w.note()).append("):\n");
        for (CodeWindow.Entry e : w.entries()) {
            String bytes = HexFormat.ofDelimiter(" ").formatHex(e.bytes());
            s.append(e.faulting() ? "=> " : "   ")
                    .append("%4d  %016x  %-24s %s".formatted(e.offsetFromFault(), e.address(), bytes, e.text().strip()));
            if (e.faulting()) {
                a.faultingAccess().ifPresent(fa -> {
                    if (!fa.memOperand().isEmpty() && fa.effectiveAddress().isPresent()) {
                        s.append("   <-- ").append(fa.access()).append(' ').append(fa.memOperand()).append(" = 0x")
                                .append(Long.toHexString(fa.effectiveAddress().getAsLong()));
                    } else {
                        s.append("   <-- faulting");
                    }
                });
            }
            s.append('\n');
        }
    }

    private static void trace(StringBuilder s, List<Frame> frames) {
        if (frames.isEmpty()) {
            return;
        }
        s.append("\ncall trace:\n");
        String context = "";
        for (Frame f : frames) {
            if (!f.context().equals(context)) {
                context = f.context();
                if (!context.isEmpty()) {
                    s.append("  <").append(context).append(">\n");
                }
            }
            s.append("  ").append(f.reliable() ? "  " : "? ").append(f.display());
            if (!f.source().isEmpty()) {
                s.append("  ").append(f.source());
            }
            s.append('\n');
        }
    }

    private static void field(StringBuilder s, String name, String value) {
        s.append("  %-8s %s%n".formatted(name, value));
    }
}
