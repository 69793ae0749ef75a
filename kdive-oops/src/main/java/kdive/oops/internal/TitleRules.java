package kdive.oops.internal;

import java.util.List;

/**
 * Title post-processing shared by every report: syzkaller's dynamic replacements (addresses,
 * numbers, executor ids...), {@code sanitizeTitle}, the title-to-crash-type table, the frame named
 * by a title, and Go's {@code fmt.Sprintf} for the table's {@code %[n]v} formats.
 */
public final class TitleRules {

    private TitleRules() {}

    private record Replacement(Rx match, String template) {}

    /** Applied in order, each repeated until the title stops changing (report.go dynamicTitleReplacement). */
    private static final List<Replacement> DYNAMIC_REPLACEMENTS = List.of(
            // Executor PIDs are not interesting.
            new Replacement(Rx.of("syz-executor\\.?[0-9]+((/|:)[0-9]+)?"), "syz-executor"),
            new Replacement(Rx.of("syzkaller[0-9]+((/|:)[0-9]+)?"), "syzkaller"),
            // Anything that looks like an address.
            new Replacement(Rx.of("([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}"), "${1}ADDR"),
            new Replacement(Rx.of("([0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3})"), "IP"),
            // File line numbers.
            new Replacement(Rx.of("(\\.\\w+)(:[0-9]+)+"), "${1}:LINE"),
            // func+0x1052/0x2d80 -> func: offsets and sizes are not stable.
            new Replacement(Rx.of("([a-zA-Z][a-zA-Z0-9_.]+)\\+0x[0-9a-z]+/0x[0-9a-z]+"), "${1}"),
            new Replacement(Rx.of("CPU#[0-9]+"), "CPU"),
            // Remaining decimal numbers (may overlap, e.g. "0,1,2": hence the repetition).
            new Replacement(Rx.of("(\\W)(\\d+)(\\W|$)"), "${1}NUM${3}"),
            // Digits are kept inside identifiers (cfg80211), but long runs are something else.
            new Replacement(Rx.of("(\\d+){7,}"), "NUM"));

    private static final int MAX_TITLE_LEN = 120;

    /** The title as syzkaller reports it: dynamic replacements, then {@link #sanitize}. */
    public static String finish(String rawTitle) {
        String t = rawTitle;
        for (Replacement r : DYNAMIC_REPLACEMENTS) {
            t = r.match().replaceAllRepeated(t, r.template());
        }
        return sanitize(t);
    }

    /**
     * syzkaller's {@code sanitizeTitle}: looks at the first 120 bytes only, tabs become spaces,
     * control and non-ASCII bytes are dropped, runs of spaces collapse, then trims. A U+FFFD
     * counts as the single invalid byte it stands for.
     */
    public static String sanitize(String title) {
        StringBuilder res = new StringBuilder(Math.min(title.length(), MAX_TITLE_LEN));
        char prev = ' ';
        int bytes = 0;
        for (int i = 0; i < title.length() && bytes < MAX_TITLE_LEN; i++) {
            char ch = title.charAt(i);
            bytes += utf8Width(title, i);
            if (Character.isHighSurrogate(ch)) {
                i++;
            }
            if (ch == '\t') {
                ch = ' ';
            } else if (ch < 0x20 || ch >= 0x7f) {
                continue;
            }
            if (ch == ' ' && prev == ' ') {
                continue;
            }
            res.append(ch);
            prev = ch;
        }
        return res.toString().strip();
    }

