/**
 * Fleet collector: hosts POST crash reports, the server buckets them by syzkaller-compatible title in
 * SQLite or PostgreSQL and serves a JSON API and a server-rendered web UI; {@link kdive.server.SubmitAgent}
 * is the sending side.
 *
 * <p>Third-party modules: Javalin ships a module descriptor; HikariCP and pgjdbc have
 * Automatic-Module-Names; Flyway has neither, so its name {@code flyway.core} is derived from the jar
 * file name (javac warns about that only under -Xlint:requires-automatic, which the build turns off).
 * The JDBC drivers and Flyway's PostgreSQL support are found through ServiceLoader/DriverManager at run
 * time and are never named in code, so they are not required here.
 */
module kdive.server {
    requires transitive kdive.triage;
    requires com.fasterxml.jackson.databind;
    requires io.javalin;
    requires org.eclipse.jetty.server;
    requires com.zaxxer.hikari;
    requires flyway.core;
    requires java.sql;
    requires java.net.http;
    exports kdive.server;
}
