package kdive.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import kdive.io.UsageException;
import kdive.server.SubmitAgent;
import kdive.server.SubmitOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Send crash reports (files, kdump directories such as /var/crash, or - for stdin) to a "
                + "kdive server. Retries with backoff; when the server stays unreachable the report is spooled and "
                + "sent by a later `kdive submit --flush`. Reports carry an id derived from their text, so sending "
                + "twice stores once.",
            "Exit: 0 all stored (new or already there), 1 nothing stored (no input or no crash in it), "
                + "2 refused (token, size, input), 3 some reports spooled."})
final class SubmitCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "URL", required = true, description = "e.g. http://collector:8080")
    URI server;

    @Option(names = "--token-file", paramLabel = "FILE", required = true,
            description = "File whose first token line is sent as the bearer token.")
    Path tokenFile;

    @Option(names = "--host", paramLabel = "NAME", description = "Host name to report (default: this machine's).")
    String host;

    @Option(names = "--spool", paramLabel = "DIR",
            description = "Spool directory (default: $KDIVE_SPOOL or ~/.local/state/kdive/spool).")
    Path spool;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "4",
            description = "Retries per report before spooling (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--backoff-ms", paramLabel = "MS", defaultValue = "500",
            description = "First retry delay, doubled each retry (default: ${DEFAULT-VALUE}).")
    long backoffMs;

    @Option(names = "--flush", description = "Also send the spooled reports (alone: only those).")
    boolean flush;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Report file, kdump directory, or -.")
    List<String> inputs = List.of();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (inputs.isEmpty() && !flush) {
            throw new UsageException("submit: give report files or directories, or --flush");
        }
        if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
            throw new UsageException("--server: expected an http:// or https:// URL, got " + server);
        }
        if (retries < 0 || backoffMs < 0) {
            throw new UsageException("--retries and --backoff-ms must not be negative");
        }
        var opts = new SubmitOptions(server, token(), host == null ? localHost() : host, spoolDir(), retries,
                Duration.ofMillis(backoffMs), flush, inputs);
        var cl = spec.commandLine();
        return new SubmitAgent(opts, cl.getOut(), cl.getErr()).run().exitCode();
    }

    private String token() {
        try {
            return Files.readAllLines(tokenFile, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
                    .orElseThrow(() -> new UsageException(tokenFile + ": token file holds no token"));
        } catch (IOException e) {
            throw new UsageException(tokenFile + ": cannot read token file: " + e.getMessage(), e);
        }
    }

    private Path spoolDir() {
        if (spool != null) {
            return spool;
        }
        String env = System.getenv("KDIVE_SPOOL");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("kdive").resolve("spool");
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }
}
