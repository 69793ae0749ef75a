package kdive.kernel.unwind;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import kdive.io.LookupException;
import kdive.kernel.helpers.Task;
import kdive.kernel.helpers.Tasks;

/**
 * Where a task's trace starts: a task running on a CPU when the dump was taken starts from that
 * CPU's registers; any other task from the switch frame __switch_to_asm left on its stack.
 */
public final class TaskTraces {
    private final Unwinder unwinder;
    private final Map<Integer, RegisterState> cpus;

    public TaskTraces(Unwinder unwinder) {
        this.unwinder = unwinder;
        this.cpus = CpuRegisters.of(unwinder.program());
    }

    public Map<Integer, RegisterState> cpuRegisters() {
        return cpus;
    }

    public Unwinder unwinder() { return unwinder; }

    /** The first registers of {@code task}'s trace. */
    public RegisterState first(Task task) {
        if (task.active() && cpus.containsKey(task.cpu())) {
            return cpus.get(task.cpu());
        }
        return RegisterState.fromInactiveFrame(unwinder.program(), task.address());
    }

    public StackTrace of(Task task) {
        return unwinder.unwind(first(task));
    }

    /** The task the panic CPU ran (the one ps marks), or why there is none. */
    public static Task panicking(Tasks.TaskList list) {
        return list.panicTask().orElseThrow(() -> new LookupException(
                "the dump records no panic CPU (panic_cpu, crashing_cpu): give -a or a PID"));
    }

    /** The task each CPU was running, by CPU (crash's bt -a). */
    public static List<Task> active(Tasks.TaskList list) {
        return list.tasks().stream().filter(Task::active)
                .sorted(java.util.Comparator.comparingInt(Task::cpu)).toList();
    }

    /** The tasks with {@code pid} (several idle tasks share pid 0: one per CPU). */
    public static List<Task> byPid(Tasks.TaskList list, int pid) {
        List<Task> found = list.tasks().stream().filter(t -> t.pid() == pid).toList();
        if (found.isEmpty()) {
            throw new LookupException("no task with pid %d".formatted(pid));
        }
        return found;
    }

    /** The task whose task_struct is at {@code address}: only the walked tasks count, any other address is no task. */
    public static Task byAddress(Tasks.TaskList list, long address) {
        Optional<Task> t = list.tasks().stream().filter(x -> x.address() == address).findFirst();
        return t.orElseThrow(() -> new LookupException("0x%016x is not a task_struct of this dump's task list"
                .formatted(address)));
    }
}
