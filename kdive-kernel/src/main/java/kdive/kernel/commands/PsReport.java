package kdive.kernel.commands;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kdive.kernel.Program;
import kdive.kernel.helpers.Task;
import kdive.kernel.helpers.Tasks;

/**
 * crash's {@code ps}: one row per task, the panic CPU and task (null when the dump does not say),
 * what broke on the way.
 */
public record PsReport(List<Row> tasks, List<String> problems, Integer panicCpu, String panicTask) {
    public static final String HEADER = "      PID    PPID  CPU       TASK        ST  %MEM      VSZ      RSS  COMM";

    public PsReport {
        tasks = List.copyOf(tasks);
        problems = List.copyOf(problems);
    }

    /** One task as ps shows it; {@code task} is the task_struct's address as crash writes it. */
    public record Row(int pid, int tgid, int ppid, int cpu, String task, String state, BigDecimal mem, long vsz, long rss,
                      String comm, boolean kernelThread, boolean idle, boolean active) {}

    public static PsReport of(Program prog) {
        Tasks.TaskList list = Tasks.list(prog);
        long totalPages = totalRam(prog);
        var rows = new ArrayList<Row>();
        for (Task t : list.tasks()) {
            rows.add(new Row(t.pid(), t.tgid(), t.ppid(), t.cpu(), "0x%016x".formatted(t.address()), t.runState().crashName(),
                    BigDecimal.valueOf(mem(t, totalPages)).setScale(1, RoundingMode.HALF_UP), t.vszKb(), t.rssKb(), t.comm(),
                    t.kernelThread(), t.idle(), t.active()));
        }
        return new PsReport(rows, list.problems(), list.panicCpu().orElse(null),
                list.panicTask().map(t -> "0x%016x".formatted(t.address())).orElse(null));
    }

    /** totalram_pages (mm/page_alloc.c; _totalram_pages since 5.0), the %MEM denominator. */
    private static long totalRam(Program prog) {
        for (String name : new String[] {"_totalram_pages", "totalram_pages"}) {
            if (prog.hasObject(name)) {
                var o = prog.object(name);
                return (o.hasMember("counter") ? o.member("counter") : o).asLong();
            }
        }
        return 0;
    }

    private static double mem(Task t, long totalPages) {
        return totalPages <= 0 ? 0 : 100.0 * (t.rssKb() / 4.0) / totalPages;
    }

    /** crash's table: the header, then one line per task, '>' on each CPU's running task. */
    public List<String> text() {
        var out = new ArrayList<String>(tasks.size() + 1);
        out.add(HEADER);
        for (Row t : tasks) {
            out.add(String.format(Locale.ROOT, "%s%8d %7d %3d  %s  %s  %4.1f %8d %8d  %s", t.active() ? ">" : " ",
                    t.pid(), t.ppid(), t.cpu(), t.task().substring(2), t.state(), t.mem(), t.vsz(), t.rss(),
                    t.kernelThread() ? "[" + t.comm() + "]" : t.comm()));
        }
        return out;
    }
}
