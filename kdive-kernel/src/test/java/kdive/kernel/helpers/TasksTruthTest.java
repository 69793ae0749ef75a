package kdive.kernel.helpers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kdive.kernel.Dumps;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The task list of every dump file against what the guest's busybox ps printed just before the
 * crash (console.log), drgn's CPU column (drgn.txt) and the panic line's "CPU: N PID: P Comm: C".
 * crash 8.0.2 lists only 3 tasks on this 6.1 kernel, so it is no reference here.
 */
@Tag("vmcore")
@Tag("every-kernel")
class TasksTruthTest extends DumpTruthTest {
    /** One row of busybox "ps -o pid,ppid,stat,comm". */
    record PsRow(int pid, int ppid, String stat, String comm) {}

    /**
     * The guest's multi-threaded process (scripts/crashlab/threads.c): the console's "threads"
     * section, "leader PID" then every TID of the group (the leader's own included).
     */
    record ThreadGroup(int leader, List<Integer> tids) {
        static ThreadGroup of(String scenario) {
            List<String> lines = Dumps.truth(scenario, "threads");
            assertThat(lines).as("the threads section of " + scenario).isNotEmpty();
            int leader = Integer.parseInt(lines.getFirst().substring("leader ".length()).strip());
            List<Integer> tids = lines.stream().skip(1).map(String::strip).filter(l -> l.matches("\\d+"))
                    .map(Integer::valueOf).sorted().toList();
            return new ThreadGroup(leader, tids);
        }
    }

