package kdive.oops.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import kdive.oops.internal.OopsRules.OopsFormat;
import kdive.oops.internal.OopsRules.OopsGroup;
import kdive.oops.internal.OopsRules.StackFormat;
import kdive.oops.internal.OopsRules.StackParams;

/**
 * The engine behind {@link kdive.oops.ReportParser}: syzkaller's Linux report extraction
 * ({@code findFirstOops}, {@code findReport}, {@code extractDescription}, {@code extractStackFrame},
 * {@code isCorrupted}) driven by {@link LinuxRules}, working on {@link LogLines}.
 *
 * <p>Work is bounded: a report looks at most {@link #MAX_REPORT_LINES} lines (and
 * {@link #MAX_REPORT_CHARS} characters) after its header, at most {@link #MAX_TAIL_LINES} lines
 * past the start of the next report, and prefix lines at most {@link #MAX_PREFIX_SCAN} lines
 * back. Lines looked at twice (tails and prefixes overlap neighbouring reports) are charged to a
 * per-log {@link Budget} of a few times the log's size, so a log made of nothing but crashes
 * still parses in linear time.
 */
public final class LinuxReportParser {

    static final int MAX_REPORT_LINES = 20_000;
    static final int MAX_REPORT_CHARS = 4_000_000;
    static final int MAX_TAIL_LINES = 2_000;
    static final int MAX_PREFIX_SCAN = 2_000;
    /** Lines a whole log may spend on tails and prefix scans: a small multiple of its size. */
    static final int MIN_OVERLAP_BUDGET = 50_000;

    static final String CONTEXT_CONSOLE = "console";
    static final String CORRUPTED_NO_FRAMES = "extracted no frames";

    private static final List<OopsGroup> OOPSES = LinuxRules.OOPSES;
    private static final StackParams PARAMS = LinuxRules.STACK_PARAMS;
    private static final HeaderScanner SCANNER =
            new HeaderScanner(OOPSES.stream().map(OopsGroup::header).toList());
    private static final String REPLAY_MARK = "** replaying previous printk message **";
    private static final Rx EXECUTOR_COMM = Rx.of(" Comm: syz\\.(\\d+)\\.(\\d+) ");

    /** The scanner over all oops headers (used by the streaming pre-filter too). */
    public static HeaderScanner headerScanner() {
        return SCANNER;
    }

    /** What the engine found; titles are raw (before {@link TitleRules#finish}). */
    public record RawReport(
            String title,
            List<String> altTitles,
            boolean corrupted,
            String corruptedReason,
            int startLine,      // 0-based index of the oops line
            int endLine,        // 0-based index of the last oops-marker line of this report
            int nextSearchLine, // where the search for the following report starts
            List<String> reportLines,
            int prefixLines,    // how many of reportLines come from before the oops line
            String executor) {}

    // ------------------------------------------------------------ Parse

    /** Lines that may be looked at more than once while parsing one log. */
    public static final class Budget {
        private long lines;

        public Budget(LogLines log) {
            this.lines = Math.max(MIN_OVERLAP_BUDGET, 4L * log.size());
        }

        int take(int want) {
            int got = (int) Math.min(want, Math.max(0, lines));
            return got;
        }

        void spend(int used) {
            lines -= used;
        }
    }

    /** The first report at or after line {@code from}, or null. */
    public RawReport parse(LogLines log, int from) {
        return parse(log, from, new Budget(log));
    }

