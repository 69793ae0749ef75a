package kdive.kernel.helpers;

import java.util.ArrayList;
import java.util.List;
import kdive.io.LookupException;
import kdive.kernel.Obj;
import kdive.kernel.Program;

/**
 * Per-CPU data (include/linux/percpu-defs.h): a per-CPU symbol's link address is an offset into
 * the .data..percpu template, and CPU n's copy lives at that plus __per_cpu_offset[n].
 * CPU sets come from the cpumask bitmaps (kernel/cpu.c __cpu_possible_mask, __cpu_online_mask).
 */
public final class PerCpu {
    private PerCpu() {}

    /** nr_cpu_ids: one past the highest possible CPU number. */
    public static int nrCpuIds(Program prog) {
        long n = prog.object("nr_cpu_ids").asLong();
        if (n < 1 || n > 8192) { // NR_CPUS maximum on x86-64 (arch/x86/Kconfig)
            throw new LookupException("nr_cpu_ids is %d: not a CPU count".formatted(n));
        }
        return (int) n;
    }

    /** CPU {@code cpu}'s copy of per-CPU variable {@code name}. */
    public static Obj object(Program prog, String name, int cpu) {
        Obj template = prog.object(name);
        long offset = prog.object("__per_cpu_offset").index(cpu).asLong();
        return Obj.reference(prog, template.type().offset(), template.address() + offset);
    }

    /** The CPUs set in cpumask variable {@code mask} ("__cpu_online_mask"), below nr_cpu_ids. */
    public static List<Integer> cpus(Program prog, String mask) {
        int n = nrCpuIds(prog);
        long bits = prog.object(mask).member("bits").address();
        var out = new ArrayList<Integer>();
        for (int cpu = 0; cpu < n; cpu++) {
            if ((prog.u64(bits + (cpu / 64) * 8L) >>> (cpu % 64) & 1) != 0) {
                out.add(cpu);
            }
        }
        return out;
    }
}
