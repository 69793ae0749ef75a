package kdive.server;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kdive.io.UsageException;
import kdive.server.internal.Api;
import kdive.server.internal.Database;
import kdive.server.internal.FleetStore;
import kdive.server.internal.HeadDeadline;
import kdive.server.internal.Html;
import kdive.server.internal.HttpError;
import kdive.server.internal.JsonCodec;
import kdive.server.internal.ReportAnalyzer;
import kdive.server.internal.WebUi;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet collector: Javalin on Jetty with virtual threads, the JSON API, the web UI, and the store.
 * {@link #close()} stops gracefully: new requests get 503, requests in flight finish with their
 * responses (bounded wait), then Jetty and the connection pool stop.
 */
public final class FleetServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetServer.class);
    private static final Duration DRAIN = Duration.ofSeconds(20);
    /** Time a client has to send a whole request head (Jetty's 30 s idle timeout restarts with each byte). */
    static final Duration HEAD_DEADLINE = Duration.ofSeconds(10);
    private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
            + " base-uri 'none'; frame-ancestors 'none'";

    private final Database db;
    private final FleetStore store;
    private final ReportAnalyzer analyzer;
    private final Javalin app;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HeadDeadline headDeadline = new HeadDeadline(HEAD_DEADLINE);
    private org.eclipse.jetty.server.Server jetty;

    private FleetServer(ServerConfig cfg, Database db) {
        this.db = db;
        this.store = new FleetStore(db);
        this.analyzer = new ReportAnalyzer();
        var json = new JsonCodec();
        var api = new Api(store, analyzer, json, cfg.maxBodyBytes(), Clock.systemUTC());
        var ui = new WebUi(store, json, analyzer);
        this.app = Javalin.create(c -> {
            jetty(c, cfg);
            routes(c, cfg, api, ui);
        });
    }

    /** Opens (and migrates) the database, then listens. */
    public static FleetServer start(ServerConfig cfg) {
        var server = new FleetServer(cfg, Database.open(cfg.database()));
        try {
            server.app.start();
            // Connections take their listeners from the connector's beans when they open.
            for (var connector : server.jetty.getConnectors()) {
                connector.addBean(server.headDeadline);
            }
        } catch (RuntimeException e) {
            server.headDeadline.close();
            server.store.close();
            server.db.close();
            server.analyzer.close();
            throw new UsageException("cannot listen on %s:%d: %s".formatted(cfg.host(), cfg.port(), e.getMessage()), e);
        }
        return server;
    }

    private void jetty(JavalinConfig c, ServerConfig cfg) {
        c.concurrency.useVirtualThreads = true;
        c.http.maxRequestSize = cfg.maxBodyBytes();
        c.http.generateEtags = false;
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.jetty.host = cfg.host();
        c.jetty.port = cfg.port();
        // Jetty's own graceful stop: on stop() the connector stops accepting and GracefulHandler
        // waits (up to DRAIN) until every request in flight has completed, response included.
        // Javalin attaches its servlet context inside the handler set here.
        c.jetty.modifyServer(s -> {
            jetty = s;
            s.setHandler(new GracefulHandler(headDeadline));
            s.setStopTimeout(DRAIN.toMillis());
        });
        c.router.handlerWrapper(endpoint -> ctx -> track(endpoint.handler, ctx));
    }

    private static void routes(JavalinConfig c, ServerConfig cfg, Api api, WebUi ui) {
        byte[] css = resource("static/kdive.css");
        Handler write = ctx -> authorize(cfg, ctx, true);
        Handler read = ctx -> authorize(cfg, ctx, false);
        c.routes.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Content-Security-Policy", CSP);
            ctx.header("Referrer-Policy", "no-referrer");
        });
        c.routes.get("/healthz", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
        c.routes.post("/api/v1/reports", chain(write, api::postReport));
        c.routes.get("/api/v1/buckets", chain(read, api::buckets));
        c.routes.get("/api/v1/buckets/{id}", chain(read, api::bucket));
        c.routes.get("/api/v1/reports/{id}", chain(read, api::report));
        c.routes.get("/", ctx -> ctx.redirect("/buckets"));
        c.routes.get("/buckets", chain(read, ui::buckets));
        c.routes.get("/buckets/{id}", chain(read, ui::bucket));
        c.routes.get("/reports/{id}", chain(read, ui::report));
        c.routes.get("/static/kdive.css", ctx -> ctx.contentType("text/css; charset=utf-8")
                .header("Cache-Control", "max-age=3600").result(css));
        c.routes.exception(HttpError.class, (e, ctx) -> error(ctx, api, e.status(), e.getMessage()));
        c.routes.exception(SQLException.class, (e, ctx) -> {
            LOG.error("database error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, api, 503, "database unavailable");
        });
        c.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, api, 500, "internal error");
        });
        c.routes.error(404, ctx -> {
            if (ctx.result() == null) {
                error(ctx, api, 404, "not found");
            }
        });
    }

    private void track(Handler h, Context ctx) throws Exception {
        if (draining.get()) {
            ctx.header("Connection", "close");
            throw new HttpError(503, "server is shutting down");
        }
        inFlight.incrementAndGet();
        try {
            h.handle(ctx);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static Handler chain(Handler auth, Handler handler) {
        return ctx -> {
            auth.handle(ctx);
            handler.handle(ctx);
        };
    }

    /**
     * Writes need a bearer token; reads too unless {@code --read-open}. Browsers may send the token as
     * the password of HTTP Basic auth (any user name), which is why pages answer 401 with a Basic
     * challenge.
     */
    private static void authorize(ServerConfig cfg, Context ctx, boolean write) {
        if (!write && cfg.readOpen()) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            header = "Bearer " + basicPassword(header.substring(6));
        }
        switch (cfg.tokens().check(header)) {
            case ACCEPTED -> { }
            case MISSING -> {
                if (!ctx.path().startsWith("/api/")) {
                    ctx.header("WWW-Authenticate", "Basic realm=\"kdive fleet\", charset=\"UTF-8\"");
                } else {
                    ctx.header("WWW-Authenticate", "Bearer realm=\"kdive fleet\"");
                }
                throw new HttpError(401, "authentication required: Authorization: Bearer <token>");
            }
            case REJECTED -> throw new HttpError(403, "token not accepted");
        }
    }

    private static String basicPassword(String b64) {
        try {
            String userPass = new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
            int colon = userPass.indexOf(':');
            return colon < 0 ? "" : userPass.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static void error(Context ctx, Api api, int status, String message) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/") || ctx.path().equals("/healthz")) {
            ctx.contentType("application/json").result(api.errorJson(message));
        } else {
            ctx.html(Html.page("Error " + status, "<h1>Error " + status + "</h1><p>" + Html.esc(message) + "</p>"));
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = FleetServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource kdive/server/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return app.port();
    }

    public String databaseName() {
        return db.display();
    }

    public String databaseKind() {
        return db.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Requests being handled now (tests use it to stop the server with one in flight). */
    int inFlight() {
        return inFlight.get();
    }

    /** True once {@link #close()} has begun: new requests get 503, those in flight finish. */
    public boolean stopping() {
        return draining.get();
    }

    /** Graceful stop; idempotent, safe from a shutdown hook. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        draining.set(true);
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            app.stop();
        } finally {
            store.close();
            db.close();
            analyzer.close();
            headDeadline.close();
        }
    }
}
