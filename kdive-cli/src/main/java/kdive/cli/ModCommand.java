package kdive.cli;

import java.io.PrintWriter;
import java.util.List;
import kdive.kernel.commands.Json;
import kdive.kernel.commands.ModReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mod", mixinStandardHelpOptions = true,
        description = {"The modules loaded in a crash dump, like crash's mod: struct module, name, text base",
                "and size as /proc/modules gave them, and how many symbols each keeps (sym resolves them).",
                "Exit status: 0 ok, 2 usage error, unreadable dump or vmlinux of another kernel."})
final class ModCommand extends KernelCommand {

    static final String HEADER = ModReport.HEADER;

    @Option(names = "--json", description = "One JSON object: modules and problems.")
    boolean json;

    @Override
    List<String> print(KernelArgs k, PrintWriter out) {
        ModReport mods = ModReport.of(k.program);
        nothingRead = mods.modules().isEmpty() && !mods.problems().isEmpty();
        if (json) {
            out.println(Json.of(mods));
        } else {
            mods.text().forEach(out::println);
        }
        return mods.problems();
    }

    /** An empty table because the list could not be read (a truncated dump) is no answer: exit 1. */
    private boolean nothingRead;

    @Override
    boolean found(KernelArgs k) {
        return !nothingRead;
    }
}
