package kdive.server.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import kdive.io.UsageException;
import org.flywaydb.core.Flyway;

/**
 * The pooled connection to the fleet database (SQLite file or PostgreSQL URL) with its schema migrated.
 * Both back ends run the same SQL and the same single-writer group commit; they differ only in pool size.
 */
public final class Database implements AutoCloseable {

    /** Which server holds the data; the SQL is the same, the concurrency is not. */
    public enum Kind { SQLITE, POSTGRESQL }

    private final Kind kind;
    private final String display;
    private final HikariDataSource pool;
    private final String schema;

    private Database(Kind kind, String display, HikariDataSource pool, String schema) {
        this.kind = kind;
        this.display = display;
        this.pool = pool;
        this.schema = schema;
    }

    /**
     * Opens {@code spec}: {@code postgresql://[user[:password]@]host[:port]/db[?params]} (also with a
     * {@code jdbc:} prefix; {@code ?currentSchema=NAME} keeps the tables in their own schema), {@code sqlite:PATH}, or a plain file path (SQLite). Runs the Flyway
     * migrations before returning.
     */
    public static Database open(String spec) {
        Database db;
        try {
            db = spec.startsWith("postgresql://") || spec.startsWith("postgres://")
                    || spec.startsWith("jdbc:postgresql:") ? postgres(spec) : sqlite(spec);
        } catch (RuntimeException e) {
            // Hikari's PoolInitializationException or a bad URL: the message names the cause.
            throw new UsageException("cannot open database: " + rootMessage(e), e);
        }
        try {
            var flyway = Flyway.configure(Database.class.getClassLoader())
                    .dataSource(db.pool)
                    .locations("classpath:kdive/server/db")
                    .table("kdive_schema_history");
            if (db.schema != null) {
                // Several collectors (or test runs) may share one PostgreSQL database, one schema each:
                // Flyway creates the schema on first start.
                flyway.schemas(db.schema).defaultSchema(db.schema).createSchemas(true);
            }
            flyway.load().migrate();
        } catch (RuntimeException e) {
            db.close();
            throw new UsageException("%s: cannot prepare the database: %s".formatted(db.display, rootMessage(e)), e);
        }
        return db;
    }

    private static Database sqlite(String spec) {
        Path file = Path.of(spec.startsWith("sqlite:") ? spec.substring("sqlite:".length()) : spec).toAbsolutePath().normalize();
        var cfg = base("kdive-sqlite");
        cfg.setJdbcUrl("jdbc:sqlite:" + file);
        // WAL: readers never block the writer and a commit is one append to the -wal file. With
        // synchronous=NORMAL a commit survives a crash of this process (kill -9); only an OS crash or
        // power loss may drop the last transactions. busy_timeout covers the checkpointer and any
        // second process on the same file.
        cfg.addDataSourceProperty("journal_mode", "WAL");
        cfg.addDataSourceProperty("synchronous", "NORMAL");
        cfg.addDataSourceProperty("busy_timeout", "30000");
        cfg.setMaximumPoolSize(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
        return new Database(Kind.SQLITE, file.toString(), new HikariDataSource(cfg), null);
    }

    private static Database postgres(String spec) {
        String url = spec.startsWith("jdbc:") ? spec.substring("jdbc:".length()) : spec;
        URI uri = URI.create(url.replaceFirst("^postgres(ql)?://", "postgresql://"));
        var cfg = base("kdive-postgresql");
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            cfg.setUsername(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                cfg.setPassword(decode(userInfo.substring(colon + 1)));
            }
        }
        String hostPort = uri.getHost() == null ? "localhost" : uri.getHost();
        if (uri.getPort() > 0) {
            hostPort += ":" + uri.getPort();
        }
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        cfg.setJdbcUrl("jdbc:postgresql://" + hostPort + uri.getRawPath() + query);
        cfg.setMaximumPoolSize(16);
        // The password is in cfg only; the display form never carries it.
        String schema = queryParam(uri.getRawQuery(), "currentSchema");
        String display = "postgresql://" + hostPort + uri.getRawPath() + (schema == null ? "" : " schema " + schema);
        return new Database(Kind.POSTGRESQL, display, new HikariDataSource(cfg), schema);
    }

    private static HikariConfig base(String name) {
        var cfg = new HikariConfig();
        cfg.setPoolName(name);
        cfg.setAutoCommit(true);
        cfg.setConnectionTimeout(30_000);
        // Fail at start with the driver's message instead of a pool timeout later.
        cfg.setInitializationFailTimeout(1);
        return cfg;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static String queryParam(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String kv : rawQuery.split("&")) {
            if (kv.startsWith(name + "=") && kv.length() > name.length() + 1) {
                return decode(kv.substring(name.length() + 1));
            }
        }
        return null;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public Kind kind() {
        return kind;
    }

    /** The database's name for messages: a file path or a URL without credentials. */
    public String display() {
        return display;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void close() {
        pool.close();
    }
}
