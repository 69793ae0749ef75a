package kdive.kernel.helpers;

/**
 * A task's scheduling state decoded from task->__state (task->state before 5.14) and
 * task->exit_state, in the kernel's own terms (include/linux/sched.h). Each constant carries the
 * external codes others print for it: the letter of /proc/PID/stat (fs/proc/array.c
 * task_state_array) and crash's two-letter ps abbreviation, as a Form constant carries its DWARF code.
 */
public enum TaskState {
    RUNNING('R', "RU"),
    INTERRUPTIBLE('S', "IN"),
    UNINTERRUPTIBLE('D', "UN"),
    /** TASK_IDLE = TASK_UNINTERRUPTIBLE | TASK_NOLOAD. */
    IDLE('I', "ID"),
    STOPPED('T', "ST"),
    TRACED('t', "TR"),
    PARKED('P', "PA"),
    WAKING('?', "WA"),
    NEW('?', "NE"),
    ZOMBIE('Z', "ZO"),
    DEAD('X', "DE"),
    /** No bit the kernel defines. */
    UNKNOWN('?', "??");

    private final char procLetter;
    private final String crashName;

    TaskState(char procLetter, String crashName) {
        this.procLetter = procLetter;
        this.crashName = crashName;
    }

    /** The letter ps and /proc/PID/stat print. */
    public char procLetter() { return procLetter; }

    /** crash's ps column ("RU", "IN", ...). */
    public String crashName() { return crashName; }

    /** The state of a task whose __state is {@code state} and exit_state {@code exitState}. */
    public static TaskState of(long state, long exitState) {
        if ((exitState & 0x20) != 0) {
            return ZOMBIE; // EXIT_ZOMBIE
        }
        if ((exitState & 0x10) != 0) {
            return DEAD; // EXIT_DEAD
        }
        long s = state & ~0x100L; // TASK_WAKEKILL only qualifies the sleep
        if (s == 0) {
            return RUNNING;
        }
        if ((s & 0x402) == 0x402) {
            return IDLE;
        }
        if ((s & 1) != 0) {
            return INTERRUPTIBLE;
        }
        if ((s & 2) != 0) {
            return UNINTERRUPTIBLE;
        }
        if ((s & 4) != 0) {
            return STOPPED;
        }
        if ((s & 8) != 0) {
            return TRACED;
        }
        if ((s & 0x40) != 0) {
            return PARKED;
        }
        if ((s & 0x80) != 0) {
            return DEAD; // TASK_DEAD
        }
        if ((s & 0x200) != 0) {
            return WAKING;
        }
        if ((s & 0x800) != 0) {
            return NEW;
        }
        return UNKNOWN;
    }
}