    private static int utf8Width(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x80 || c == '\uFFFD') {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            return 4;
        }
        return 3;
    }

    // ------------------------------------------------------------ crash types

    private record TypeRule(List<String> prefixes, String type) {}

    /** pkg/report/crash/title_to_type.go: the first rule with a matching prefix wins. */
    private static final List<TypeRule> TITLE_TO_TYPE = List.of(
            new TypeRule(List.of("KFENCE: use-after-free write"), "KFENCE-USE-AFTER-FREE-WRITE"),
            new TypeRule(List.of("KFENCE: use-after-free read", "KFENCE: use-after-free"), "KFENCE-USE-AFTER-FREE-READ"),
            new TypeRule(List.of("KFENCE: invalid write", "KFENCE: out-of-bounds write"), "KFENCE-WRITE"),
            new TypeRule(List.of("KFENCE: invalid read", "KFENCE: out-of-bounds read", "KFENCE: out-of-bounds"), "KFENCE-READ"),
            new TypeRule(List.of("KFENCE: memory corruption"), "KFENCE-MEMORY-CORRUPTION"),
            new TypeRule(List.of("KFENCE: invalid free"), "KFENCE-INVALID-FREE"),
            new TypeRule(List.of("KMSAN: uninit-value"), "KMSAN-UNINIT-VALUE"),
            new TypeRule(List.of("KMSAN: kernel-infoleak-after-free", "KMSAN: kernel-usb-infoleak-after-free",
                    "KMSAN: use-after-free"), "KMSAN-USE-AFTER-FREE-READ"),
            new TypeRule(List.of("KMSAN: kernel-infoleak", "KMSAN: kernel-usb-infoleak"), "KMSAN-INFO-LEAK"),
            new TypeRule(List.of("KASAN: null-ptr-deref Write"), "KASAN-NULL-POINTER-DEREFERENCE-WRITE"),
            new TypeRule(List.of("KASAN: null-ptr-deref Read"), "KASAN-NULL-POINTER-DEREFERENCE-READ"),
            new TypeRule(List.of("BUG: unable to handle kernel NULL pointer dereference in"), "NULL-POINTER-DEREFERENCE"),
            new TypeRule(List.of("KASAN: global-out-of-bounds Write", "KASAN: out-of-bounds Write",
                    "KASAN: slab-out-of-bounds Write", "KASAN: stack-out-of-bounds Write",
                    "KASAN: user-memory-access Write", "KASAN: vmalloc-out-of-bounds Write",
                    "KASAN: wild-memory-access Write"), "KASAN-WRITE"),
            new TypeRule(List.of("KASAN: global-out-of-bounds Read", "KASAN: invalid-access Read",
                    "KASAN: out-of-bounds Read", "KASAN: slab-out-of-bounds Read", "KASAN: slab-out-of-bounds",
                    "KASAN: stack-out-of-bounds Read", "KASAN: stack-out-of-bounds", "KASAN: unknown-crash Read",
                    "KASAN: user-memory-access Read", "KASAN: vmalloc-out-of-bounds Read",
                    "KASAN: wild-memory-access Read", "KASAN: wild-memory-access"), "KASAN-READ"),
            new TypeRule(List.of("KASAN: double-free or invalid-free", "KASAN: invalid-free"), "KASAN-INVALID-FREE"),
            new TypeRule(List.of("KASAN: slab-use-after-free Write", "KASAN: use-after-free Write"),
                    "KASAN-USE-AFTER-FREE-WRITE"),
            new TypeRule(List.of("KASAN: slab-use-after-free Read", "KASAN: use-after-free Read", "KASAN: use-after-free"),
                    "KASAN-USE-AFTER-FREE-READ"),
            new TypeRule(List.of("BUG: corrupted list", "BUG: unable to handle kernel paging request"), "MEMORY_SAFETY_BUG"),
            new TypeRule(List.of("WARNING: refcount bug"), "REFCOUNT_WARNING"),
            new TypeRule(List.of("UBSAN: array-index-out-of-bounds"), "MEMORY_SAFETY_UBSAN"),
            new TypeRule(List.of("KCSAN: data-race"), "KCSAN-DATARACE"),
            new TypeRule(List.of("KCSAN: assert: race in"), "KCSAN-ASSERT"),
            new TypeRule(List.of("BUG: bad unlock balance in", "BUG: held lock freed in", "BUG: rwlock", "BUG: spinlock",
                    "BUG: still has locks held in", "BUG: using", "WARNING: bad unlock balance in",
                    "WARNING: held lock freed in", "WARNING: lock held", "WARNING: locking bug in",
                    "WARNING: nested lock was not taken in", "WARNING: still has locks held in",
                    "WARNING: suspicious RCU usage in", "inconsistent lock state in", "possible deadlock in"), "LOCKDEP"),
            new TypeRule(List.of("BUG: scheduling while atomic in", "BUG: sleeping function called from invalid context in"),
                    "ATOMIC_SLEEP"),
            new TypeRule(List.of("memory leak in"), "LEAK"),
            new TypeRule(List.of("BUG: bad usercopy in", "kernel BUG"), "BUG"),
            new TypeRule(List.of("WARNING in"), "WARNING"),
            // printk() reports: no class.
            new TypeRule(List.of("BUG: stack guard page was hit in", "WARNING: corrupted",
                    "WARNING: kernel stack frame pointer has bad value", "WARNING: kernel stack regs has bad"), "UNKNOWN"),
            new TypeRule(List.of("BUG: soft lockup in", "INFO: rcu detected stall in", "INFO: task can't die in",
                    "INFO: task hung in"), "HANG"),
            new TypeRule(List.of("Alignment trap in", "BUG: Object already free", "Internal error in", "PANIC: double fault",
                    "Unhandled fault in", "VFS: Busy inodes after unmount (use-after-free)",
                    "VFS: Close: file count is zero (use-after-free)", "divide error in", "general protection fault in",
                    "go runtime error", "int3 in", "invalid opcode in", "kernel panic:", "kernel stack overflow", "panic:",
                    "rust_kernel panicked", "stack segment fault in", "trusty:",
                    "unregister_netdevice: waiting for DEV to become free"), "DoS"),
            new TypeRule(List.of("no output from test machine"), "NO_OUTPUT"),
            new TypeRule(List.of("unexpected kernel reboot"), "REBOOT"),
            new TypeRule(List.of("SYZFAIL", "SYZFATAL:"), "SYZ_FAILURE"),
            // Defaults.
            new TypeRule(List.of("WARNING:"), "WARNING"),
            new TypeRule(List.of("BUG:"), "UNKNOWN"),
            new TypeRule(List.of("INFO:"), "UNKNOWN"),
            new TypeRule(List.of("KASAN:"), "KASAN-UNKNOWN"),
            new TypeRule(List.of("KFENCE:"), "KFENCE-UNKNOWN"),
            new TypeRule(List.of("KMSAN:"), "KMSAN-UNKNOWN"),
            new TypeRule(List.of("UBSAN:"), "UBSAN"),
            new TypeRule(List.of("KCSAN:"), "KCSAN-UNKNOWN"));

    /** syzkaller's crash type of a (final) title, {@code "UNKNOWN"} when none applies. */
    public static String typeOf(String title) {
        for (TypeRule rule : TITLE_TO_TYPE) {
            for (String prefix : rule.prefixes()) {
                if (title.startsWith(prefix)) {
                    return rule.type();
                }
            }
        }
        return "UNKNOWN";
    }

    private static final Rx REPORT_FRAME = Rx.of(".* in ((?:<[a-zA-Z0-9_: ]+>)?[a-zA-Z0-9_:]+)");

    /** The function a title names after its last {@code " in "}, or empty. */
    public static String frameOf(String title) {
        Rx.Match m = REPORT_FRAME.search(title);
        return m == null || m.group(1) == null ? "" : m.group(1);
    }

    // ------------------------------------------------------------ Go fmt

    /**
     * Go's {@code fmt.Sprintf} restricted to string arguments: {@code %v}/{@code %s} with optional
     * explicit {@code [n]} indexes, {@code %%}, and Go's error notations for missing, bad or extra
     * arguments.
     */
    public static String sprintf(String format, List<String> args) {
        StringBuilder out = new StringBuilder(format.length() + 32);
        int argNum = 0;
        boolean reordered = false;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            i++;
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            boolean badIndex = false;
            if (format.charAt(i) == '[') {
                reordered = true;
                int close = format.indexOf(']', i);
                int idx = -1;
                if (close > i + 1) {
                    try {
                        idx = Integer.parseInt(format.substring(i + 1, close));
                    } catch (NumberFormatException e) {
                        idx = -1;
                    }
                }
                if (close < 0 || idx < 1 || idx > args.size()) {
                    badIndex = true;
                    i = close < 0 ? format.length() - 1 : close;
                } else {
                    argNum = idx - 1;
                    i = close;
                }
                i++;
                if (i >= format.length()) {
                    out.append("%!(NOVERB)");
                    break;
                }
            }
            char verb = format.charAt(i);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (badIndex) {
                out.append("%!").append(verb).append("(BADINDEX)");
                continue;
            }
            if (argNum >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            out.append(args.get(argNum++));
        }
        if (!reordered && argNum < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = argNum; k < args.size(); k++) {
                if (k > argNum) {
                    out.append(", ");
                }
                out.append("string=").append(args.get(k));
            }
            out.append(')');
        }
        return out.toString();
    }
}
