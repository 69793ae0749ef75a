package kdive.triage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import kdive.disasm.CodeWindow;
import kdive.oops.CrashReport;
import kdive.oops.FaultInfo;
import kdive.oops.Frame;
import kdive.oops.OopsDetails;

/**
 * The JSON form of triage results: one document {@code {"reports":[...]}}. Addresses and register
 * values are {@code "0x..."} strings (64-bit values do not survive JSON numbers in every reader);
 * counts, pids, CPUs and offsets are numbers; an unknown fact is {@code null}.
 */
public final class JsonReports {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReports() {}

    public static String toJson(List<Analysis> analyses) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode reports = root.putArray("reports");
        analyses.forEach(a -> reports.add(toTree(a)));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }

    /**
     * Writes the same document as {@link #toJson} one report at a time: the array is opened on
     * creation, each {@link #add} writes and flushes one report, {@link #close} ends the document.
     * A consumer reading the stream sees each report as soon as it is found.
     */
    public static final class StreamWriter implements AutoCloseable {
        private final com.fasterxml.jackson.core.JsonGenerator gen;

        public StreamWriter(java.io.Writer out) {
            try {
                gen = MAPPER.getFactory().createGenerator(out);
                gen.setPrettyPrinter(new com.fasterxml.jackson.core.util.DefaultPrettyPrinter());
                gen.writeStartObject();
                gen.writeArrayFieldStart("reports");
                gen.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        public void add(Analysis a) {
            try {
                MAPPER.writeTree(gen, toTree(a));
                gen.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                gen.writeEndArray();
                gen.writeEndObject();
                gen.writeRaw('\n');
                gen.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    public static ObjectNode toTree(Analysis a) {
        CrashReport r = a.report();
        OopsDetails d = a.details();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("source", a.source());
        o.put("title", r.title());
        ArrayNode alts = o.putArray("altTitles");
        r.altTitles().forEach(alts::add);
        o.put("type", r.type());
        o.put("class", CrashClass.of(r.title(), r.type()));
        o.put("corrupted", r.corrupted());
        if (r.corrupted()) {
            o.put("corruptedReason", r.corruptedReason());
        }
        o.put("suppressed", r.suppressed());
        o.put("panicked", r.panicked());
        ObjectNode lines = o.putObject("lines");
        lines.put("start", r.startLine());
        lines.put("end", r.endLine());
        o.put("arch", d.arch());
        ObjectNode kernel = o.putObject("kernel");
        putText(kernel, "release", d.release());
        kernel.put("tainted", d.tainted());
        putText(kernel, "taint", d.taint());
        putText(kernel, "hardware", d.hardware());
        if (d.comm().isEmpty() && d.pid().isEmpty()) {
            o.putNull("task");
        } else {
            ObjectNode task = o.putObject("task");
            putText(task, "comm", d.comm());
            putInt(task, "pid", d.pid());
        }
        putInt(o, "cpu", d.cpu());
        putText(o, "oops", d.oopsLine());
        d.fault().ifPresentOrElse(f -> fault(o.putObject("fault"), f), () -> o.putNull("fault"));
        d.ip().ifPresentOrElse(f -> frame(o.putObject("ip"), f, a.symbols().map(Symbolized::ip)),
                () -> o.putNull("ip"));
        ObjectNode regs = o.putObject("registers");
        d.registers().forEach((k, v) -> regs.put(k, FaultingAccess.hex(v)));
        a.faultingAccess().ifPresentOrElse(fa -> {
                    ObjectNode insn = o.putObject("instruction");
                    access(insn, fa);
                    a.symbols().ifPresent(sym -> operands(insn.putArray("sourceOperands"), sym.operands()));
                },
                () -> o.putNull("instruction"));
        o.put("verdict", a.faultingAccess().map(FaultingAccess::verdict).orElse(null));
        code(o, a.code(), a.codeAddressesKnown(), a.certainFrom(), a.symbols());
        putText(o, "decoder", a.decoder());
        ArrayNode trace = o.putArray("callTrace");
        for (int i = 0; i < d.callTrace().size(); i++) {
            int at = i;
            frame(trace.addObject(), d.callTrace().get(i), a.symbols().map(sym -> sym.callTrace().get(at)));
        }
        a.symbols().ifPresent(sym -> {
            ObjectNode n = o.putObject("symbolization");
            n.put("vmlinux", sym.vmlinux());
            ArrayNode w = n.putArray("warnings");
            sym.warnings().forEach(w::add);
        });
        putText(o, "guiltyFrame", a.guiltyFrame());
        ArrayNode obs = o.putArray("observations");
        a.observations().forEach(obs::add);
        return o;
    }

    private static void fault(ObjectNode n, FaultInfo f) {
        putHex(n, "address", f.address());
        n.put("access", f.access().json());
        n.put("mode", f.mode().json());
        putText(n, "cause", f.cause());
        if (f.errorCode() >= 0) {
            n.put("errorCode", "0x%x".formatted(f.errorCode()));
        } else {
            n.putNull("errorCode");
        }
        n.put("evidence", f.evidence());
    }

    private static void frame(ObjectNode n, Frame f, Optional<List<SourceFrame>> chain) {
        putText(n, "symbol", f.symbol());
        n.put("offset", f.offset());
        n.put("size", f.size());
        putText(n, "module", f.module());
        putHex(n, "address", f.address());
        n.put("reliable", f.reliable());
        if (!f.context().isEmpty()) {
            n.put("context", f.context());
        }
        if (!f.source().isEmpty()) {
            n.put("source", f.source());
        }
        chain.ifPresent(c -> chain(n.putArray("inlineChain"), c));
    }

    private static void chain(ArrayNode out, List<SourceFrame> chain) {
        for (SourceFrame sf : chain) {
            ObjectNode n = out.addObject();
            n.put("function", sf.function());
            n.put("file", sf.file());
            n.put("line", sf.line());
        }
    }

    private static void operands(ArrayNode out, List<NamedOperand> operands) {
        for (NamedOperand op : operands) {
            ObjectNode n = out.addObject();
            n.put("operand", op.operand());
            n.put("expression", op.expression());
            putText(n, "type", op.type());
            n.put("function", op.function());
            n.put("basis", op.basis());
            putText(n, "loadedFrom", op.loadedFrom());
            putText(n, "throughLoad", op.throughLoad());
            n.put("inferred", op.inferred());
        }
    }

    private static void access(ObjectNode n, FaultingAccess fa) {
        n.put("text", fa.text());
        n.put("bytes", fa.bytes());
        n.put("access", fa.access());
        putText(n, "memOperand", fa.memOperand());
        putText(n, "nullRegister", fa.guiltyRegister());
        putHex(n, "registerValue", fa.guiltyValue());
        putText(n, "valueMeaning", fa.valueMeaning());
        putHex(n, "effectiveAddress", fa.effectiveAddress());
        if (fa.matchesFault().isPresent()) {
            n.put("matchesFaultAddress", fa.matchesFault().get());
        } else {
            n.putNull("matchesFaultAddress");
        }
    }

    private static void code(ObjectNode o, CodeWindow w, boolean addressesKnown, int certainFrom,
                             Optional<Symbolized> source) {
        ArrayNode dis = o.putArray("disassembly");
        for (int i = 0; i < w.entries().size(); i++) {
            CodeWindow.Entry e = w.entries().get(i);
            ObjectNode n = dis.addObject();
            n.put("offset", e.offsetFromFault());
            if (addressesKnown) {
                n.put("address", FaultingAccess.hex(e.address()));
            } else {
                n.putNull("address");
            }
            n.put("bytes", HexFormat.ofDelimiter(" ").formatHex(e.bytes()));
            n.put("text", e.text().strip());
            n.put("faulting", e.faulting());
            n.put("certain", e.offsetFromFault() >= certainFrom);
            int at = i;
            source.ifPresent(sym -> chain(n.putArray("inlineChain"), sym.code().get(at)));
        }
        o.put("disassemblyNote", w.note());
    }

    private static void putText(ObjectNode n, String key, String value) {
        if (value == null || value.isEmpty()) {
            n.putNull(key);
        } else {
            n.put(key, value);
        }
    }

    private static void putInt(ObjectNode n, String key, OptionalInt value) {
        if (value.isPresent()) {
            n.put(key, value.getAsInt());
        } else {
            n.putNull(key);
        }
    }

    private static void putHex(ObjectNode n, String key, OptionalLong value) {
        if (value.isPresent()) {
            n.put(key, FaultingAccess.hex(value.getAsLong()));
        } else {
            n.putNull(key);
        }
    }
}
