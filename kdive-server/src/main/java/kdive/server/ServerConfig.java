package kdive.server;

import java.nio.file.Path;

/**
 * How to run a {@link FleetServer}.
 *
 * @param host address to listen on (e.g. {@code 127.0.0.1}, {@code 0.0.0.0})
 * @param port TCP port, 0 for any free one
 * @param database SQLite file path or {@code postgresql://} URL
 * @param tokens accepted bearer tokens
 * @param readOpen reads (API GETs and web UI) need no token: for a trusted network
 * @param maxBodyBytes request bodies above this size are refused with 413
 */
public record ServerConfig(String host, int port, String database, Tokens tokens, boolean readOpen,
        long maxBodyBytes) {

    public static final long DEFAULT_MAX_BODY = 16L << 20;
    public static final String DEFAULT_DATABASE = "kdive-fleet.sqlite";

    public static ServerConfig loopback(Path database, Tokens tokens) {
        return new ServerConfig("127.0.0.1", 0, database.toString(), tokens, false, DEFAULT_MAX_BODY);
    }

    public ServerConfig withReadOpen(boolean open) {
        return new ServerConfig(host, port, database, tokens, open, maxBodyBytes);
    }

    public ServerConfig withDatabase(String db) {
        return new ServerConfig(host, port, db, tokens, readOpen, maxBodyBytes);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(host, p, database, tokens, readOpen, maxBodyBytes);
    }
}
