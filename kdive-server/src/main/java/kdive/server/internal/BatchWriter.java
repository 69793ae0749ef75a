package kdive.server.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread takes every queued report (up to {@link #MAX_BATCH}) into one
 * transaction, commits, and only then releases the requests waiting for their answer. SQLite has a
 * single writer per file anyway, and a batch shares its bucket, host and day pages in the WAL; on
 * PostgreSQL a batch costs one WAL flush instead of one per report. If a batch fails, its reports are
 * retried one transaction each, so one bad report cannot fail the others.
 */
final class BatchWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    static final int MAX_BATCH = 128;
    private static final int MAX_QUEUE = 4096;

    private record Job(Submission submission, Analysis analysis, Instant receivedAt,
            CompletableFuture<IngestResult> done) {}

    private final Database db;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>(MAX_QUEUE);
    private final Thread thread;
    private volatile boolean closing;

    BatchWriter(Database db) {
        this.db = db;
        // A platform daemon thread: it outlives no server, and never keeps the JVM alive on its own.
        this.thread = Thread.ofPlatform().name("kdive-db-writer").daemon(true).start(this::run);
    }

    IngestResult write(Submission s, Analysis a, Instant receivedAt) throws SQLException {
        if (closing) {
            throw new SQLException("store is closing");
        }
        var job = new Job(s, a, receivedAt, new CompletableFuture<>());
        try {
            queue.put(job); // blocks when MAX_QUEUE reports wait: back-pressure on the HTTP clients
            return job.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while storing a report", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("storing a report failed", e.getCause());
        }
    }

    private void run() {
        var batch = new ArrayList<Job>(MAX_BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                Job first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Never leave a request waiting forever, whatever went wrong.
                batch.forEach(j -> j.done().completeExceptionally(e));
                LOG.error("writer failed on a batch of {}", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Job> batch) {
        List<IngestResult> results = new ArrayList<>(batch.size());
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                for (Job j : batch) {
                    results.add(FleetStore.ingestIn(c, j.submission(), j.analysis(), j.receivedAt()));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().done().completeExceptionally(e);
                return;
            }
            LOG.warn("batch of {} failed ({}); storing its reports one by one", batch.size(), e.toString());
            for (Job j : batch) {
                commit(List.of(j));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(results.get(i));
        }
    }

    /** Commits what is queued, then stops (bounded: 30 s). */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
