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
import java.util.Optional;
import kdive.dump.DumpFile;
import kdive.dump.KernelLog;
import kdive.dump.LogRecord;
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
            description = "Log file (dmesg, vmcore-dmesg.txt, console or syslog), crash dump (its kernel log; its vmlinux "
                    + "found as the dump commands find it, module .ko files beside it used), directory (every log in it), or - for stdin.")
    List<String> inputs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean unreadable = false;
        Syntax syntax = intel ? Syntax.INTEL : Syntax.ATT;
        var sources = new ArrayList<Source>();
        for (String input : inputs) {
            sources.addAll(expand(input, err));
            if (!Files.exists(Path.of(input)) && !input.equals("-")) {
                unreadable = true;
            }
        }
        Path debugVmlinux = vmlinux;
        var debugModules = new java.util.LinkedHashMap<String, Path>(modules);
        // A dump says which kernel crashed: its vmlinux and the modules' .ko beside it answer for it.
        Optional<Source> dump = sources.stream().filter(Source::dump).findFirst();
        if (dump.isPresent() && vmlinux == null) {
            debugVmlinux = dumpVmlinux(dump.get().path(), err).orElse(null);
        }
        dump.ifPresent(d -> modulesBeside(d.path()).forEach(debugModules::putIfAbsent));
        long found;
        try (Triage triage = debugVmlinux == null && debugModules.isEmpty() ? Triage.create(syntax)
                : Triage.create(syntax, debugVmlinux, debugModules);
                ReportStream printer = json ? new JsonStream(out) : new TextStream(out)) {
            for (Source src : sources) {
                try (InputStream in = src.open()) {
                    triage.analyze(src.name(), in, printer::print);
                } catch (IOException e) {
                    err.println("kdive: " + src.name() + ": cannot read: " + reason(e));
                    unreadable = true;
                }
            }
            found = printer.count();
        }
        if (found == 0 && !json) {
            err.println("kdive: no kernel oops found");
        }
        out.flush();
        if (unreadable) {
            return Main.EXIT_USAGE;
        }
        return found == 0 ? Main.EXIT_NOTHING : Main.EXIT_FOUND;
    }

    /**
     * Prints each report as soon as it is found and keeps none: a log dense with reports (a fuzzer's
     * console, the syzkaller corpus) shows its first report at once and takes the memory of a few
     * reports, not of all. The output is the same as printing them all at the end.
     */
    private sealed interface ReportStream extends AutoCloseable permits TextStream, JsonStream {
        void print(Analysis a);

        long count();

        @Override
        void close();
    }

    /** Reports separated by an empty line, each flushed when printed. */
    private static final class TextStream implements ReportStream {
        private final PrintWriter out;
        private long n;

        TextStream(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void print(Analysis a) {
            if (n++ > 0) {
                out.print('\n');
            }
            out.print(TextReport.render(a));
            out.flush();
        }

        @Override
        public long count() { return n; }

        @Override
        public void close() {
            out.flush();
        }
    }

    /** One JSON document {"reports":[...]}, its array written element by element. */
    private static final class JsonStream implements ReportStream {
        private final JsonReports.StreamWriter writer;
        private long n;

        JsonStream(PrintWriter out) {
            this.writer = new JsonReports.StreamWriter(out);
        }

        @Override
        public void print(Analysis a) {
            writer.add(a);
            n++;
        }

        @Override
        public long count() { return n; }

        @Override
        public void close() {
            writer.close();
        }
    }

    /**
     * One readable input: a file, stdin, or a crash dump whose kernel log (read from the dump's
     * printk buffer, as {@code kdive log} prints it) is the text.
     */
    private record Source(String name, Path path, boolean dump) {
        InputStream open() throws IOException {
            if (path == null) {
                return new BufferedInputStream(System.in);
            }
            if (!dump) {
                return Files.newInputStream(path);
            }
            var text = new StringBuilder();
            try (DumpFile d = DumpFile.open(path)) {
                for (LogRecord r : KernelLog.read(d)) {
                    for (String line : r.lines()) {
                        text.append(line).append('\n');
                    }
                }
            }
            return new java.io.ByteArrayInputStream(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static List<Source> expand(String input, PrintWriter err) {
        if (input.equals("-")) {
            return List.of(new Source("-", null, false));
        }
        Path p = Path.of(input);
        if (!Files.exists(p)) {
            err.println("kdive: " + input + ": no such file or directory");
            return List.of();
        }
        if (!Files.isDirectory(p)) {
            return List.of(new Source(input, p, Files.isRegularFile(p) && DumpFiles.isCrashDump(p)));
        }
        try (Stream<Path> files = Files.list(p)) {
            var texts = new ArrayList<Source>();
            var dumps = new ArrayList<Source>();
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                if (f.getFileName().toString().endsWith(".ko")) {
                    continue; // module debug files beside a dump: used for symbols, not read as logs
                }
                (DumpFiles.isCrashDump(f) ? dumps : texts).add(new Source(f.toString(), f, DumpFiles.isCrashDump(f)));
            }
            // A kdump directory holds the log twice (vmcore-dmesg.txt and the dump): read the text
            // when there is one, the dump's own log when not.
            if (texts.isEmpty() && !dumps.isEmpty()) {
                return List.of(dumps.getFirst());
            }
            dumps.forEach(d -> err.println("kdive: " + d.name() + ": skipped (a crash dump; the directory's log files are read)"));
            return texts;
        } catch (IOException e) {
            err.println("kdive: " + input + ": cannot list directory: " + reason(e));
            return List.of();
        }
    }

    /** The dump's debug vmlinux as the dump commands find it (by release and build-id); empty when none. */
    private static Optional<Path> dumpVmlinux(Path dump, PrintWriter err) {
        try (DumpFile d = DumpFile.open(dump)) {
            return DumpArgs.vmlinux(d, null, List.of(), err);
        } catch (kdive.io.KdiveException e) {
            err.println("kdive: " + dump + ": no vmlinux: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Module debug files in the dump's directory, by module name as oopses print it ({@code crashlab_skb}). */
    private static java.util.Map<String, Path> modulesBeside(Path dump) {
        Path dir = dump.toAbsolutePath().getParent();
        var out = new java.util.LinkedHashMap<String, Path>();
        if (dir == null) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".ko") && Files.isRegularFile(f)).sorted()
                    .forEach(f -> out.put(f.getFileName().toString().replaceFirst("\\.ko$", "").replace('-', '_'), f));
        } catch (IOException e) {
            // An unlistable directory only means no module symbols.
        }
        return out;
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
