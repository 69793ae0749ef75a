package kdive.oops;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a call trace, in each era's and arch's form (x86 {@code show_trace_log_lvl()}, arm
 * {@code dump_backtrace_entry()}, arm64 {@code dump_backtrace()}, powerpc {@code show_stack()}, s390
 * {@code show_trace()}), as a {@link Frame}; or a line that belongs inside a trace without being a frame
 * (arm's saved registers and exception stacks), or neither.
 */
final class TraceLine {

    /** What a trace line is. */
    sealed interface Kind permits AFrame, Inside, Outside {}

    /** A frame. */
    record AFrame(Frame frame) implements Kind {}

    /** A line that sits inside a trace without being a frame: skip it, the trace goes on. */
    record Inside() implements Kind {}

    /** Not a trace line: the trace ends here. */
    record Outside() implements Kind {}

    private static final String SYM = "[A-Za-z_.$][A-Za-z0-9_.$@]*";
    private static final String MOD = "(?: +\\[([A-Za-z0-9_\\-]+)(?: [A-Za-z0-9_]+)?\\])?";

    /** x86 and arm64: {@code [<addr>] ? sym+0x1/0x2 [mod]}, {@code ? sym+0x1/0x2}, {@code sym+0x1/0x2 file.c:12}. */
    private static final Pattern FRAME = Pattern.compile(
            "^(?:\\[<([0-9a-f]+)>\\] *)?(\\? +)?(" + SYM + ")\\+0x([0-9a-f]+)(?:/0x([0-9a-f]+))?"
                    + MOD + "(?: +(\\S+:\\d+)(?: \\[inline\\])?)?\\s*$");
    private static final Pattern INLINE_FRAME = Pattern.compile(
            "^(\\? +)?(" + SYM + ") +(\\S+:\\d+) \\[inline\\]\\s*$");
    private static final Pattern BARE_FRAME = Pattern.compile(
            "^\\[<([0-9a-f]+)>\\] *(\\? +)?(?:0x[0-9a-f]+)?\\s*$|^(\\? +)?0x([0-9a-f]+)\\s*$");
    /**
     * arm: {@code [<addr>] (sym+0x1/0x2 [mod]) from [<addr>] (caller+0x3/0x4)}; since 3.18 the frame's own
     * function is printed without offset ({@code (sym) from}), with the module after it ({@code (sym [mod])}).
     */
    private static final Pattern ARM_FROM_FRAME = Pattern.compile(
            "^\\[<([0-9a-f]+)>\\] \\((" + SYM + ")(?:\\+0x([0-9a-f]+)/0x([0-9a-f]+))?(?: \\[([A-Za-z0-9_\\-]+)\\])?\\)"
                    + "(?: from |\\s*$)");
    /** arm since 6.1 ({@code dump_backtrace_entry()} without addresses): {@code sym from caller+0x3/0x4}. */
    private static final Pattern ARM_BARE_FROM = Pattern.compile(
            "^(" + SYM + ")(?: \\[([A-Za-z0-9_\\-]+)\\])? from " + SYM + "\\+0x[0-9a-f]+/0x[0-9a-f]+");
    /** powerpc: {@code [sp] [lr] sym+0x1/0x2 [mod] (unreliable)}. */
    private static final Pattern PPC_FRAME = Pattern.compile(
            "^\\[[0-9a-f]{8,16}\\] \\[([0-9a-f]{8,16})\\] (?:(" + SYM + ")\\+0x([0-9a-f]+)/0x([0-9a-f]+)" + MOD
                    + "|0x[0-9a-f]+)( \\(unreliable\\))?\\s*$");
    /** s390: the first frame, from the saved return register, is printed in parentheses. */
    private static final Pattern S390_SAVED = Pattern.compile(
            "^\\(\\[<([0-9a-f]+)>\\] (?:(" + SYM + ")\\+0x([0-9a-f]+)/0x([0-9a-f]+)" + MOD + "|0x[0-9a-f]+)\\)\\s*$");
    /** arm's saved registers between frames ({@code r7:df912310 r6:df912140}) and exception stacks. */
    private static final Pattern ARM_INSIDE = Pattern.compile(
            "^(?:r\\d{1,2}:[0-9a-f]{8}(?: |$)|Exception stack\\(0x[0-9a-f]+ to 0x[0-9a-f]+\\)|[0-9a-f]{4}: (?: *[0-9a-f]{8}){1,8}\\s*$)");

    private TraceLine() {}

    /** Parses one prefix-free, trimmed trace line; {@code context} is the stack the trace is on. */
    static Kind parse(String line, String context) {
        Matcher m;
        if ((m = FRAME.matcher(line)).find()) {
            return new AFrame(new Frame(hex(m.group(1)), m.group(3), hexValue(m.group(4)), hexValue(m.group(5)),
                    nz(m.group(6)), m.group(2) == null, context, nz(m.group(7))));
        }
        if ((m = INLINE_FRAME.matcher(line)).find()) {
            return new AFrame(new Frame(OptionalLong.empty(), m.group(2), 0, 0, "", m.group(1) == null, context,
                    m.group(3)));
        }
        if ((m = ARM_FROM_FRAME.matcher(line)).find()) {
            return new AFrame(new Frame(hex(m.group(1)), m.group(2), hexValue(m.group(3)), hexValue(m.group(4)),
                    nz(m.group(5)), true, context, ""));
        }
        if ((m = ARM_BARE_FROM.matcher(line)).find()) {
            return new AFrame(new Frame(OptionalLong.empty(), m.group(1), 0, 0, nz(m.group(2)), true, context, ""));
        }
        if ((m = PPC_FRAME.matcher(line)).find()) {
            return new AFrame(new Frame(hex(m.group(1)), nz(m.group(2)), hexValue(m.group(3)), hexValue(m.group(4)),
                    nz(m.group(5)), m.group(6) == null, context, ""));
        }
        if ((m = S390_SAVED.matcher(line)).find()) {
            return new AFrame(new Frame(hex(m.group(1)), nz(m.group(2)), hexValue(m.group(3)), hexValue(m.group(4)),
                    nz(m.group(5)), false, context, ""));
        }
        if ((m = BARE_FRAME.matcher(line)).find()) {
            String addr = m.group(1) != null ? m.group(1) : m.group(4);
            boolean unreliable = m.group(2) != null || m.group(3) != null;
            return new AFrame(new Frame(hex(addr), "", 0, 0, "", !unreliable, context, ""));
        }
        if (ARM_INSIDE.matcher(line).find()) {
            return new Inside();
        }
        return new Outside();
    }

    /** True for a line that can only be an arm frame: it starts a trace even without a {@code Backtrace:} line. */
    static boolean isArmFrame(String line) {
        return ARM_FROM_FRAME.matcher(line).find() || ARM_BARE_FROM.matcher(line).find();
    }

    static OptionalLong hex(String s) {
        if (s == null || s.isEmpty() || s.length() > 16) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(s, 16));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static long hexValue(String s) {
        return hex(s).orElse(0);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
