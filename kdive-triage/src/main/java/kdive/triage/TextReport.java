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

    /** One report, as {@link #render(List)} prints each (reports are separated by one empty line). */
    public static String render(Analysis analysis) {
        var s = new StringBuilder();
        render(analysis, s);
        return s.toString();
    }

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
        field(s, "type", r.type() + " (" + CrashClass.of(r.title(), r.type()) + ")" + (r.corrupted() ? "  (report corrupted: " + r.corruptedReason() + ")" : ""));
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
        a.symbols().ifPresent(sym -> {
            List<SourceFrame> ip = sym.ip();
            for (int i = 0; i < ip.size(); i++) {
                field(s, i == 0 ? "source" : "", (i == 0 ? "" : "inlined into ") + ip.get(i).display());
            }
            sym.warnings().forEach(w -> field(s, "warning", w));
        });
        d.fault().ifPresent(f -> field(s, "fault", fault(f)));
        a.faultingAccess().ifPresent(fa -> field(s, "verdict", fa.verdict()));
        a.symbols().ifPresent(sym -> operands(s, sym.operands()));
        for (String o : a.observations()) {
            field(s, "note", o);
        }
        if (!a.guiltyFrame().isEmpty()) {
            field(s, "guilty", a.guiltyFrame());
        }
        code(s, a);
        trace(s, d.callTrace(), a.symbols());
    }

    /** The faulting operands in source terms: {@code (%rax) is prev->next (struct sk_buff *) in __skb_insert}. */
    private static void operands(StringBuilder s, List<NamedOperand> operands) {
        boolean first = true;
        for (NamedOperand o : operands) {
            String type = o.type().isEmpty() ? "" : " (" + o.type() + ")";
            field(s, first ? "operands" : "", "%s is %s%s in %s%s".formatted(o.operand(), o.expression(), type,
                    o.function(), o.inferred() ? "  [inferred: " + o.basis() + "]" : ""));
            if (!o.loadedFrom().isEmpty()) {
                field(s, "", "  = " + o.throughLoad() + ": its base was loaded from " + o.loadedFrom());
            }
            first = false;
        }
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
        String lastSource = "";
        for (int i = 0; i < w.entries().size(); i++) {
            CodeWindow.Entry e = w.entries().get(i);
            if (a.symbols().isPresent() && !a.symbols().get().code().get(i).isEmpty()) {
                List<SourceFrame> chain = a.symbols().get().code().get(i);
                String here = chain.getFirst().file() + ":" + chain.getFirst().line();
                if (!here.equals(lastSource)) {
                    lastSource = here;
                    s.append("        ").append(here).append("  (")
                            .append(String.join(" <- ", chain.stream().map(f -> String.valueOf(f.function())).toList()))
                            .append(")\n");
                }
            }
            String bytes = HexFormat.ofDelimiter(" ").formatHex(e.bytes());
            s.append(e.faulting() ? "=> " : e.offsetFromFault() < a.certainFrom() ? " ? " : "   ")
                    .append(a.codeAddressesKnown()
                            ? "%4d  %016x  %-24s %s".formatted(e.offsetFromFault(), e.address(), bytes, e.text().strip())
                            : "%4d  %-24s %s".formatted(e.offsetFromFault(), bytes, e.text().strip()));
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

    private static void trace(StringBuilder s, List<Frame> frames, java.util.Optional<Symbolized> source) {
        if (frames.isEmpty()) {
            return;
        }
        s.append("\ncall trace:\n");
        String context = "";
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (!f.context().equals(context)) {
                context = f.context();
                if (!context.isEmpty()) {
                    s.append("  <").append(context).append(">\n");
                }
            }
            s.append("  ").append(f.reliable() ? "  " : "? ").append(f.display());
            if (!f.source().isEmpty()) {
                s.append("  ").append(f.source());
            } else if (source.isPresent() && !source.get().callTrace().get(i).isEmpty()) {
                List<SourceFrame> chain = source.get().callTrace().get(i);
                SourceFrame in = chain.getFirst();
                s.append("  ").append(in.file()).append(':').append(in.line());
                if (chain.size() > 1) {
                    s.append("  (inlined ").append(in.function()).append(')');
                }
            }
            s.append('\n');
        }
    }

    private static void field(StringBuilder s, String name, String value) {
        if (name.isEmpty()) {
            s.append("           ").append(value).append('\n');
            return;
        }
        s.append("  %-8s %s%n".formatted(name, value));
    }
}
