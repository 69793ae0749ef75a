package kdive.oops;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line naming the crashed task and the kernel, in each form the kernel printed it:
 * <ul>
 *   <li>{@code dump_stack_print_info()} (lib/dump_stack.c, 3.10+):
 *       {@code CPU: 1 PID: 946 Comm: X Not tainted 3.15.10-201.fc20.x86_64 #1}, with {@code UID: 0} before
 *       the PID since 6.11 and the preemption model ({@code PREEMPT(voluntary)}) after the version since 6.16;
 *   <li>{@code __show_regs()}/{@code show_regs_common()} before it (2.6.x, 3.x):
 *       {@code Pid: 1473, comm: Xorg Not tainted 2.6.32-0.51.rc7.git2.fc13.x86_64 #1 2007CTO}, the i386
 *       form of 2.6.2x with the release in parentheses ({@code Not tainted (2.6.27.9-159.fc10.i686 #1)});
 *   <li>RHEL's kernels, whose {@code dump_stack_print_info()} adds {@code Kdump: loaded} after the command
 *       name and whose {@code print_tainted()} adds unsupported-hardware markers after the flags
 *       ({@code Tainted: G W ------------ 3.10.0-1160.el7}, {@code Tainted: G OE -------- -  - 4.18.0-552.el8},
 *       {@code GF O--------------   3.10.0-54.0.1.el7});
 *   <li>lockdep's banner ({@code print_lock_header}-era {@code 3.5.0-rc5 #2 Not tainted} under
 *       {@code [ INFO: possible recursive locking detected ]}), which names only the kernel.
 * </ul>
 * The release may carry dots, pluses, dashes, vendor localversions ({@code 6.12.33-cloudflare-2025.6.3},
 * {@code 5.9.0-rc5-next-20200915}); when a console wrapped it onto the next line, {@link #wrappedRelease}
 * reads it there.
 *
 * @param cpu CPU number, when the line names one
 * @param pid task id, when the line names one
 * @param comm task name ({@code ""} for lockdep's banner)
 * @param tainted whether the taint field said {@code Tainted:}
 * @param taint the taint flags, trimmed
 * @param release kernel release, {@code ""} when the line stops before it (wrapped)
 * @param hardware what follows the version on 2.6.x/3.x lines (the DMI product name), else {@code ""}
 */
record TaskLine(OptionalInt cpu, OptionalInt pid, String comm, boolean tainted, String taint, String release,
                String hardware) {

    private static final Pattern NEW_FORM = Pattern.compile("CPU: (\\d+) (?:UID: \\d+ )?PID: (\\d+) Comm: ");
    private static final Pattern OLD_FORM = Pattern.compile("^Pid: (\\d+), comm: ");
    /** {@code CPU: 1 PID: 1} cut by a console's line width; the next line goes on with the PID's digits. */
    private static final Pattern CUT_AFTER_PID = Pattern.compile("CPU: \\d+ (?:UID: \\d+ )?PID: \\d+$");
    private static final Pattern TAINT = Pattern.compile(" (Not tainted|Tainted:)");
    private static final Pattern LOCKDEP_BANNER = Pattern.compile(
            "^(\\d+\\.\\d+[^\\s#]*) #\\S+(?: +(?:Not tainted|Tainted:[A-Z ]*))?\\s*$");
    /** A release alone at the start of a line: what a wrapped task line left for the next one. */
    private static final Pattern RELEASE_START = Pattern.compile("^(\\d+\\.\\d+[^\\s#]*)(?: +#\\S*.*)?$");
    private static final String KDUMP = " Kdump: loaded";

    /** True when {@code line} ends right after its PID, so the next line holds the rest of the PID. */
    static boolean cutAfterPid(String line) {
        return CUT_AFTER_PID.matcher(line).find();
    }

    /** The task line in {@code line}, if it is one. */
    static Optional<TaskLine> parse(String line) {
        Matcher m = NEW_FORM.matcher(line);
        OptionalInt cpu = OptionalInt.empty();
        int pid;
        int rest;
        if (m.find()) {
            cpu = OptionalInt.of(Integer.parseInt(m.group(1)));
            pid = parseInt(m.group(2));
            rest = m.end();
        } else if ((m = OLD_FORM.matcher(line)).find()) {
            pid = parseInt(m.group(1));
            rest = m.end();
        } else {
            return Optional.empty();
        }
        Matcher t = TAINT.matcher(line);
        if (pid < 0 || !t.find(rest)) {
            return Optional.empty();
        }
        String comm = line.substring(rest, t.start()).strip();
        if (comm.endsWith(KDUMP.strip())) {
            comm = comm.substring(0, comm.length() - KDUMP.strip().length()).strip();
        }
        boolean tainted = t.group(1).equals("Tainted:");
        int i = t.end();
        int flagsStart = i;
        if (tainted) {
            // Taint flags are capital letters padded with spaces (print_tainted()).
            while (i < line.length() && (Character.isUpperCase(line.charAt(i)) || line.charAt(i) == ' ')) {
                i++;
            }
        }
        String taint = line.substring(flagsStart, i).strip();
        // RHEL's markers: dashes and spaces between the flags and the release.
        while (i < line.length() && (line.charAt(i) == '-' || line.charAt(i) == ' ')) {
            i++;
        }
        String tail = line.substring(i);
        String release = "";
        String hardware = "";
        if (!tail.isEmpty()) {
            boolean parenthesized = tail.charAt(0) == '(';
            String body = parenthesized ? tail.substring(1) : tail;
            int end = 0;
            while (end < body.length() && !Character.isWhitespace(body.charAt(end)) && body.charAt(end) != ')') {
                end++;
            }
            release = body.substring(0, end);
            String after = body.substring(end).strip();
            if (!parenthesized && after.startsWith("#")) {
                int sp = after.indexOf(' ');
                hardware = sp < 0 ? "" : after.substring(sp + 1).strip();
            }
        }
        return Optional.of(new TaskLine(cpu, OptionalInt.of(pid), comm, tainted, taint, release,
                cpu.isPresent() ? "" : hardware));
    }

    /** The release in lockdep's banner line ({@code 3.5.0-rc5 #2 Not tainted}), if it is one. */
    static Optional<String> lockdepRelease(String line) {
        Matcher m = LOCKDEP_BANNER.matcher(line);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The release a wrapped task line left at the start of {@code line}, if it looks like one. */
    static Optional<String> wrappedRelease(String line) {
        Matcher m = RELEASE_START.matcher(line);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
