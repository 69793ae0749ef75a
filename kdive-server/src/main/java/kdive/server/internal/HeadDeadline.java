package kdive.server.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.EventsHandler;

/**
 * A total deadline on the request head: from a connection's opening, or the end of its previous
 * exchange, to the moment a complete request line and headers have arrived. Jetty's idle timeout
 * restarts with every byte, so a client trickling one header byte at a time would otherwise hold
 * its connection (and a slot of the server) for as long as it cares to. An idle keep-alive
 * connection is closed at the same deadline, which clients expect and survive.
 *
 * <p>Installed twice: as a {@link Connection.Listener} on the connectors (opened, closed) and as the
 * handler wrapper that sees each request start and complete.
 */
public final class HeadDeadline extends EventsHandler implements Connection.Listener, AutoCloseable {
    private final long limitNanos;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<Connection, ScheduledFuture<?>> waiting = new ConcurrentHashMap<>();

    public HeadDeadline(Duration limit) {
        this.limitNanos = limit.toNanos();
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kdive-head-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void onOpened(Connection c) {
        arm(c);
    }

    @Override
    public void onClosed(Connection c) {
        disarm(c);
    }

    @Override
    protected void onBeforeHandling(Request request) {
        disarm(request.getConnectionMetaData().getConnection());
    }

    @Override
    protected void onComplete(Request request, Throwable failure) {
        Connection c = request.getConnectionMetaData().getConnection();
        if (c.getEndPoint().isOpen()) {
            arm(c);
        }
    }

    private void arm(Connection c) {
        ScheduledFuture<?> task = timer.schedule(() -> {
            if (waiting.remove(c) != null) {
                c.getEndPoint().close();
            }
        }, limitNanos, TimeUnit.NANOSECONDS);
        ScheduledFuture<?> old = waiting.put(c, task);
        if (old != null) {
            old.cancel(false);
        }
    }

    private void disarm(Connection c) {
        ScheduledFuture<?> task = waiting.remove(c);
        if (task != null) {
            task.cancel(false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        waiting.clear();
    }
}
