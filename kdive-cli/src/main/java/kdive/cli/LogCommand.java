package kdive.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import kdive.dump.DumpFile;
import kdive.dump.KernelLog;
import kdive.dump.LogRecord;
import kdive.kernel.helpers.Printk;
import kdive.kernel.helpers.Timekeeping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "log", mixinStandardHelpOptions = true,
        description = {"Print the kernel log of a crash dump or of the running kernel (/proc/kcore), like crash's log: "
                + "the lockless ringbuffer (5.10+), the printk_log ring (3.5-5.9) or the plain buffer (before 3.5), "
                + "found through vmcoreinfo alone.",
                "Exit status: 0 ok, 1 empty log, 2 usage error or unreadable dump."})
final class LogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object per record (seq, ts_nsec, level, facility, caller_id, text).")
    boolean json;

    @Option(names = "-m", description = "Show the log level of each line after its time, as crash's log -m: [ time] <N>text.")
    boolean level;

    @Option(names = "-T", description = "Wall-clock times (local time zone) instead of seconds since boot, as crash's "
            + "log -T and dmesg -T; needs --vmlinux (the boot time comes from the timekeeper, which vmcoreinfo lacks).")
    boolean wallClock;

    @Option(names = "--vmlinux", paramLabel = "FILE", description = "The crashed kernel's vmlinux with DWARF: "
            + "for -T, and to find the log in a dump without vmcoreinfo (or vmcoreinfo missing entries).")
    String vmlinux;

    @Parameters(index = "0", paramLabel = "VMCORE", description = "A dump, a kdump directory, or /proc/kcore.")
    String vmcore;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<LogRecord> records;
        long boot = 0;
        DumpFile dump = DumpArgs.open(vmcore);
        Optional<Path> vmlinux;
        try {
            // -T needs the vmlinux: without --vmlinux, the one found by the dump's release and build-id.
            vmlinux = this.vmlinux != null || !wallClock ? Optional.ofNullable(this.vmlinux).map(Path::of)
                    : Optional.of(DumpArgs.requireVmlinux(dump, null, List.of(), "log -T needs --vmlinux FILE (the boot time "
                            + "comes from the timekeeper, tk_core, which vmcoreinfo does not describe)", spec.commandLine().getErr()));
        } catch (RuntimeException e) {
            dump.close();
            throw e;
        }
        try (KernelArgs k = KernelArgs.of(dump, vmlinux)) {
            records = warned(Printk.listing(k.program));
            if (wallClock) {
                boot = Timekeeping.bootEpochNanos(k.program);
            }
        }
        ZoneId zone = ZoneId.systemDefault();
        for (LogRecord r : records) {
            if (json) {
                out.printf("{\"seq\":%d,\"ts_nsec\":%d,\"level\":%d,\"facility\":%d,\"caller_id\":%d,\"text\":%s}%n",
                        r.seq(), r.tsNsec(), r.level(), r.facility(), r.callerId(), DumpArgs.json(r.text()));
                continue;
            }
            String time = wallClock && r.hasTimestamp() ? BootTime.prefix(boot, r.tsNsec(), zone) : r.timestamp();
            String lvl = level && r.level() >= 0 ? "<%d>".formatted(r.level()) : "";
            for (String line : r.lines(time + lvl)) {
                out.println(line);
            }
        }
        return records.isEmpty() ? Main.EXIT_NOTHING : Main.EXIT_FOUND;
    }

    /** The records, the listing's warnings said on stderr first (a damaged ring shows as far as it reads). */
    private List<LogRecord> warned(KernelLog.Listing listing) {
        listing.warnings().forEach(w -> spec.commandLine().getErr().println("kdive log: WARNING: " + kdive.io.Printable.escape(w)));
        return listing.records();
    }
}