    static List<PsRow> consolePs(String scenario) {
        var rows = new ArrayList<PsRow>();
        for (String l : Dumps.truth(scenario, "ps")) {
            String[] f = l.strip().split(" +");
            if (f.length == 4 && f[0].matches("\\d+")) {
                rows.add(new PsRow(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], f[3]));
            }
        }
        return rows;
    }

    /**
     * A kernel thread the kernel started after the guest's ps ran: a child of kthreadd with a PID
     * above ps's own (a workqueue pool spawned a kworker in the seconds before a 6.12 crash). It is
     * in the dump and rightly so (drgn lists it too); the console could not list it.
     */
    static Predicate<Task> bornAfterPs(String scenario) {
        int psPid = consolePs(scenario).stream().filter(r -> r.comm().equals("ps")).mapToInt(PsRow::pid).max()
                .orElseThrow(() -> new AssertionError("ps did not list itself in the console of " + scenario));
        return t -> t.kernelThread() && t.ppid() == 2 && t.pid() > psPid;
    }

    /** The console's "CPU: 0 PID: 1 Comm: init" ("CPU: 0 UID: 0 PID: 1") of the panic (or oops) report. */
    static int[] panicCpuPid(String scenario) {
        Pattern p = Pattern.compile("\\] CPU: (\\d+) (?:UID: \\d+ )?PID: (\\d+) Comm: (\\S+)"); // UID since 6.11
        for (String l : Dumps.console(scenario)) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            }
        }
        throw new AssertionError("no CPU: PID: line in the console of " + scenario);
    }

    /** /proc/PID/comm of a busy kworker adds "-workqueue" (wq_worker_comm); busybox cuts it at 15. */
    static boolean sameComm(String console, String comm) {
        return console.equals(comm) || comm.startsWith("kworker/")
                && (console.startsWith(comm + "-") || (comm + "-").startsWith(console) && console.length() == 15);
    }

    @TestFactory
    Stream<DynamicTest> everyTaskTheConsoleListed() {
        var scenarios = new ArrayList<DynamicTest>();
        for (String s : Dumps.SCENARIOS) {
            List<Task> reference = new ArrayList<>();
            for (String f : Dumps.FILES) {
                scenarios.add(DynamicTest.dynamicTest(s + "/" + f, () -> check(s, f, reference)));
            }
        }
        scenarios.add(DynamicTest.dynamicTest("novmcoreinfo/qemu-kdump-zlib.flat",
                () -> check("novmcoreinfo", "qemu-kdump-zlib.flat", new ArrayList<>())));
        return scenarios.stream();
    }

    private static void check(String scenario, String file, List<Task> reference) {
        Tasks.TaskList list = read(scenario, file, Tasks::list);
        assertThat(list.problems()).isEmpty();
        List<Task> tasks = list.tasks();
        // The per-CPU idle tasks, on no list: swapper/N, pid 0, on CPU N.
        List<Task> idle = tasks.stream().filter(Task::idle).toList();
        assertThat(idle).extracting(Task::comm).containsExactly("swapper/0", "swapper/1");
        assertThat(idle).extracting(Task::cpu).containsExactly(0, 1);
        assertThat(idle).extracting(Task::pid).containsOnly(0);

        // Every process ps listed, except ps itself (it exited before the crash), and nothing else
        // (busybox ps lists processes: the group leaders).
        List<PsRow> ps = consolePs(scenario).stream().filter(r -> !r.comm().equals("ps")).toList();
        Predicate<Task> late = bornAfterPs(scenario);
        List<Task> others = tasks.stream().filter(t -> !t.idle() && t.pid() == t.tgid() && !late.test(t)).toList();
        assertThat(others).extracting(Task::pid).containsExactlyElementsOf(ps.stream().map(PsRow::pid).toList());
        for (int i = 0; i < ps.size(); i++) {
            PsRow r = ps.get(i);
            Task t = others.get(i);
            assertThat(t.ppid()).as("ppid of %d", r.pid()).isEqualTo(r.ppid());
            assertThat(sameComm(r.comm(), t.comm())).as("%s vs %s", r.comm(), t.comm()).isTrue();
            assertThat(t.kernelThread()).as("kernel thread %s", r.comm()).isEqualTo(r.stat().contains("W"));
            // Sleeping states mostly last over the two idle seconds between ps and the crash; "R"
            // does not (rcu_preempt ran while ps looked), init was caught running the trigger, and
            // a sleeper may be woken in between (a fresh boot caught kworker/u4:0 runnable in the
            // dump): a task asleep in the dump must be asleep the way ps saw it.
            if (!t.active() && r.stat().charAt(0) != 'R' && t.psLetter() != 'R') {
                assertThat(t.psLetter()).as("state of %d %s", r.pid(), r.comm()).isEqualTo(r.stat().charAt(0));
            }
        }

        // The other threads, found through their leader's thread group: exactly the guest's TIDs.
        ThreadGroup group = ThreadGroup.of(scenario);
        assertThat(group.tids()).hasSize(4).contains(group.leader());
        List<Task> threads = tasks.stream().filter(t -> !t.idle() && t.pid() != t.tgid()).toList();
        assertThat(threads).extracting(Task::pid)
                .containsExactlyElementsOf(group.tids().stream().filter(t -> t != group.leader()).toList());
        Task leader = others.stream().filter(t -> t.pid() == group.leader()).findFirst().orElseThrow();
        assertThat(threads).allSatisfy(t -> {
            assertThat(t.tgid()).isEqualTo(group.leader());
            assertThat(t.ppid()).isEqualTo(leader.ppid());
            assertThat(t.comm()).isEqualTo(leader.comm());
            assertThat(t.vszKb()).isEqualTo(leader.vszKb());
        });

        // The task that panicked, on the CPU that did: the console's "CPU: N PID: P".
        int[] cpuPid = panicCpuPid(scenario);
        assertThat(list.panicCpu()).contains(cpuPid[0]);
        assertThat(list.panicTask()).hasValueSatisfying(t -> {
            assertThat(t.pid()).isEqualTo(cpuPid[1]);
            assertThat(t.active()).isTrue();
            assertThat(t.state()).isEqualTo("RU");
        });
        // One running task per CPU.
        assertThat(tasks.stream().filter(Task::active).map(Task::cpu).sorted().toList()).containsExactly(0, 1);

        if (!scenario.equals("novmcoreinfo")) {
            // drgn lists every thread (its for_each_task walks the pid table)
            List<Task> all = tasks.stream().filter(t -> !t.idle()).toList();
            drgnCpus(scenario).ifPresent(drgnCpu -> {
                assertThat(drgnCpu).hasSize(all.size());
                all.forEach(t -> assertThat(t.cpu()).as("cpu of %d", t.pid()).isEqualTo(drgnCpu.get(t.pid())));
            });
        }
        // Every format of one scenario gives the same answer.
        if (reference.isEmpty()) {
            reference.addAll(tasks);
        } else {
            assertThat(tasks).isEqualTo(reference);
        }
    }

    /**
     * drgn.txt's "pid ppid cpu comm" rows; empty when drgn could not list the tasks (0.0.22 fails
     * on 6.12's pid xarray with a traceback).
     */
    static java.util.Optional<Map<Integer, Integer>> drgnCpus(String scenario) {
        var m = new HashMap<Integer, Integer>();
        boolean in = false;
        List<String> lines = Dumps.lines(Dumps.file(scenario, "drgn.txt"));
        if (lines.stream().anyMatch(l -> l.startsWith("Traceback"))) {
            return java.util.Optional.empty();
        }
        for (String l : lines) {
            if (l.startsWith("=== ")) {
                in = l.startsWith("=== ps");
            } else if (in) {
                String[] f = l.split(" ");
                m.put(Integer.parseInt(f[0]), Integer.parseInt(f[2]));
            }
        }
        return java.util.Optional.of(m);
    }
}
