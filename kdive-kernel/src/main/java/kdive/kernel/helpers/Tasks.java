package kdive.kernel.helpers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kdive.io.FaultException;
import kdive.kernel.Obj;
import kdive.kernel.Program;

/**
 * Every task of the crashed kernel: the thread-group leaders on init_task.tasks, each leader's
 * threads on signal->thread_head (linked through task->thread_node; thread_group on kernels
 * without it), and the per-CPU idle tasks, which are on no list (init_task is CPU 0's,
 * runqueues[cpu].idle the others'). Corrupt lists are reported, not followed.
 */
public final class Tasks {
    /** PID_MAX_LIMIT on 64-bit (include/linux/threads.h): no list holds more tasks. */
    private static final int MAX_TASKS = 4 * 1024 * 1024;
    private static final long PF_KTHREAD = 0x00200000; // include/linux/sched.h
    /** enum mm_counter_type (include/linux/mm_types_task.h): MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES. */
    private static final int[] RESIDENT_COUNTERS = {0, 1, 3};

    private Tasks() {}

    /**
     * The tasks sorted by pid (idle tasks by CPU), what broke while walking, and the CPU that
     * called panic() with the task it was running.
     */
    public record TaskList(List<Task> tasks, List<String> problems, Optional<Integer> panicCpu, Optional<Task> panicTask) {
        public TaskList {
            tasks = List.copyOf(tasks);
            problems = List.copyOf(problems);
        }
    }

    public static TaskList list(Program prog) {
        var problems = new ArrayList<String>();
        int ncpu = PerCpu.nrCpuIds(prog);
        List<Integer> possible = PerCpu.cpus(prog, "__cpu_possible_mask");
        long[] curr = new long[ncpu];
        Map<Long, Integer> idleCpu = new LinkedHashMap<>();
        long initTask = prog.object("init_task").address();
        for (int cpu : possible) {
            Obj rq = PerCpu.object(prog, "runqueues", cpu);
            try {
                curr[cpu] = rq.member("curr").asLong();
                long idle = rq.member("idle").asLong();
                idleCpu.put(cpu == 0 ? initTask : idle, cpu);
            } catch (FaultException e) {
                problems.add("runqueues[%d]: %s".formatted(cpu, e.getMessage()));
            }
        }
        idleCpu.putIfAbsent(initTask, 0);
        // Task addresses in discovery order; the map's keys make each task appear once.
        var found = new LinkedHashMap<Long, Boolean>();
        idleCpu.keySet().forEach(t -> found.put(t, true));
        long tasksOff = Obj.offsetOf(prog, prog.type("struct task_struct").offset(), "tasks");
        Lists.Walk leaders = Lists.walk(prog, initTask + tasksOff, MAX_TASKS);
        leaders.problem().ifPresent(p -> problems.add("init_task.tasks: " + p));
        for (long node : leaders.nodes()) {
            long leader = node - tasksOff;
            found.putIfAbsent(leader, false);
            threads(prog, leader, found, problems);
        }
        int panicCpu = panicCpu(prog);
        var tasks = new ArrayList<Task>(found.size());
        for (long t : found.keySet()) {
            try {
                Integer idle = idleCpu.get(t);
                tasks.add(read(prog, t, idle, curr));
            } catch (FaultException e) {
                problems.add("task 0x%016x: %s".formatted(t, e.getMessage()));
            }
        }
        tasks.sort(Comparator.comparingInt(Task::pid).thenComparingInt(Task::cpu)
                .thenComparing(Task::address, Long::compareUnsigned));
        Optional<Integer> pc = panicCpu >= 0 && panicCpu < ncpu ? Optional.of(panicCpu) : Optional.empty();
        Optional<Task> pt = pc.flatMap(c -> tasks.stream().filter(x -> x.address() == curr[c]).findFirst());
        return new TaskList(tasks, problems, pc, pt);
    }

