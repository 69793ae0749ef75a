package kdive.cli;

import java.io.PrintWriter;
import java.util.List;
import kdive.kernel.commands.Json;
import kdive.kernel.commands.PsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"Every task of a crash dump, laid out like crash's ps: threads, kernel threads ([name])",
                "and the per-CPU idle tasks; '>' marks the task each CPU was running.",
                "A corrupt task list is walked as far as it holds and the broken link reported on stderr.",
                "Exit status: 0 ok, 2 usage error, unreadable dump or vmlinux of another kernel."})
final class PsCommand extends KernelCommand {

    static final String HEADER = PsReport.HEADER;

    @Option(names = "--json", description = "One JSON object: tasks, problems, panic CPU and task.")
    boolean json;

    @Override
    List<String> print(KernelArgs k, PrintWriter out) {
        PsReport ps = PsReport.of(k.program);
        if (json) {
            out.println(Json.of(ps));
        } else {
            ps.text().forEach(out::println);
        }
        return ps.problems();
    }
}
