package kdive.kernel.helpers;

/**
 * One task as ps shows it.
 *
 * @param address the task_struct
 * @param ppid the real parent's pid
 * @param state crash's two-letter state (RU IN UN ID ST TR ZO DE PA WA NE)
 * @param kernelThread PF_KTHREAD, or no mm: crash puts its name in brackets
 * @param idle a per-CPU idle task (swapper/N)
 * @param active the task running on its CPU when the dump was taken (runqueues[cpu].curr)
 * @param vszKb mm->total_vm in KiB
 * @param rssKb resident pages (file + anon + shmem counters, plus the tasks' unsynced deltas) in KiB
 */
public record Task(long address, int pid, int tgid, int ppid, int cpu, String state, String comm,
                   boolean kernelThread, boolean idle, boolean active, long vszKb, long rssKb) {

    /** The letter Linux's ps prints for the state (fs/proc/array.c task_state_array). */
    public char psLetter() {
        return switch (state) {
            case "RU" -> 'R';
            case "IN" -> 'S';
            case "UN" -> 'D';
            case "ID" -> 'I';
            case "ST" -> 'T';
            case "TR" -> 't';
            case "ZO" -> 'Z';
            case "DE" -> 'X';
            case "PA" -> 'P';
            default -> '?';
        };
    }
}