    /** The threads of {@code leader}'s group other than itself. */
    private static void threads(Program prog, long leader, Map<Long, Boolean> found, List<String> problems) {
        Obj task = prog.object("struct task_struct", leader);
        try {
            if (task.hasMember("thread_node")) {
                long head = task.member("signal").deref().member("thread_head").address();
                long off = Obj.offsetOf(prog, task.type().offset(), "thread_node");
                Lists.Walk w = Lists.walk(prog, head, MAX_TASKS);
                w.problem().ifPresent(p -> problems.add("threads of 0x%016x: %s".formatted(leader, p)));
                w.nodes().forEach(n -> found.putIfAbsent(n - off, false));
            } else {
                long off = Obj.offsetOf(prog, task.type().offset(), "thread_group");
                Lists.Walk w = Lists.walk(prog, leader + off, MAX_TASKS);
                w.problem().ifPresent(p -> problems.add("threads of 0x%016x: %s".formatted(leader, p)));
                w.nodes().forEach(n -> found.putIfAbsent(n - off, false));
            }
        } catch (FaultException e) {
            problems.add("threads of 0x%016x: %s".formatted(leader, e.getMessage()));
        }
    }

    /**
     * The CPU that crashed: kernel/panic.c panic_cpu (set by panic(), -1 = PANIC_CPU_INVALID
     * otherwise), else x86's crashing_cpu (set on the kexec path, arch/x86/kernel/reboot.c); -1
     * when neither says. The dump's NT_PRSTATUS notes cannot tell: QEMU writes CPU+1 in pr_pid.
     */
    public static int panicCpu(Program prog) {
        if (prog.hasObject("panic_cpu")) {
            int cpu = (int) prog.object("panic_cpu").member("counter").asLong();
            if (cpu >= 0) {
                return cpu;
            }
        }
        return prog.hasObject("crashing_cpu") ? (int) prog.object("crashing_cpu").asLong() : -1;
    }

    static Task read(Program prog, long address, Integer idleCpu, long[] curr) {
        Obj t = prog.object("struct task_struct", address);
        int pid = (int) t.member("pid").asLong();
        int tgid = (int) t.member("tgid").asLong();
        // An idle task is forked by pid 1 while it brings up the CPUs (idle_threads_init), but it
        // is no child of anything: crash shows 0, as for swapper/0.
        int ppid = idleCpu != null ? 0 : (int) t.member("real_parent").member("pid").asLong();
        int cpu = (int) (t.hasMember("cpu") ? t.member("cpu") : t.member("thread_info.cpu")).asLong();
        long state = (t.hasMember("__state") ? t.member("__state") : t.member("state")).asLong();
        long exitState = t.member("exit_state").asLong();
        String comm = t.member("comm").asString(16);
        long flags = t.member("flags").asLong();
        long mm = t.member("mm").asLong();
        boolean kthread = (flags & PF_KTHREAD) != 0 || mm == 0;
        long vsz = 0;
        long rss = 0;
        if (mm != 0) {
            Obj m = t.member("mm").deref();
            vsz = m.member("total_vm").asLong() * 4;
            rss = residentPages(prog, m, t) * 4;
        }
        boolean active = cpu >= 0 && cpu < curr.length && curr[cpu] == address;
        return new Task(address, pid, tgid, ppid, cpu, state, exitState, comm, kthread,
                idleCpu != null, active, vsz, rss);
    }

    /**
     * get_mm_rss(): the file, anon and shmem counters of mm->rss_stat (atomic counters up to
     * 6.1, percpu_counter from 6.2), plus, with SPLIT_RSS_COUNTING, the task's own
     * not-yet-synced task->rss_stat deltas (crash adds those of the thread group too).
     */
    private static long residentPages(Program prog, Obj mm, Obj task) {
        Obj counts = mm.member("rss_stat");
        long pages = 0;
        for (int i : RESIDENT_COUNTERS) {
            Obj c = counts.hasMember("count") ? counts.member("count").index(i) : counts.index(i);
            pages += c.hasMember("counter") ? c.member("counter").asLong() : c.member("count").asLong();
        }
        if (task.hasMember("rss_stat")) {
            Obj own = task.member("rss_stat.count");
            for (int i : RESIDENT_COUNTERS) {
                pages += own.index(i).asLong();
            }
        }
        return Math.max(pages, 0);
    }
}
