package kdive.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import kdive.disasm.Syntax;
import kdive.triage.Analysis;
import kdive.triage.JsonReports;
import kdive.triage.TextReport;
import kdive.triage.Triage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Find kernel oopses in logs and explain them: title, fault, faulting operand, code, call trace.",
                "Exit status: 0 at least one report, 1 no oops found, 2 usage error or unreadable input."})
final class AnalyzeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON document {\"reports\":[...]} for all inputs.")
    boolean json;

    @Option(names = "--intel", description = "Intel syntax in the disassembly (default: AT&T, as objdump prints).")
    boolean intel;

    @Option(names = "--vmlinux", paramLabel = "FILE",
            description = "Debug vmlinux of the crashed kernel: adds file:line and inline chains to the IP, the code and the trace.")
    Path vmlinux;

    @Option(names = "--module", paramLabel = "NAME=FILE.ko",
            description = "Debug file of a module (name as the oops prints it in [brackets]); repeatable.")
    java.util.Map<String, Path> modules = new java.util.LinkedHashMap<>();

    @Parameters(arity = "1..*", paramLabel = "INPUT",
            description = "Log file (dmesg, vmcore-dmesg.txt, console or syslog), directory (every file in it), or - for stdin.")
    List<String> inputs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var results = new ArrayList<Analysis>();
        boolean unreadable = false;
        Syntax syntax = intel ? Syntax.INTEL : Syntax.ATT;
        try (Triage triage = vmlinux == null && modules.isEmpty() ? Triage.create(syntax)
                : Triage.create(syntax, vmlinux, modules)) {
            for (String input : inputs) {
                for (Source src : expand(input, err)) {
                    try (InputStream in = src.open()) {
                        results.addAll(triage.analyze(src.name(), in));
                    } catch (IOException e) {
                        err.println("kdive: " + src.name() + ": cannot read: " + reason(e));
                        unreadable = true;
                    }
                }
                if (!Files.exists(Path.of(input)) && !input.equals("-")) {
                    unreadable = true;
                }
            }
        }
        if (json) {
            out.print(JsonReports.toJson(results));
        } else if (!results.isEmpty()) {
            out.print(TextReport.render(results));
        } else {
            err.println("kdive: no kernel oops found");
        }
        out.flush();
        if (unreadable) {
            return Main.EXIT_USAGE;
        }
        return results.isEmpty() ? Main.EXIT_NOTHING : Main.EXIT_FOUND;
    }

    /** One readable input: a file or stdin. */
    private record Source(String name, Path path) {
        InputStream open() throws IOException {
            return path == null ? new BufferedInputStream(System.in) : Files.newInputStream(path);
        }
    }

    private static List<Source> expand(String input, PrintWriter err) {
        if (input.equals("-")) {
            return List.of(new Source("-", null));
        }
        Path p = Path.of(input);
        if (!Files.exists(p)) {
            err.println("kdive: " + input + ": no such file or directory");
            return List.of();
        }
        if (!Files.isDirectory(p)) {
            return List.of(new Source(input, p));
        }
        try (Stream<Path> files = Files.list(p)) {
            var out = new ArrayList<Source>();
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                if (DumpFiles.isCrashDump(f)) {
                    err.println("kdive: " + f + ": skipped (a crash dump, not a log)");
                    continue;
                }
                out.add(new Source(f.toString(), f));
            }
            return out;
        } catch (IOException e) {
            err.println("kdive: " + input + ": cannot list directory: " + reason(e));
            return List.of();
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
