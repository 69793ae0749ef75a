-- One schema for SQLite and PostgreSQL: only types and statements both accept (TEXT, BIGINT,
-- VARCHAR, INSERT ... ON CONFLICT). Ids are hashes computed by the server (no sequences), times are
-- epoch milliseconds (UTC), days are 'YYYY-MM-DD' strings.

-- A bucket is one crash signature: the syzkaller title of the first oops in a report.
CREATE TABLE buckets (
    id                VARCHAR(16) NOT NULL PRIMARY KEY,  -- first 16 hex digits of sha256(title)
    title             TEXT        NOT NULL,
    type              TEXT        NOT NULL,
    report_count      BIGINT      NOT NULL,
    first_seen        BIGINT      NOT NULL,
    last_seen         BIGINT      NOT NULL,
    representative_id VARCHAR(32) NOT NULL               -- the first report stored in the bucket
);
CREATE INDEX buckets_last_seen ON buckets (last_seen);

-- A report: one POST. Its id is a hash of the client's idempotency key (host + client id, or host +
-- sha256 of the text), so a retried POST hits the primary key and is answered 200 instead of 201.
CREATE TABLE reports (
    id             VARCHAR(32) NOT NULL PRIMARY KEY,
    bucket_id      VARCHAR(16) NOT NULL,
    host           TEXT        NOT NULL,
    client_id      TEXT,
    kernel         TEXT        NOT NULL,                  -- '' when the text names no release
    title          TEXT        NOT NULL,
    seen_at        BIGINT      NOT NULL,                  -- collectedAt when given, else received_at
    received_at    BIGINT      NOT NULL,
    day            VARCHAR(10) NOT NULL,                  -- UTC day of seen_at
    collected_at   TEXT,
    text_sha256    VARCHAR(64) NOT NULL,
    text           TEXT        NOT NULL,
    parsed_json    TEXT        NOT NULL,
    diagnosis_json TEXT
);
CREATE INDEX reports_bucket_seen ON reports (bucket_id, seen_at);

-- Per-bucket aggregates kept in the ingest transaction, so the bucket list needs no GROUP BY over
-- all reports.
CREATE TABLE bucket_hosts (
    bucket_id    VARCHAR(16) NOT NULL,
    host         TEXT        NOT NULL,
    report_count BIGINT      NOT NULL,
    last_seen    BIGINT      NOT NULL,
    PRIMARY KEY (bucket_id, host)
);
CREATE TABLE bucket_kernels (
    bucket_id    VARCHAR(16) NOT NULL,
    kernel       TEXT        NOT NULL,
    report_count BIGINT      NOT NULL,
    PRIMARY KEY (bucket_id, kernel)
);
CREATE INDEX bucket_kernels_kernel ON bucket_kernels (kernel);
CREATE TABLE bucket_days (
    bucket_id    VARCHAR(16) NOT NULL,
    day          VARCHAR(10) NOT NULL,
    report_count BIGINT      NOT NULL,
    PRIMARY KEY (bucket_id, day)
);
