package kdive.server;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The databases the integration tests run against. SQLite always; PostgreSQL at
 * {@code KDIVE_TEST_POSTGRES_URL} (default: the loopback server scripts/ci/50-server.sh starts). Without
 * a reachable PostgreSQL the test is skipped with the reason, or fails when KDIVE_REQUIRE_FIXTURES=1.
 */
public enum Backend {
    SQLITE, POSTGRESQL;

    public static final String DEFAULT_PG = "postgresql://kdive:kdive@127.0.0.1:5432/kdive_test";

    public static String postgresUrl() {
        String env = System.getenv("KDIVE_TEST_POSTGRES_URL");
        return env == null || env.isBlank() ? DEFAULT_PG : env;
    }

    public static boolean fixturesRequired() {
        return "1".equals(System.getenv("KDIVE_REQUIRE_FIXTURES"));
    }

    /**
     * A fresh, empty database of this kind: a new SQLite file in {@code dir}, or this JVM's schema of the
     * PostgreSQL test database, dropped (Flyway recreates it).
     */
    public String prepare(Path dir) {
        return switch (this) {
            case SQLITE -> dir.resolve("fleet-" + System.nanoTime() + ".sqlite").toString();
            case POSTGRESQL -> {
                String url = postgresUrl();
                // One schema per test JVM: two builds sharing the server cannot drop each other's tables.
                String schema = "kdive_test_" + ProcessHandle.current().pid();
                try (Connection c = pgConnect(url); var st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                } catch (SQLException e) {
                    String why = "PostgreSQL not reachable at " + url.replaceAll("//[^@/]*@", "//") + " ("
                            + e.getMessage() + "); run scripts/ci/50-server.sh or set KDIVE_TEST_POSTGRES_URL";
                    if (fixturesRequired()) {
                        fail(why + " [KDIVE_REQUIRE_FIXTURES=1]");
                    }
                    assumeTrue(false, why);
                }
                yield url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            }
        };
    }

    static Connection pgConnect(String url) throws SQLException {
        var uri = java.net.URI.create(url);
        var props = new Properties();
        String info = uri.getUserInfo();
        if (info != null) {
            String[] up = info.split(":", 2);
            props.setProperty("user", up[0]);
            if (up.length > 1) {
                props.setProperty("password", up[1]);
            }
        }
        props.setProperty("connectTimeout", "5");
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getPath() + query,
                props);
    }
}
