package kdive.oops.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * syzkaller's guilty-file heuristic ({@code extractGuiltyFileRaw}): the first {@code file.c:line}
 * of a symbolized report that is not generic infrastructure (allocators, locking, printk,
 * sanitizers, arch fault handling...), then, further down, a deeper path in the same directory if
 * there is one.
 */
public final class GuiltyRules {

    private GuiltyRules() {}

    private static final Rx FILENAME = Rx.of("([a-zA-Z0-9_\\-\\./]*[a-zA-Z0-9_\\-]+\\.(c|h)):[0-9]+");
    private static final Rx DEEPER_PATH = Rx.of("^/[a-zA-Z0-9_\\-\\./]+/[a-zA-Z0-9_\\-]+\\.(c|h)$");

    private static final List<Rx> FILE_IGNORES = rxs(
            ".*\\.h", "^lib/.*", "^virt/lib/.*", "^mm/kasan/.*", "^mm/kmsan/.*", "^kernel/kcov.c", "^mm/sl.b.c",
            "^mm/filemap.c", "^mm/folio-compat.c", "^mm/truncate.c", "^mm/memory.c", "^mm/percpu.*", "^mm/vmalloc.c",
            "^mm/page_alloc.c", "^mm/mempool.c", "^mm/util.c", "^kernel/rcu/.*", "^arch/.*/kernel/traps.c",
            "^arch/.*/kernel/unwind.*.c", "^arch/.*/mm/fault.c", "^arch/.*/mm/physaddr.c",
            "^arch/.*/kernel/stacktrace.c", "^arch/.*/kernel/apic/apic.c", "^arch/arm64/kernel/entry.*.c",
            "^arch/arm64/kernel/process\\.c", "^kernel/locking/.*", "^kernel/panic.c", "^kernel/printk/printk.*.c",
            "^kernel/softirq.c", "^kernel/kthread.c", "^kernel/sched/.*.c", "^kernel/stacktrace.c",
            "^kernel/time/timer.c", "^kernel/workqueue.c", "^net/core/dev.c", "^net/core/sock.c",
            "^net/core/skbuff.c", "^fs/proc/generic.c",
            "^trusty/", // Trusty sources are not in the kernel tree.
            "^drivers/usb/core/urb.c", // a WARNING in urb.c usually means a bug in a driver
            "^arch/.*/lib/crc.*"); // crashes there are caused by the caller

    private static final Rx LINE_IGNORE = Rx.of(
            "(hardirqs|softirqs)\\s+last\\s+(enabled|disabled)|,\\s+at:\\s+|^\\s*#\\d+:|^Register r\\d+ information");

    private static List<Rx> rxs(String... res) {
        List<Rx> out = new ArrayList<>();
        for (String r : res) {
            out.add(Rx.of(r));
        }
        return List.copyOf(out);
    }

    /** The guilty file of a report, empty when it names no source file. */
    public static String extract(String title, String report) {
        if (title.startsWith("INFO: rcu detected stall")) {
            // Too many frames to skip before the guilty ones: start at the interrupt entry instead.
            for (String interruptEnd : List.of("apic_timer_interrupt+0x", "el1h_64_irq+0x", "Exception stack")) {
                int pos = report.indexOf(interruptEnd);
                if (pos >= 0) {
                    String file = extractImpl(report.substring(pos));
                    if (!file.isEmpty()) {
                        return file;
                    }
                }
            }
        }
        return extractImpl(report);
    }

    private static String extractImpl(String report) {
        String[] lines = report.split("\n", -1);
        String guilty = "";
        int i = 0;
        for (; i < lines.length; i++) {
            String line = lines[i];
            Rx.Match m = FILENAME.search(line);
            if (m == null) {
                continue;
            }
            String file = m.group(1);
            if (guilty.isEmpty()) {
                // Better some file than none (the report would reach nobody).
                guilty = file;
            }
            if (Rx.anyFind(FILE_IGNORES, file) || LINE_IGNORE.find(line)) {
                continue;
            }
            guilty = clean(file);
            i++;
            break;
        }
        // A deeper path in the same directory further down the trace is more specific.
        String deepest = dir(guilty);
        for (; i < lines.length; i++) {
            String line = lines[i];
            Rx.Match m = FILENAME.search(line);
            if (m == null) {
                continue;
            }
            String file = m.group(1);
            if (Rx.anyFind(FILE_IGNORES, file) || LINE_IGNORE.find(line)) {
                continue;
            }
            String c = clean(file);
            if (c.startsWith(deepest) && DEEPER_PATH.find(c.substring(deepest.length()))) {
                guilty = c;
                deepest = dir(guilty);
            }
        }
        return guilty;
    }

    /** Go's filepath.Dir. */
    static String dir(String path) {
        int slash = path.lastIndexOf('/');
        return clean(path.substring(0, slash + 1));
    }

    /** Go's filepath.Clean (Unix). */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.charAt(0) == '/';
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) {
                    out.removeLast();
                } else if (!rooted) {
                    out.add("..");
                }
                continue;
            }
            out.add(part);
        }
        String joined = String.join("/", out);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }
}