    /** The first report at or after line {@code from}, or null; overlapping work is charged to {@code budget}. */
    public RawReport parse(LogLines log, int from, Budget budget) {
        int start = -1;
        OopsGroup oops = null;
        for (int i = from; i < log.size() && oops == null; i++) {
            oops = matchingOops(log, i);
            if (oops != null) {
                start = i;
            }
        }
        if (oops == null) {
            return null;
        }
        String context = extractContext(log.get(start));
        Found found = findReport(log, from, oops, start, context, budget);
        String reportText = found.report.toString();
        String head = reportText.substring(0, found.reportEnd);
        Description d = extractDescription(head, oops);
        List<String> prefix = found.prefix;
        if (d.desc.isEmpty()) {
            prefix = List.of();
            StringBuilder raw = new StringBuilder();
            for (int i = start; i <= found.endLine; i++) {
                if (i > start) {
                    raw.append('\n');
                }
                raw.append(log.get(i));
            }
            reportText = raw.toString();
            d = extractDescription(reportText, oops);
            if (d.desc.isEmpty()) {
                // syzkaller panics here; it cannot happen since the oops line holds the header.
                d = new Description(oops.header(), "", List.of(), null);
            }
        }
        boolean corrupted = !d.corrupted.isEmpty();
        String reason = d.corrupted;
        if (!corrupted) {
            String why = isCorrupted(d.desc, reportText, d.format);
            if (why != null) {
                corrupted = true;
                reason = why;
            }
        }
        List<String> lines = new ArrayList<>(prefix.size() + 64);
        StringBuilder full = new StringBuilder();
        for (String p : prefix) {
            lines.add(p);
            full.append(p).append('\n');
        }
        full.append(reportText);
        splitInto(reportText, lines);
        int next = found.secondReport >= 0 ? found.secondReport : found.scanEnd;
        next = Math.max(next, start + 1);
        return new RawReport(d.desc, d.altTitles, corrupted, reason, start, Math.max(found.endLine, start), next,
                lines, prefix.size(), executorOf(full));
    }

