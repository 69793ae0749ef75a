package kdive.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kdive.io.UsageException;
import kdive.server.FleetServer;
import kdive.server.ServerConfig;
import kdive.server.Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run the fleet collector: hosts POST crash reports, the server buckets them by signature "
                + "in SQLite or PostgreSQL and serves a JSON API and a web UI.",
            "Stops gracefully on SIGTERM/SIGINT (requests in flight finish)."})
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Address to listen on (default: ${DEFAULT-VALUE}); [::1]:8080 for IPv6, port 0 for any.")
    String listen;

    @Option(names = "--db", paramLabel = "DB", defaultValue = ServerConfig.DEFAULT_DATABASE,
            description = "SQLite file (default: ./${DEFAULT-VALUE}) or postgresql://user:pass@host:port/db.")
    String db;

    @Option(names = "--token-file", paramLabel = "FILE", required = true,
            description = "Accepted bearer tokens, one per line (# comments). Tokens are never logged.")
    Path tokenFile;

    @Option(names = "--read-open",
            description = "Reads (GET API, web UI) need no token: only on a trusted network.")
    boolean readOpen;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "16777216",
            description = "Largest request body; larger ones get 413 (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("--listen: expected HOST:PORT, got " + listen);
        }
        String host = listen.substring(0, colon).replaceAll("^\\[(.*)]$", "$1");
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException("--listen: bad port in " + listen);
        }
        if (port < 0 || port > 65535 || maxBody < 1) {
            throw new UsageException("--listen port must be 0..65535 and --max-body positive");
        }
        Tokens tokens = Tokens.load(tokenFile);
        FleetServer server = FleetServer.start(new ServerConfig(host, port, db, tokens, readOpen, maxBody));
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.close();
            stopped.countDown();
        }));
        var out = spec.commandLine().getOut();
        String shown = host.contains(":") ? "[" + host + "]" : host;
        out.printf("kdive server: listening on http://%s:%d (%s %s, %d token%s%s)%n", shown, server.port(),
                server.databaseKind(), server.databaseName(), tokens.size(), tokens.size() == 1 ? "" : "s",
                readOpen ? ", reads open" : "");
        out.flush();
        stopped.await();
        return Main.EXIT_FOUND;
    }
}
