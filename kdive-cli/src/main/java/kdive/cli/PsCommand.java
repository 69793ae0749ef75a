package kdive.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.List;
import java.util.stream.Collectors;
import kdive.kernel.helpers.Task;
import kdive.kernel.helpers.Tasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"Every task of a crash dump, laid out like crash's ps: threads, kernel threads ([name])",
                "and the per-CPU idle tasks; '>' marks the task each CPU was running.",
                "A corrupt task list is walked as far as it holds and the broken link reported on stderr.",
                "Exit status: 0 ok, 2 usage error, unreadable dump or vmlinux of another kernel."})
final class PsCommand extends KernelCommand {

    static final String HEADER = "      PID    PPID  CPU       TASK        ST  %MEM      VSZ      RSS  COMM";

    @Option(names = "--json", description = "One JSON object: tasks, problems, panic CPU and task.")
    boolean json;

    @Override
    List<String> print(KernelArgs k, PrintWriter out) {
        Tasks.TaskList list = Tasks.list(k.program);
        long totalPages = totalRam(k);
        if (json) {
            out.println(json(list, totalPages));
        } else {
            out.println(HEADER);
            list.tasks().forEach(t -> out.println(row(t, totalPages)));
        }
        return list.problems();
    }

    /** totalram_pages (mm/page_alloc.c; _totalram_pages since 5.0), the %MEM denominator. */
    private static long totalRam(KernelArgs k) {
        for (String name : new String[] {"_totalram_pages", "totalram_pages"}) {
            if (k.program.hasObject(name)) {
                var o = k.program.object(name);
                return (o.hasMember("counter") ? o.member("counter") : o).asLong();
            }
        }
        return 0;
    }

    static double mem(Task t, long totalPages) {
        return totalPages <= 0 ? 0 : 100.0 * (t.rssKb() / 4.0) / totalPages;
    }

    static String row(Task t, long totalPages) {
        return String.format(Locale.ROOT, "%s%8d %7d %3d  %016x  %s  %4.1f %8d %8d  %s", t.active() ? ">" : " ",
                t.pid(), t.ppid(), t.cpu(), t.address(), t.state(), mem(t, totalPages), t.vszKb(), t.rssKb(),
                t.kernelThread() ? "[" + t.comm() + "]" : t.comm());
    }

    private static String json(Tasks.TaskList list, long totalPages) {
        String tasks = list.tasks().stream().map(t -> String.format(Locale.ROOT,
                "{\"pid\":%d,\"tgid\":%d,\"ppid\":%d,\"cpu\":%d,\"task\":\"0x%016x\",\"state\":%s,\"mem\":%.1f,"
                        + "\"vsz\":%d,\"rss\":%d,\"comm\":%s,\"kernelThread\":%b,\"idle\":%b,\"active\":%b}",
                t.pid(), t.tgid(), t.ppid(), t.cpu(), t.address(), DumpArgs.json(t.state()), mem(t, totalPages),
                t.vszKb(), t.rssKb(), DumpArgs.json(t.comm()), t.kernelThread(), t.idle(), t.active()))
                .collect(Collectors.joining(",", "[", "]"));
        String problems = list.problems().stream().map(DumpArgs::json).collect(Collectors.joining(",", "[", "]"));
        return "{\"tasks\":%s,\"problems\":%s,\"panicCpu\":%s,\"panicTask\":%s}".formatted(tasks, problems,
                list.panicCpu().map(String::valueOf).orElse("null"),
                list.panicTask().map(t -> "\"0x%016x\"".formatted(t.address())).orElse("null"));
    }
}
