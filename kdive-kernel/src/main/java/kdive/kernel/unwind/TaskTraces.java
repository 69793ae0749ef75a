package kdive.kernel.unwind;

import java.util.Map;
import kdive.kernel.helpers.Task;

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
}
