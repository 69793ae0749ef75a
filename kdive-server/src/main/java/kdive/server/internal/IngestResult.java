package kdive.server.internal;

/** Outcome of storing a report: {@code created} is false when its idempotency key was already stored. */
public record IngestResult(boolean created, String reportId, String bucketId, String title) {}
