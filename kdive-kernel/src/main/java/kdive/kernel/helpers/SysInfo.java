package kdive.kernel.helpers;

import java.util.List;
import java.util.Optional;
import kdive.dump.LogRecord;
import kdive.io.KdiveException;
import kdive.kernel.Obj;
import kdive.kernel.Program;

/**
 * The values crash's {@code sys} prints, raw (seconds, bytes, avenrun's fixed point), read from the kernel's own variables: init_uts_ns for the
 * names, the timekeeper for the date, jiffies for the uptime (HZ from tick_nsec, since HZ is
 * no symbol), avenrun, cpu_khz, the nodes' present pages, the cpumasks, and the panic line
 * from the log. Fields that cannot be read hold why, in parentheses, so the rest still prints.
 */
public record SysInfo(String kernel, boolean tainted, String dumpFile, boolean partial, int cpus, int offlineCpus,
                      long crashTime, long uptimeSeconds, double[] loadAverage, int tasks, String nodename,
                      String release, String version, String machine, long mhz, long memoryBytes,
                      Optional<String> panic) {

    public SysInfo {
        loadAverage = loadAverage.clone();
    }

    public static SysInfo of(Program prog, Tasks.TaskList tasks) {
        Obj uts = prog.object("init_uts_ns").member("name");
        List<Integer> online = PerCpu.cpus(prog, "__cpu_online_mask");
        int ncpu = PerCpu.cpus(prog, "__cpu_possible_mask").size();
        long hz = hz(prog);
        long jiffies = prog.object("jiffies_64").asLong();
        // include/linux/jiffies.h INITIAL_JIFFIES: (unsigned long)(unsigned int)(-300*HZ), so the
        // 32-bit wrap happens five minutes after boot.
        long initial = Integer.toUnsignedLong((int) (-300 * hz));
        long xtime = Timekeeping.realtimeSeconds(prog);
        Obj avenrun = prog.object("avenrun");
        double[] load = new double[3];
        for (int i = 0; i < 3; i++) {
            load[i] = avenrun.index(i).asLong();
        }
        // crash calls a kdump file partial by its dump level alone (-d 1 keeps every page, zero
        // pages as one shared descriptor, and is still "[PARTIAL DUMP]"); other formats by what is missing.
        var stats = prog.dump().pageStats();
        return new SysInfo(prog.vmlinux().name(), prog.object("tainted_mask").asLong() != 0, prog.dump().name(),
                stats.dumpLevel() > 0 || stats.excluded() > 0, ncpu, ncpu - online.size(), xtime,
                (jiffies - initial) / hz, load, tasks.tasks().size(),
                uts.member("nodename").asString(65), uts.member("release").asString(65),
                uts.member("version").asString(65), uts.member("machine").asString(65),
                prog.object("cpu_khz").asLong() / 1000, presentPages(prog) * 4096, panic(prog));
    }

    /** HZ: tick_nsec is NSEC_PER_SEC/HZ, give or take NTP's adjustment (kernel/time/ntp.c). */
    static long hz(Program prog) {
        long tick = prog.object("tick_nsec").asLong();
        if (tick <= 0) {
            return 1000;
        }
        return Math.round(1e9 / tick);
    }

    /** Sum of node_present_pages over the nodes (mm/page_alloc.c); crash's MEMORY. */
    static long presentPages(Program prog) {
        if (!prog.hasObject("node_data")) {
            return prog.object("contig_page_data").member("node_present_pages").asLong();
        }
        Obj nodes = prog.object("node_data");
        // The definition's type has the bound (MAX_NUMNODES); a bare declaration's "[]" would not.
        long n = Math.max(nodes.length(), 1);
        // One read of the whole array (1024 pointers on a distribution kernel), then the nodes.
        int count = (int) Math.min(n, 1 << 10);
        var ptrs = java.nio.ByteBuffer.wrap(prog.read(nodes.address(), count * 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long pages = 0;
        for (int i = 0; i < count; i++) {
            long p = ptrs.getLong(i * 8);
            if (p != 0) {
                pages += nodes.index(i).deref().member("node_present_pages").asLong();
            }
        }
        return pages;
    }

    /**
     * The panic line from the log, as crash picks it: an oops-type line first ("(check log for
     * details)" follows it), else the "Kernel panic - not syncing" line. Empty when the log
     * cannot be read (it is found through the dump's own vmcoreinfo, as crash finds it).
     */
    static Optional<String> panic(Program prog) {
        List<LogRecord> log;
        try {
            if (prog.vmcoreInfo().isEmpty()) {
                return Optional.empty();
            }
            log = Printk.records(prog, prog.vmcoreInfo().get());
        } catch (KdiveException e) {
            return Optional.empty();
        }
        String[][] patterns = {
            {"SysRq : Crash", ""}, {"SysRq : Trigger a crash", ""}, {"Kernel panic: ", ""},
            {"Oops: ", " (check log for details)"}, {"kernel BUG at", " (check log for details)"},
            {"BUG: unable to handle", " (check log for details)"}, {"BUG: kernel NULL pointer", " (check log for details)"},
            {"general protection fault", " (check log for details)"}, {"divide error: ", " (check log for details)"},
            {"Kernel panic - not syncing", ""},
        };
        for (String[] p : patterns) {
            for (LogRecord r : log) {
                for (String line : r.lines()) {
                    int at = line.indexOf(p[0]);
                    if (at >= 0) {
                        return Optional.of("\"" + line.substring(at).strip() + "\"" + p[1]);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * crash's rows, formatted by the commands layer ({@link kdive.kernel.commands.SysReport}); kept
     * for the truth tests, which compare them with crash's output.
     */
    public List<String[]> rows() {
        return kdive.kernel.commands.SysReport.of(this).rows();
    }

    @Override
    public double[] loadAverage() {
        return loadAverage.clone();
    }
}
