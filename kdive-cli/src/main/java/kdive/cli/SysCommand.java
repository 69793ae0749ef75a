package kdive.cli;

import java.io.PrintWriter;
import java.util.List;
import kdive.kernel.commands.Json;
import kdive.kernel.commands.SysReport;
import kdive.kernel.helpers.SysInfo;
import kdive.kernel.helpers.Tasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sys", mixinStandardHelpOptions = true,
        description = {"System data of a crash dump, laid out like crash's sys: kernel, dump file, CPUs, date,",
                "uptime, load average, tasks, utsname, memory, panic message.",
                "Exit status: 0 ok, 2 usage error, unreadable dump or vmlinux of another kernel."})
final class SysCommand extends KernelCommand {

    @Option(names = "--json", description = "One JSON object, keys as crash names the fields (camelCase: loadAverage).")
    boolean json;

    @Override
    List<String> print(KernelArgs k, PrintWriter out) {
        Tasks.TaskList tasks = Tasks.list(k.program);
        SysReport sys = SysReport.of(SysInfo.of(k.program, tasks));
        if (json) {
            out.println(Json.of(sys));
        } else {
            sys.text().forEach(out::println);
        }
        return tasks.problems();
    }
}
