package kdive.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import kdive.io.KdiveException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: picocli subcommands; every {@link KdiveException} becomes one line and exit code 2. */
@Command(name = "kdive",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "From a kernel crash to the exact line, variable and corrupted object.",
        subcommands = {AnalyzeCommand.class, ServerCommand.class, SubmitCommand.class,
                InfoCommand.class, LogCommand.class, RdCommand.class, VtopCommand.class, SysCommand.class, PsCommand.class, ModCommand.class, BtCommand.class, PrintCommand.class, WhatisCommand.class, SymCommand.class, SymbolizeCommand.class, DisCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /** Exit codes shared by all commands. */
    public static final int EXIT_FOUND = 0;
    public static final int EXIT_NOTHING = 1;
    public static final int EXIT_USAGE = 2;

    static boolean debug = Boolean.getBoolean("kdive.debug") || System.getenv("KDIVE_DEBUG") != null;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, false), new PrintWriter(System.err, true)));
    }

    /** Runs kdive with {@code args}; returns the exit code. Used by tests as well as {@link #main}. */
    public static int run(String[] args, PrintWriter rawOut, PrintWriter err) {
        var cli = commandLine(args);
        // Text from the crashed machine reaches the terminal escaped (see PrintableWriter).
        var out = new PrintWriter(new PrintableWriter(rawOut), false);
        // ...so picocli's own ANSI styles would show as \x1b[1m: help is plain text.
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof KdiveException k && !debug) {
                commandLine.getErr().println("kdive: " + kdive.io.Printable.escape(k.getMessage()));
                return EXIT_USAGE;
            }
            if (ex instanceof UncheckedIOException io && !debug) {
                commandLine.getErr().println("kdive: " + kdive.io.Printable.escape(String.valueOf(io.getCause().getMessage())));
                return EXIT_USAGE;
            }
            throw ex;
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            rawOut.flush();
            err.flush();
        }
    }

    /**
     * The command line for {@code args}. Picocli's model of every subcommand (reflection over a
     * dozen annotated classes) costs about 40 ms of CPU, a sixth of a short "kdive sys"; so when the
     * first argument names a subcommand only that one is modelled, under a bare "kdive" parent.
     * Anything else (no arguments, --help, a typo) gets the full model and its usual messages.
     */
    static CommandLine commandLine(String[] args) {
        if (args.length > 0) {
            for (Class<?> c : Main.class.getAnnotation(Command.class).subcommands()) {
                Command sub = c.getAnnotation(Command.class);
                if (sub != null && sub.name().equals(args[0]) && c != CommandLine.HelpCommand.class) {
                    var top = new CommandLine(CommandLine.Model.CommandSpec.create().name("kdive"));
                    top.addSubcommand(sub.name(), new CommandLine(c));
                    return top;
                }
            }
        }
        return new CommandLine(new Main());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var props = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    props.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"kdive " + props.getProperty("version", "unknown")
                    + " (Java " + Runtime.version() + ")"};
        }
    }
}