    private static void splitInto(String text, List<String> out) {
        int pos = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl;
            out.add(text.substring(pos, end));
            pos = end + 1;
        }
    }

    private static String executorOf(CharSequence report) {
        Rx.Match m = EXECUTOR_COMM.search(report);
        if (m == null) {
            return "";
        }
        try {
            long proc = Long.parseLong(m.group(1));
            long id = Long.parseLong(m.group(2));
            return "proc=" + proc + ", id=" + id;
        } catch (NumberFormatException e) {
            return "";
        }
    }

    /** The oops group whose header starts a report on line {@code i}, or null. */
    private static OopsGroup matchingOops(LogLines log, int i) {
        String line = log.get(i);
        long bits = SCANNER.scan(line);
        if (bits == 0) {
            return null;
        }
        for (int g = 0; g < OOPSES.size(); g++) {
            if ((bits & (1L << g)) == 0) {
                continue;
            }
            OopsGroup oops = OOPSES.get(g);
            if (Rx.anyFind(oops.suppressions(), line)) {
                continue;
            }
            if (truncatedByReplay(log, i)) {
                continue;
            }
            return oops;
        }
        return null;
    }

    /** True when some oops group matches the line (header present, not suppressed). */
    private static boolean matchesAnyOops(String line) {
        long bits = SCANNER.scan(line);
        if (bits == 0) {
            return false;
        }
        for (int g = 0; g < OOPSES.size(); g++) {
            if ((bits & (1L << g)) != 0 && !Rx.anyFind(OOPSES.get(g).suppressions(), line)) {
                return true;
            }
        }
        return false;
    }

    private static boolean truncatedByReplay(LogLines log, int i) {
        return i + 1 < log.size() && log.get(i + 1).contains(REPLAY_MARK);
    }

    // ------------------------------------------------------------ findReport

    private static final class Found {
        final StringBuilder report = new StringBuilder();
        int reportEnd;
        List<String> prefix = List.of();
        int endLine = -1;
        int secondReport = -1;
        int scanEnd;
    }

    private Found findReport(LogLines log, int from, OopsGroup oops, int start, String context, Budget budget) {
        Found f = new Found();
        int maxPrefix = TASK_CONTEXT.find(context) ? 50 : 5;
        // Prefix: the last lines before the oops from the same context.
        ArrayDeque<String> prefix = new ArrayDeque<>();
        int lowest = Math.max(from, start - Math.max(maxPrefix, budget.take(MAX_PREFIX_SCAN)));
        int scanned = 0;
        for (int i = start - 1; i >= lowest && prefix.size() < maxPrefix; i--) {
            scanned++;
            String line = log.get(i);
            String ctx1 = extractContext(line);
            if (!ctx1.equals(context)) {
                continue;
            }
            Stripped s = stripLinePrefix(line, ctx1);
            if (!s.text.isEmpty() && !s.questionable) {
                prefix.addFirst(s.text);
            }
        }
        f.prefix = List.copyOf(prefix);
        budget.spend(scanned);

        int textLines = 0;
        boolean skipText = false;
        boolean cpuTraceback = false;
        String oopsLine = log.get(start);
        int limit = Math.min(log.size(), start + MAX_REPORT_LINES);
        int i = start;
        int tail = 0;
        for (; i < limit; i++) {
            if (f.secondReport >= 0 && i >= f.secondReport + tail) {
                break;
            }
            if (f.report.length() > MAX_REPORT_CHARS) {
                break;
            }
            String line = log.get(i);
            String ctx1 = extractContext(line);
            Stripped s = stripLinePrefix(line, ctx1);
            boolean isOopsLine = i == start;
            boolean infoHit = false;
            if (!isOopsLine && f.secondReport < 0) {
                for (String pattern : LinuxRules.INFO_MESSAGES_WITH_STACK) {
                    if (line.contains(pattern)) {
                        infoHit = true;
                        break;
                    }
                }
            }
            if (infoHit) {
                f.secondReport = i;
                tail = budget.take(MAX_TAIL_LINES);
            }
            if (matchesAnyOops(line) && !truncatedByReplay(log, i)) {
                if (!isOopsLine && f.secondReport < 0 && !Rx.anyFind(LinuxRules.REPORT_START_IGNORES, line)) {
                    f.secondReport = i;
                    tail = budget.take(MAX_TAIL_LINES);
                    if (tail == 0) {
                        break;
                    }
                }
                // This report's region ends at its last oops line before the next report.
                if (f.secondReport < 0 || i < f.secondReport) {
                    f.endLine = i;
                }
            }
            if (!isOopsLine && (s.questionable
                    || !ctx1.equals(context) && (!cpuTraceback || !CPU_CONTEXT.find(ctx1)))) {
                continue;
            }
            textLines++;
            boolean skipLine = skipText;
            if (line.contains("Disabling lock debugging due to kernel taint")) {
                skipLine = true;
            } else if (line.contains("Sending NMI from CPU")) {
                // A traceback of all CPUs: keep the other CPUs' output whatever their context.
                cpuTraceback = true;
            } else if ((line.contains("Kernel panic - not syncing")
                    || line.contains("WARNING: possible circular locking dependency detected"))
                    && textLines > reportMinLines(oopsLine)) {
                // With enough of the actual report, drop the panic_on_warn panic (or the deadlock
                // report the oops itself induced) that follows it.
                skipText = true;
                skipLine = true;
            }
            if (!isOopsLine && skipLine) {
                continue;
            }
            f.report.append(s.text).append('\n');
            if (f.secondReport < 0 || !context.isEmpty() && !context.equals(CONTEXT_CONSOLE)) {
                f.reportEnd = f.report.length();
            }
        }
        f.scanEnd = i;
        if (f.secondReport >= 0) {
            budget.spend(i - f.secondReport);
        }
        if (f.endLine < 0) {
            f.endLine = start;
        }
        return f;
    }

    private static int reportMinLines(String oopsLine) {
        // KMSAN reports lack "Call Trace" and a few other lines: a lower threshold for them.
        return oopsLine.contains("BUG: KMSAN:") ? 16 : 22;
    }

    // ------------------------------------------------------------ line prefixes

    private static final Rx TASK_CONTEXT = Rx.of("\\[ *T[0-9]+\\]");
    private static final Rx CPU_CONTEXT = Rx.of("\\[ *C[0-9]+\\]");

    record Stripped(String text, boolean questionable) {}

    /** Removes the {@code [time][ctx] } prefix; {@code " ? "} frames (x86) and {@code (unreliable)} (PowerPC) are questionable. */
    static Stripped stripLinePrefix(String line, String context) {
        if (context.isEmpty()) {
            return new Stripped(line, false);
        }
        int start = line.indexOf("] ");
        line = line.substring(start + 2);
        if (!line.contains("<EOI>")) {
            int q = line.indexOf(" ? ");
            if (q >= 0) {
                return new Stripped(line.substring(q + 2), true);
            }
            if (line.endsWith(" (unreliable)")) {
                return new Stripped(line.substring(0, line.length() - 13), true);
            }
        }
        return new Stripped(line, false);
    }

    /**
     * The printk context of a line: its {@code [T123]}/{@code [C1]} caller id, {@code "console"}
     * for a plain {@code [ time]} stamp, empty without a stamp. Hand-written equivalent of
     * syzkaller's {@code ^(?:\*\* N printk messages dropped \*\* )?(?:.* login: )?(?:<N>)?\[ *N\.N\](\[ *(?:C|T)N\])? }.
     */
    public static String extractContext(String line) {
        if (line.isEmpty()) {
            return "";
        }
        int dropped = droppedPrefixEnd(line);
        int[] starts = dropped < 0 ? new int[] {0} : new int[] {dropped, 0};
        for (int base : starts) {
            // (?:.* login: )? — greedy: the last " login: " first, then none.
            if (line.indexOf(" login: ", base) >= 0) {
                int idx = line.lastIndexOf(" login: ");
                while (idx >= base) {
                    String r = stampAt(line, idx + 8);
                    if (r != null) {
                        return r;
                    }
                    idx = idx == 0 ? -1 : line.lastIndexOf(" login: ", idx - 1);
                }
            }
            String r = stampAt(line, base);
            if (r != null) {
                return r;
            }
        }
        return "";
    }

    /** End of a leading {@code "** N printk messages dropped ** "}, or -1. */
    private static int droppedPrefixEnd(String line) {
        if (!line.startsWith("** ")) {
            return -1;
        }
        int i = 3;
        int d = i;
        while (i < line.length() && isDigit(line.charAt(i))) {
            i++;
        }
        if (i == d || !line.startsWith(" printk messages dropped ** ", i)) {
            return -1;
        }
        return i + " printk messages dropped ** ".length();
    }

    /** Matches {@code (?:<N>)?\[ *N\.N\](\[ *(?:C|T)N\])? } at {@code p}: the context, or null. */
    private static String stampAt(String s, int p) {
        int n = s.length();
        if (p < n && s.charAt(p) == '<') {
            int q = p + 1;
            while (q < n && isDigit(s.charAt(q))) {
                q++;
            }
            if (q > p + 1 && q < n && s.charAt(q) == '>') {
                String r = timeAt(s, q + 1);
                if (r != null) {
                    return r;
                }
            }
        }
        return timeAt(s, p);
    }

    private static String timeAt(String s, int p) {
        int n = s.length();
        if (p >= n || s.charAt(p) != '[') {
            return null;
        }
        p++;
        while (p < n && s.charAt(p) == ' ') {
            p++;
        }
        int d = p;
        while (p < n && isDigit(s.charAt(p))) {
            p++;
        }
        if (p == d || p >= n || s.charAt(p) != '.') {
            return null;
        }
        p++;
        d = p;
        while (p < n && isDigit(s.charAt(p))) {
            p++;
        }
        if (p == d || p >= n || s.charAt(p) != ']') {
            return null;
        }
        p++;
        // Optional [ *(C|T)N] — preferred when it leads to the final space.
        if (p < n && s.charAt(p) == '[') {
            int q = p + 1;
            while (q < n && s.charAt(q) == ' ') {
                q++;
            }
            if (q < n && (s.charAt(q) == 'C' || s.charAt(q) == 'T')) {
                q++;
                int dd = q;
                while (q < n && isDigit(s.charAt(q))) {
                    q++;
                }
                if (q > dd && q < n && s.charAt(q) == ']' && q + 1 < n && s.charAt(q + 1) == ' ') {
                    return s.substring(p, q + 1);
                }
            }
        }
        if (p < n && s.charAt(p) == ' ') {
            return CONTEXT_CONSOLE;
        }
        return null;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ------------------------------------------------------------ extractDescription

    record Description(String desc, String corrupted, List<String> altTitles, OopsFormat format) {}

    private record Frame(String canonical, String raw) {}

    private record Frames(List<Frame> frames, boolean ok) {}

    static Description extractDescription(String output, OopsGroup oops) {
        int startPos = output.length();
        boolean matchedTitle = false;
        String desc = "";
        String corrupted = "";
        List<String> altTitles = new ArrayList<>();
        OopsFormat format = null;
        for (OopsFormat f : oops.formats()) {
            Rx.Match match = f.title().search(output);
            if (match == null || match.start() > startPos) {
                continue;
            }
            if (match.start() == startPos && !desc.isEmpty()) {
                continue;
            }
            if (match.start() < startPos) {
                desc = "";
                format = null;
                startPos = match.start();
            }
            matchedTitle = true;
            if (f.report() != null) {
                match = f.report().search(output);
                if (match == null) {
                    continue;
                }
            }
            List<String> argPrefix = new ArrayList<>();
            for (int g = 1; g <= match.groupCount(); g++) {
                String v = match.group(g);
                argPrefix.add(v == null ? "" : v);
            }
            List<Frame> frames = List.of();
            corrupted = "";
            if (f.stack() != null) {
                Frames fr = extractStackFrame(f.stack(), output.substring(match.start()));
                frames = fr.frames;
                if (!fr.ok) {
                    corrupted = CORRUPTED_NO_FRAMES;
                }
            }
            List<String> args = new ArrayList<>(argPrefix);
            for (Frame fr : frames) {
                args.add(fr.canonical);
            }
            desc = TitleRules.sprintf(f.fmt(), args);
            for (String alt : f.alt()) {
                altTitles.add(TitleRules.sprintf(alt, args));
            }
            // Also partially stripped frames (raw, or with one syscall prefix removed): better dedup.
            for (List<String> seq : partiallyStrippedArgs(argPrefix, frames)) {
                String altTitle = TitleRules.sprintf(f.fmt(), seq);
                if (!altTitle.equals(desc)) {
                    altTitles.add(altTitle);
                }
                for (String alt : f.alt()) {
                    altTitles.add(TitleRules.sprintf(alt, seq));
                }
            }
            altTitles = new ArrayList<>(new LinkedHashSet<>(altTitles));
            format = f;
        }
        if (desc.isEmpty()) {
            // A title matched but not the report regexp or the stack: corrupted.
            if (matchedTitle) {
                corrupted = "matched title but not report regexp";
            }
            int pos = output.indexOf(oops.header());
            if (pos < 0) {
                return new Description("", corrupted, altTitles, format);
            }
            int end = output.indexOf('\n', pos);
            desc = output.substring(pos, end < 0 ? output.length() : end);
        }
        if (corrupted.isEmpty() && format != null && format.corrupted()) {
            corrupted = "report format is marked as corrupted";
        }
        return new Description(desc, corrupted, altTitles, format);
    }

    private static List<List<String>> partiallyStrippedArgs(List<String> prefix, List<Frame> frames) {
        List<List<String>> ret = new ArrayList<>();
        List<String> strip = PARAMS.stripFramePrefixes();
        for (int i = 0; i <= strip.size(); i++) {
            List<String> list = new ArrayList<>();
            boolean add = true;
            String stripPrefix = "";
            if (i > 0) {
                stripPrefix = strip.get(i - 1);
                add = false;
            }
            for (Frame frame : frames) {
                String trimmed = frame.raw.startsWith(stripPrefix) ? frame.raw.substring(stripPrefix.length()) : frame.raw;
                if (!trimmed.equals(frame.raw)) {
                    add = true;
                }
                list.add(trimmed);
            }
            if (add) {
                List<String> args = new ArrayList<>(prefix);
                args.addAll(list);
                ret.add(args);
            }
        }
        return ret;
    }

    // ------------------------------------------------------------ stack frames

    private static Frames extractStackFrame(StackFormat stack, String output) {
        Frames r = extractStackFrameImpl(output, stack, stack.parts());
        if (r.ok || stack.parts2().isEmpty()) {
            return r;
        }
        return extractStackFrameImpl(output, stack, stack.parts2());
    }

    /** Cursor over the lines of a text (what Go's bytes.Split(text, "\n") yields). */
    private static final class Lines {
        private final String text;
        private int pos;
        private boolean done;

        Lines(String text) {
            this.text = text;
        }

        boolean hasNext() {
            return !done;
        }

        String next() {
            int nl = text.indexOf('\n', pos);
            String line;
            if (nl < 0) {
                line = text.substring(pos);
                done = true;
            } else {
                line = text.substring(pos, nl);
                pos = nl + 1;
            }
            return line;
        }
    }

    private static Frames extractStackFrameImpl(String output, StackFormat stack, List<Rx> parts) {
        Lines lines = new Lines(output);
        List<String> rawFrames = new ArrayList<>();
        List<Frame> results = new ArrayList<>();
        boolean ok = true;
        int numStackTraces = 0;
        for (int partIdx = 0; ; partIdx++) {
            if (partIdx == parts.size() || parts.get(partIdx) == OopsRules.PARSE_STACK_TRACE && numStackTraces > 0) {
                Frame key = keyFrame(stack, rawFrames);
                if (key == null) {
                    key = new Frame("corrupted", "corrupted");
                    ok = false;
                }
                results.add(key);
                rawFrames = new ArrayList<>();
            }
            if (partIdx == parts.size()) {
                break;
            }
            Rx part = parts.get(partIdx);
            if (part == OopsRules.PARSE_STACK_TRACE) {
                numStackTraces++;
                while (lines.hasNext()) {
                    String ln = lines.next();
                    if (Rx.anyFind(PARAMS.corruptedLines(), ln)) {
                        ok = false;
                        break;
                    }
                    if (Rx.anyFind(PARAMS.stackStartRes(), ln)) {
                        break;
                    }
                    if (partIdx != parts.size() - 1) {
                        Rx.Match m = parts.get(partIdx + 1).search(ln);
                        if (m != null) {
                            appendStackFrame(rawFrames, m, stack.skipRx());
                            partIdx++;
                            break;
                        }
                    }
                    Rx.Match m = null;
                    for (Rx re : PARAMS.frameRes()) {
                        m = re.search(ln);
                        if (m != null) {
                            break;
                        }
                    }
                    appendStackFrame(rawFrames, m, stack.skipRx());
                }
            } else {
                while (lines.hasNext()) {
                    String ln = lines.next();
                    if (Rx.anyFind(PARAMS.corruptedLines(), ln)) {
                        ok = false;
                        break;
                    }
                    Rx.Match m = part.search(ln);
                    if (m == null) {
                        continue;
                    }
                    appendStackFrame(rawFrames, m, stack.skipRx());
                    break;
                }
            }
        }
        return new Frames(results, ok);
    }

    private static void appendStackFrame(List<String> frames, Rx.Match m, Rx skipRx) {
        if (m == null || m.groupCount() < 1) {
            return;
        }
        for (int g = 1; g <= m.groupCount(); g++) {
            String frame = m.group(g);
            if (frame == null) {
                continue;
            }
            frame = Demangler.filter(frame);
            if (skipRx == null || !skipRx.find(frame)) {
                frames.add(frame);
            }
        }
    }

    private record Picked(String frame, int idx) {}

    private static Frame keyFrame(StackFormat stack, List<String> rawFrames) {
        if (rawFrames.isEmpty()) {
            return null;
        }
        List<String> stripped = stripFrames(rawFrames);
        Picked p = switch (stack.extractor()) {
            case FIRST -> new Picked(stripped.get(0), 0);
            case STALL -> stallFrame(stripped);
            case HUNG_TASK -> hungTaskFrame(stripped);
        };
        if (p.frame.isEmpty()) {
            return null;
        }
        return new Frame(p.frame, rawFrames.get(p.idx));
    }

    private static List<String> stripFrames(List<String> frames) {
        List<String> ret = new ArrayList<>(frames.size());
        for (String orig : frames) {
            String frame = orig;
            for (String prefix : PARAMS.stripFramePrefixes()) {
                if (orig.startsWith(prefix) && orig.length() - prefix.length() < frame.length()) {
                    frame = orig.substring(prefix.length());
                }
            }
            ret.add(frame);
        }
        return ret;
    }

    /**
     * syzkaller's linuxStallFrameExtractor: a stall's stack is a random point inside looping code,
     * so the guilty frame is the one just above the first dispatch anchor (syscall entry,
     * workqueue, timer...), or the anchor itself for smp_call_function.
     */
    private static Picked stallFrame(List<String> frames) {
        String prev = frames.get(0);
        int prevIdx = 0;
        for (int i = 0; i < frames.size(); i++) {
            String frame = frames.get(i);
            if (Rx.anyFind(LinuxRules.STALL_ANCHOR_FRAMES, frame)) {
                if (frame.contains("smp_call_function")) {
                    prev = "smp_call_function";
                    prevIdx = i;
                }
                return new Picked(prev, prevIdx);
            }
            prev = frame;
            prevIdx = i;
        }
        return new Picked("", -1);
    }

    private static final List<String> HUNG_ANCHORS =
            List.of("rtnl_lock", "synchronize_rcu", "synchronize_srcu", "synchronize_net", "synchronize_sched");
    private static final List<String> HUNG_SKIP = List.of("sched", "_lock", "_slowlock", "down", "rwsem",
            "completion", "kthread", "wait", "synchronize", "context_switch", "__switch_to", "cancel_delayed_work",
            "rcu_barrier");

    /**
     * syzkaller's linuxHangTaskFrameExtractor: hangs show up at victim stacks, so rtnl_lock and
     * synchronize_*rcu hangs form buckets of their own; otherwise the first non-waiting frame.
     */
    private static Picked hungTaskFrame(List<String> frames) {
        for (int i = 0; i < frames.size(); i++) {
            String frame = frames.get(i);
            for (String anchor : HUNG_ANCHORS) {
                if (frame.contains(anchor)) {
                    return new Picked(anchor.equals("rtnl_lock") ? frame : "synchronize_rcu", i);
                }
            }
        }
        next:
        for (int i = 0; i < frames.size(); i++) {
            for (String ignore : HUNG_SKIP) {
                if (frames.get(i).contains(ignore)) {
                    continue next;
                }
            }
            return new Picked(frames.get(i), i);
        }
        return new Picked("", -1);
    }

    // ------------------------------------------------------------ isCorrupted

    /** Why a titled report is corrupted, or null when it is not. */
    static String isCorrupted(String title, String report, OopsFormat format) {
        if (Rx.anyFind(LinuxRules.CORRUPTED_TITLES, title)) {
            return "title matches corrupted regexp";
        }
        if (format == null || format.noStackTrace()) {
            return null;
        }
        // After 'Call Trace', 'backtrace', 'Allocated' or 'Freed' there must be a frame.
        boolean hasStackTrace = false;
        for (Rx key : PARAMS.stackStartRes()) {
            Rx.Match m = key.search(report);
            if (m == null) {
                continue;
            }
            Lines lines = new Lines(report.substring(m.start()));
            List<String> frames = new ArrayList<>(17);
            while (lines.hasNext() && frames.size() < 17) {
                frames.add(lines.next());
            }
            if (frames.size() < 4) {
                return "call trace is missed";
            }
            boolean corrupted = true;
            outer:
            for (int i = 1; i < 16 && i < frames.size(); i++) {
                String fl = frames.get(i);
                for (Rx key1 : PARAMS.stackStartRes()) {
                    if (key1.find(fl)) {
                        break outer;
                    }
                }
                if (fl.contains("(stack is not available)") || Rx.anyFind(PARAMS.frameRes(), fl)) {
                    hasStackTrace = true;
                    corrupted = false;
                    break;
                }
            }
            if (key != LinuxRules.RISCV_SPECIAL_STACK_START && corrupted) {
                return "no frames in a stack trace";
            }
        }
        if (!hasStackTrace) {
            return "no stack trace in report";
        }
        return null;
    }
}
