package kdive.triage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import kdive.disasm.CodeWindow;
import kdive.disasm.Disassembler;
import kdive.disasm.Disassemblers;
import kdive.disasm.Syntax;
import kdive.io.KdiveException;
import kdive.oops.CodeBytes;
import kdive.oops.CrashReport;
import kdive.oops.OopsDetails;
import kdive.oops.OopsDetailsParser;
import kdive.oops.ReportParser;

/**
 * Oops triage from text: finds every crash report in a log, reads its facts, decodes the
 * {@code Code:} bytes and names the faulting access. Thread-safe; one instance can serve many inputs.
 */
public final class Triage implements AutoCloseable {

    /** Upper bound on a report's extent past its first line (a lockdep or KASAN report is a few hundred). */
    static final int DETAIL_LINES = 2_000;

    private final ReportParser parser = ReportParser.linux();
    private final Syntax syntax;
    private final Object decoderLock = new Object();
    private Disassembler disassembler;
    private String decoderProblem;

    private final SourceAnnotator annotator;

    private Triage(Syntax syntax, SourceAnnotator annotator) {
        this.syntax = syntax;
        this.annotator = annotator;
    }

    /** Triage rendering code in AT&T syntax, as oopses and objdump do. */
    public static Triage create() {
        return new Triage(Syntax.ATT, null);
    }

    public static Triage create(Syntax syntax) {
        return new Triage(syntax, null);
    }

    /** Triage that also resolves every location to file:line and inline chain in {@code vmlinux}. */
    public static Triage create(Syntax syntax, Path vmlinux) {
        return new Triage(syntax, SourceAnnotator.open(vmlinux));
    }

    /**
     * As {@link #create(Syntax, Path)}, with debug files of modules: module name (as the oops prints
     * it) to its {@code .ko}. {@code vmlinux} may be null when only module frames matter.
     */
    public static Triage create(Syntax syntax, Path vmlinux, java.util.Map<String, Path> modules) {
        return new Triage(syntax, SourceAnnotator.open(vmlinux, modules));
    }

    /** Every report in {@code in}, read as a stream; the results are kept, so prefer the sink form for big logs. */
    public List<Analysis> analyze(String source, InputStream in) throws IOException {
        var out = new ArrayList<Analysis>();
        analyze(source, in, out::add);
        return out;
    }

    /**
     * Every report in {@code in}, each handed to {@code sink} as soon as its scanner region is parsed:
     * memory is bounded by the scanner's region (a few reports), not by the log, and a caller that
     * prints from the sink shows the first report while the rest of a multi-gigabyte log is read.
     */
    public void analyze(String source, InputStream in, java.util.function.Consumer<Analysis> sink) throws IOException {
        OopsScanner.scan(in, parser, region -> {
            List<CrashReport> reports = parser.parseAll(region.text());
            for (int i = 0; i < reports.size(); i++) {
                int limit = i + 1 < reports.size() ? reports.get(i + 1).startLine() - 1 : region.lines().size();
                sink.accept(analyzeReport(source, region, reports.get(i), limit));
            }
        });
    }

