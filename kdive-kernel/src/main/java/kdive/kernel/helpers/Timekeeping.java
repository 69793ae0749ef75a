package kdive.kernel.helpers;

import kdive.io.LookupException;
import kdive.io.MissingDebugInfoException;
import kdive.kernel.Obj;
import kdive.kernel.Program;

/**
 * The crashed kernel's clocks, from its timekeeper (kernel/time/timekeeping.c tk_core.timekeeper).
 * vmcoreinfo exports neither tk_core nor struct timekeeper, so these need the vmlinux's DWARF.
 */
public final class Timekeeping {
    private Timekeeping() {}

    /**
     * When the kernel booted, in nanoseconds since the epoch: the timekeeper keeps CLOCK_REALTIME
     * and CLOCK_BOOTTIME as offsets from CLOCK_MONOTONIC (offs_real, offs_boot), so realtime minus
     * boottime is the wall time at boottime 0, which is where printk's local_clock() timestamps start.
     */
    public static long bootEpochNanos(Program prog) {
        Obj tk;
        try {
            tk = prog.object("tk_core").member("timekeeper");
            return tk.member("offs_real").asLong() - tk.member("offs_boot").asLong();
        } catch (LookupException e) {
            throw new MissingDebugInfoException("%s: %s, so the boot time cannot be computed"
                    .formatted(prog.vmlinux().name(), e.getMessage()));
        }
    }

    /** CLOCK_REALTIME seconds at the last timekeeping update (tk_core.timekeeper.xtime_sec): crash's DATE. */
    public static long realtimeSeconds(Program prog) {
        return prog.object("tk_core").member("timekeeper.xtime_sec").asLong();
    }
}
