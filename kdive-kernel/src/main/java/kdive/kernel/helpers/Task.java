package kdive.kernel.helpers;

/**
 * One task, as the kernel holds it.
 *
 * @param address the task_struct
 * @param ppid the real parent's pid
 * @param stateBits task->__state (task->state before 5.14), raw
 * @param exitState task->exit_state, raw
 * @param kernelThread PF_KTHREAD, or no mm
 * @param idle a per-CPU idle task (swapper/N)
 * @param active the task running on its CPU when the dump was taken (runqueues[cpu].curr)
 * @param vszKb mm->total_vm in KiB
 * @param rssKb resident pages (file + anon + shmem counters, plus the tasks' unsynced deltas) in KiB
 */
public record Task(long address, int pid, int tgid, int ppid, int cpu, long stateBits, long exitState, String comm,
                   boolean kernelThread, boolean idle, boolean active, long vszKb, long rssKb) {

    /** The scheduling state the two raw words say. */
    public TaskState runState() {
        return TaskState.of(stateBits, exitState);
    }

    /** crash's two-letter name of the state ({@link TaskState#crashName()}). */
    public String state() {
        return runState().crashName();
    }

    /** The letter Linux's ps prints for the state (fs/proc/array.c task_state_array). */
    public char psLetter() {
        return runState().procLetter();
    }
}
