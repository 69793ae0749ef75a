package kdive.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import kdive.dump.DumpFile;
import kdive.dump.KernelLog;
import kdive.dump.LogRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "log", mixinStandardHelpOptions = true,
        description = {"Print the kernel log of a crash dump (lockless printk ringbuffer, Linux 5.10+), like crash's log.",
                "Exit status: 0 ok, 1 empty log, 2 usage error or unreadable dump."})
final class LogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object per record (seq, ts_nsec, level, facility, caller_id, text).")
    boolean json;

    @Option(names = "-m", description = "Show the log level of each line, as crash's log -m.")
    boolean level;

    @Parameters(index = "0", paramLabel = "VMCORE")
    String vmcore;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<LogRecord> records;
        try (DumpFile dump = DumpArgs.open(vmcore)) {
            records = KernelLog.read(dump);
        }
        for (LogRecord r : records) {
            if (json) {
                out.printf("{\"seq\":%d,\"ts_nsec\":%d,\"level\":%d,\"facility\":%d,\"caller_id\":%d,\"text\":%s}%n",
                        r.seq(), r.tsNsec(), r.level(), r.facility(), r.callerId(), DumpArgs.json(r.text()));
            } else {
                for (String line : r.lines()) {
                    out.println(level ? "<%d>%s".formatted(r.level(), line) : line);
                }
            }
        }
        return records.isEmpty() ? Main.EXIT_NOTHING : Main.EXIT_FOUND;
    }
}
