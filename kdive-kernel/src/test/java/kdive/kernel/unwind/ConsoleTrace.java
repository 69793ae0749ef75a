package kdive.kernel.unwind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's own report on the console (arch/x86/kernel/dumpstack.c): the register dump of the
 * exception (if the crash was one), the "Call Trace:" frames with their '?' marks (a '?' is a
 * stack word the ORC unwinder did not reach: unreliable), and the user registers the trace ended at.
 */
record ConsoleTrace(Optional<Regs> exception, List<Line> frames, Optional<Regs> user) {

    /** A Call Trace line: "func+0xoff/0xsize [module]", reliable unless marked '?'. */
    record Line(String function, long offset, String module, boolean reliable) {
        String key() {
            return function + "+0x" + Long.toHexString(offset);
        }
    }

    /** A register dump: "RIP: 0010:func+0x14/0x30 [mod]" (or a bare user address) and the named registers. */
    record Regs(String rip, Map<String, Long> values) {}

    private static final Pattern FRAME = Pattern.compile(
            "\\]  (\\? )?([\\w.]+)\\+0x([0-9a-f]+)/0x[0-9a-f]+(?: \\[(\\w+)\\])?\\s*$");
    private static final Pattern RIP = Pattern.compile("\\] RIP: ([0-9a-f]{4}):(\\S+)");
    private static final Pattern REG = Pattern.compile("\\b(R[A-Z0-9]{2}|EFLAGS|ORIG_RAX): (?:[0-9a-f]{4}:)?([0-9a-f]{8,16})");

    /** The first Call Trace of the console (the oops, or panic()'s dump_stack) with the dumps around it. */
    static ConsoleTrace parse(List<String> console) {
        int trace = -1;
        for (int i = 0; i < console.size() && trace < 0; i++) {
            if (console.get(i).contains("] Call Trace:")) {
                trace = i;
            }
        }
        if (trace < 0) {
            throw new AssertionError("no Call Trace in the console");
        }
        Optional<Regs> exception = Optional.empty();
        for (int i = trace - 1; i >= Math.max(0, trace - 14); i--) {
            Matcher m = RIP.matcher(console.get(i));
            if (m.find()) {
                exception = Optional.of(regs(console, i, trace, m.group(2)));
                break;
            }
            if (console.get(i).contains("Kernel panic") || console.get(i).contains("Hardware name")) {
                break;
            }
        }
        var frames = new ArrayList<Line>();
        Optional<Regs> user = Optional.empty();
        for (int i = trace + 1; i < console.size(); i++) {
            String l = console.get(i);
            if (l.contains("</TASK>") || l.contains("---[ end")) {
                break;
            }
            Matcher rip = RIP.matcher(l);
            if (rip.find()) {
                int end = i + 1;
                while (end < console.size() && !console.get(end).contains("</TASK>") && end < i + 10) {
                    end++;
                }
                user = Optional.of(regs(console, i, end, rip.group(2)));
                break;
            }
            Matcher m = FRAME.matcher(l);
            if (m.find()) {
                frames.add(new Line(m.group(2), Long.parseUnsignedLong(m.group(3), 16),
                        m.group(4) == null ? "" : m.group(4), m.group(1) == null));
            }
        }
        return new ConsoleTrace(exception, frames, user);
    }

    private static Regs regs(List<String> console, int from, int to, String rip) {
        var values = new LinkedHashMap<String, Long>();
        for (int i = from; i < to; i++) {
            Matcher m = REG.matcher(console.get(i).replaceAll("^\\[[^]]*\\]", ""));
            while (m.find()) {
                if (!m.group(1).equals("RIP")) {
                    values.put(m.group(1), Long.parseUnsignedLong(m.group(2), 16));
                }
            }
        }
        return new Regs(rip, values);
    }

    List<Line> reliable() {
        return frames.stream().filter(Line::reliable).toList();
    }
}