    public List<Analysis> analyzeText(String source, String text) {
        try {
            return analyze(source, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen for an in-memory stream
        }
    }

    /**
     * The parser's region ends at the last oops-marker line; registers, {@code Code:} and the trace
     * often follow it (always on 3.x), so details are read up to the next report (at most
     * {@link #DETAIL_LINES} lines) and the report's end is moved to the last line that belonged to it.
     */
    private Analysis analyzeReport(String source, OopsScanner.Region region, CrashReport r, int limit) {
        int from = Math.max(0, r.startLine() - 1);
        int to = Math.min(Math.min(region.lines().size(), limit), from + DETAIL_LINES);
        to = Math.max(to, Math.min(region.lines().size(), r.endLine()));
        OopsDetails details = OopsDetailsParser.parse(region.lines().subList(from, to));
        int end = Math.max(r.endLine(), from + details.lastLine() + 1);
        boolean cut = region.cut() && end >= region.lines().size() - 1;
        CrashReport shifted = new CrashReport(r.title(), r.altTitles(), r.type(), r.frame(),
                r.corrupted() || cut,
                r.corruptedReason().isEmpty() && cut ? "report cut at the scanner's region limit" : r.corruptedReason(),
                r.suppressed(), r.panicked(), r.executor(),
                r.startLine() + region.firstLine() - 1, end + region.firstLine() - 1, r.reportLines());
        CodeWindow proven = decode(details, CodeWindow.Policy.PROVEN);
        CodeWindow window = proven;
        if (!proven.entries().isEmpty()) {
            window = withLikelyPrefix(proven, decode(details, CodeWindow.Policy.EARLIEST_PLAUSIBLE));
        }
        int certainFrom = window.entries().isEmpty() ? 0 : firstCertainOffset(proven);
        boolean fromDebugFile = false;
        if (annotator != null && window.faulting().isEmpty()) {
            Optional<CodeWindow> fromFile = codeFromDebugFile(details);
            if (fromFile.isPresent()) {
                window = fromFile.get();
                certainFrom = window.entries().getFirst().offsetFromFault();
                fromDebugFile = true;
            }
        }
        CodeAddress address = codeAddress(details);
        boolean addressesKnown = fromDebugFile || address.known();
        if (!fromDebugFile && !window.entries().isEmpty() && !address.note().isEmpty()) {
            window = new CodeWindow(window.entries(), window.prefixRecovered(), window.note() + "; " + address.note());
        }
        Optional<FaultingAccess> access = FaultingAccess.analyze(details, window, addressesKnown);
        Optional<Symbolized> symbolized = annotator == null ? Optional.empty() : Optional.of(annotate(details, window));
        return new Analysis(source, shifted, details, window, addressesKnown, certainFrom, access,
                Observations.of(details), decoderName(details, window), symbolized);
    }

    private CodeWindow decode(OopsDetails details, CodeWindow.Policy policy) {
        Optional<CodeBytes> code = details.code();
        if (code.isEmpty()) {
            return new CodeWindow(List.of(), false, "no Code: line");
        }
        CodeBytes c = code.get();
        if (c.bytes().length == 0) {
            // "Bad RIP value." (old) or "Unable to access opcode bytes at 0x..." (5.9+): say which.
            String said = c.line().replaceFirst("^.*?Code:\\s*", "").strip();
            return new CodeWindow(List.of(), false, "no code bytes" + (said.isEmpty() ? "" : ": " + said));
        }
        if (!c.hasMarker()) {
            return new CodeWindow(List.of(), false, "Code: line has no <..> marker");
        }
        if (!details.arch().equals("x86_64") && !details.arch().equals("unknown")) {
            return new CodeWindow(List.of(), false, "decoding " + details.arch() + " code is not supported");
        }
        CodeAddress ip = codeAddress(details);
        synchronized (decoderLock) {
            Disassembler d = disassembler();
            if (d == null) {
                return new CodeWindow(List.of(), false, decoderProblem);
            }
            // Without an address the window is decoded at 0: offsets stay right, and the renderers
            // show no address column (CodeAddress.known false) rather than made-up ones.
            return CodeWindow.decode(d, c.bytes(), c.markerIndex(), ip.address().orElse(0L), syntax, policy);
        }
    }

    /**
     * The faulting IP's address and where it came from: printed in the oops ({@code RIP: 0010:[<addr>]},
     * 2.6/3.x; {@code pc : [<addr>]}; the RIP register), else the function's address in the vmlinux
     * (when one was given) plus the printed offset, slid by the KASLR offset when the log prints it
     * ({@code Kernel Offset:}); else none. 4.x+ x86 oopses print {@code RIP: 0010:sym+off/size} only.
     */
    CodeAddress codeAddress(OopsDetails details) {
        Optional<Long> printed = details.ip().flatMap(f -> f.address().isPresent()
                ? Optional.of(f.address().getAsLong()) : Optional.empty());
        if (printed.isPresent()) {
            return new CodeAddress(OptionalLong.of(printed.get()), "");
        }
        Long register = details.registers().get("rip");
        if (register == null) {
            register = details.registers().get("eip");
        }
        if (register != null) {
            return new CodeAddress(OptionalLong.of(register), "");
        }
        if (annotator != null && details.ip().isPresent()) {
            OptionalLong linked = annotator.linkedAddress(details.ip().get());
            if (linked.isPresent()) {
                OptionalLong slide = details.kaslrOffset();
                return new CodeAddress(OptionalLong.of(linked.getAsLong() + slide.orElse(0)), slide.isPresent()
                        ? "addresses: the vmlinux's + the log's KASLR offset 0x%x".formatted(slide.getAsLong())
                        : "addresses: the vmlinux's (the log prints no KASLR offset)");
            }
        }
        return new CodeAddress(OptionalLong.empty(), "the oops prints no address: offsets only");
    }

    /** The faulting IP's address, when known, and a note on its origin for the report ({@code ""}: the oops). */
    record CodeAddress(OptionalLong address, String note) {
        boolean known() {
            return address.isPresent();
        }
    }

    /**
     * The proven decoding starts where every plausible start agrees (99.9% right on real code) but
     * often drops a few real instructions; the most plausible start shows them (about 64% right
     * alone). Shown together: the likely instructions before the proven ones, flagged by
     * {@link #firstCertainOffset}, and the proven ones from there on.
     */
    static CodeWindow withLikelyPrefix(CodeWindow proven, CodeWindow likely) {
        int certain = firstCertainOffset(proven);
        var prefix = likely.entries().stream().filter(e -> e.offsetFromFault() < certain).toList();
        // Only a likely decoding that lands on the proven boundary can precede it.
        boolean joins = likely.entries().stream().anyMatch(e -> e.offsetFromFault() == certain);
        if (prefix.isEmpty() || !joins) {
            return proven;
        }
        var merged = new ArrayList<CodeWindow.Entry>(prefix);
        merged.addAll(proven.entries());
        return new CodeWindow(merged, true,
                "lines marked ? are the most plausible decoding of the first bytes; from offset %d on every plausible decoding agrees"
                        .formatted(certain));
    }

    /** Offset (from the fault) of the first instruction every plausible decoding agrees on. */
    static int firstCertainOffset(CodeWindow proven) {
        return proven.entries().isEmpty() ? 0 : proven.entries().getFirst().offsetFromFault();
    }

    /** The faulting function's code from its debug file, when the oops has no code bytes. */
    private Optional<CodeWindow> codeFromDebugFile(OopsDetails details) {
        synchronized (decoderLock) {
            Disassembler d = disassembler();
            return d == null ? Optional.empty() : annotator.codeFromDebugFile(details, d, syntax);
        }
    }

    private Symbolized annotate(OopsDetails details, CodeWindow window) {
        synchronized (decoderLock) {
            return annotator.annotate(details, window, disassembler());
        }
    }

    private String decoderName(OopsDetails details, CodeWindow window) {
        synchronized (decoderLock) {
            if (details.code().isEmpty() && window.entries().isEmpty() || disassembler == null) {
                return decoderProblem == null ? "" : decoderProblem;
            }
            return disassembler.name();
        }
    }

    private Disassembler disassembler() {
        if (disassembler == null && decoderProblem == null) {
            try {
                disassembler = new RepeatedDecodeCache(Disassemblers.best());
            } catch (KdiveException e) {
                decoderProblem = e.getMessage();
            }
        }
        return disassembler;
    }

    @Override
    public void close() {
        if (annotator != null) {
            annotator.close();
        }
        synchronized (decoderLock) {
            if (disassembler != null) {
                disassembler.close();
                disassembler = null;
            }
        }
    }
}
