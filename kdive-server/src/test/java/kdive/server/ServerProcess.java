package kdive.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A fleet server in a child JVM, so a test can {@code kill -9} it: args are the database and the token;
 * the child prints {@code PORT <n>} once it listens.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    public static void main(String[] args) throws InterruptedException {
        FleetServer server = FleetServer.start(new ServerConfig("127.0.0.1", 0, args[0], Tokens.of(args[1]), false,
                ServerConfig.DEFAULT_MAX_BODY));
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ServerProcess start(String database, String token, Path log) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                "-Xmx512m", ServerProcess.class.getName(), database, token));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        // Bounded by the child: it prints PORT or exits (then readLine returns null).
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                return new ServerProcess(p, Integer.parseInt(line.substring(5).strip()));
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("server process exited: " + Files.readString(log));
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no graceful close, no WAL checkpoint. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
