package kdive.server.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kdive.server.internal.Views.BucketDetail;
import kdive.server.internal.Views.BucketPage;
import kdive.server.internal.Views.BucketSummary;
import kdive.server.internal.Views.DayCount;
import kdive.server.internal.Views.HostCount;
import kdive.server.internal.Views.KernelCount;
import kdive.server.internal.Views.Report;
import kdive.server.internal.Views.ReportRef;

/**
 * Reports and buckets in SQL. One code path for SQLite and PostgreSQL: the statements use only what
 * both accept, and the ingest transaction's first statement is the idempotency check, so a retry of a
 * stored report changes nothing.
 */
public final class FleetStore implements AutoCloseable {

    private static final String INSERT_REPORT = """
            INSERT INTO reports (id, bucket_id, host, client_id, kernel, title, seen_at, received_at, day,
                                 collected_at, text_sha256, text, parsed_json, diagnosis_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING""";
    private static final String UPSERT_BUCKET = """
            INSERT INTO buckets (id, title, type, report_count, first_seen, last_seen, representative_id)
            VALUES (?, ?, ?, 1, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                report_count = buckets.report_count + 1,
                first_seen = CASE WHEN excluded.first_seen < buckets.first_seen
                                  THEN excluded.first_seen ELSE buckets.first_seen END,
                last_seen = CASE WHEN excluded.last_seen > buckets.last_seen
                                 THEN excluded.last_seen ELSE buckets.last_seen END""";
    private static final String UPSERT_HOST = """
            INSERT INTO bucket_hosts (bucket_id, host, report_count, last_seen) VALUES (?, ?, 1, ?)
            ON CONFLICT (bucket_id, host) DO UPDATE SET
                report_count = bucket_hosts.report_count + 1,
                last_seen = CASE WHEN excluded.last_seen > bucket_hosts.last_seen
                                 THEN excluded.last_seen ELSE bucket_hosts.last_seen END""";
    private static final String UPSERT_KERNEL = """
            INSERT INTO bucket_kernels (bucket_id, kernel, report_count) VALUES (?, ?, 1)
            ON CONFLICT (bucket_id, kernel) DO UPDATE SET report_count = bucket_kernels.report_count + 1""";
    private static final String UPSERT_DAY = """
            INSERT INTO bucket_days (bucket_id, day, report_count) VALUES (?, ?, 1)
            ON CONFLICT (bucket_id, day) DO UPDATE SET report_count = bucket_days.report_count + 1""";
    private static final String SUMMARY_COLUMNS = """
            SELECT b.id, b.title, b.type, b.report_count, b.first_seen, b.last_seen,
                   (SELECT COUNT(*) FROM bucket_hosts h WHERE h.bucket_id = b.id) AS hosts
            FROM buckets b""";
    private static final String REPORT_COLUMNS = """
            SELECT id, bucket_id, title, host, client_id, kernel, seen_at, received_at, collected_at, text,
                   parsed_json, diagnosis_json
            FROM reports""";

    private final Database db;
    private final BatchWriter writer;

    public FleetStore(Database db) {
        this.db = db;
        this.writer = new BatchWriter(db);
    }

    public Database database() {
        return db;
    }

    /**
     * Stores {@code s} in its bucket unless its idempotency key is already stored. Blocks until the
     * report is committed (group commit: see {@link BatchWriter}); only then may the caller answer.
     */
    public IngestResult ingest(Submission s, Analysis a, Instant receivedAt) throws SQLException {
        return writer.write(s, a, receivedAt);
    }

    /** Stops the writer after the reports queued so far are committed. */
    @Override
    public void close() {
        writer.close();
    }

    /**
     * One report inside the caller's transaction. The first statement is the idempotency check; when
     * it inserts nothing (stored before, or earlier in the same batch) nothing else changes.
     */
    static IngestResult ingestIn(Connection c, Submission s, Analysis a, Instant receivedAt) throws SQLException {
        String reportId = s.reportId();
        String bucketId = Hashes.bucketId(a.title());
        long received = receivedAt.toEpochMilli();
        long seen = s.collectedAt().map(Instant::toEpochMilli).orElse(received);
        String day = Instant.ofEpochMilli(seen).atZone(ZoneOffset.UTC).toLocalDate().toString();
        int inserted = update(c, INSERT_REPORT, reportId, bucketId, s.host(), s.clientId(), a.kernel(),
                a.title(), seen, received, day, s.collectedAt().map(Instant::toString).orElse(null),
                s.textSha256(), storable(s.text()), a.parsedJson(), s.diagnosisJson());
        if (inserted == 0) {
            return existing(c, reportId);
        }
        update(c, UPSERT_BUCKET, bucketId, a.title(), a.type(), seen, seen, reportId);
        update(c, UPSERT_HOST, bucketId, s.host(), seen);
        update(c, UPSERT_KERNEL, bucketId, a.kernel());
        update(c, UPSERT_DAY, bucketId, day);
        return new IngestResult(true, reportId, bucketId, a.title());
    }

    /**
     * The stored report with {@code s}'s idempotency key, if any: a retry is answered from this without
     * parsing the text again.
     */
    public Optional<IngestResult> find(Submission s) throws SQLException {
        try (Connection c = db.connection();
             var ps = prepare(c, "SELECT bucket_id, title FROM reports WHERE id = ?", s.reportId());
             var rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new IngestResult(false, s.reportId(), rs.getString(1), rs.getString(2)))
                    : Optional.empty();
        }
    }

    private static IngestResult existing(Connection c, String reportId) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT bucket_id, title FROM reports WHERE id = ?", reportId);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("report " + reportId + " conflicted but is not stored");
            }
            return new IngestResult(false, reportId, rs.getString(1), rs.getString(2));
        }
    }

    /** PostgreSQL's TEXT cannot hold NUL; console logs sometimes do. The hash keeps the original. */
    private static String storable(String text) {
        return text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    public BucketPage buckets(BucketQuery q) throws SQLException {
        var where = new StringBuilder(" WHERE 1 = 1");
        var args = new ArrayList<Object>();
        if (!q.text().isEmpty()) {
            where.append(" AND LOWER(b.title) LIKE ? ESCAPE '\\'");
            args.add("%" + likeEscape(q.text().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        if (!q.kernel().isEmpty()) {
            where.append(" AND EXISTS (SELECT 1 FROM bucket_kernels k WHERE k.bucket_id = b.id AND k.kernel = ?)");
            args.add(q.kernel());
        }
        if (q.sinceMillis() != Long.MIN_VALUE) {
            where.append(" AND b.last_seen >= ?");
            args.add(q.sinceMillis());
        }
        String order = " ORDER BY " + q.sort().column() + (q.descending() ? " DESC" : " ASC") + ", b.id";
        try (Connection c = db.connection()) {
            long total;
            try (var ps = prepare(c, "SELECT COUNT(*) FROM buckets b" + where, args.toArray());
                 var rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            var rows = new ArrayList<BucketSummary>();
            args.add(q.limit());
            args.add(q.offset());
            try (var ps = prepare(c, SUMMARY_COLUMNS + where + order + " LIMIT ? OFFSET ?", args.toArray());
                 var rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(summary(rs, List.of()));
                }
            }
            Map<String, List<String>> kernels = kernelsOf(c, rows.stream().map(BucketSummary::id).toList());
            var withKernels = rows.stream()
                    .map(b -> new BucketSummary(b.id(), b.title(), b.type(), b.count(), b.hosts(),
                            kernels.getOrDefault(b.id(), List.of()), b.firstSeen(), b.lastSeen()))
                    .toList();
            return new BucketPage(withKernels, total, q.offset(), q.limit());
        }
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Map<String, List<String>> kernelsOf(Connection c, List<String> bucketIds) throws SQLException {
        var out = new HashMap<String, List<String>>();
        if (bucketIds.isEmpty()) {
            return out;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(bucketIds.size(), "?"));
        String sql = "SELECT bucket_id, kernel FROM bucket_kernels WHERE kernel <> '' AND bucket_id IN (" + marks
                + ") ORDER BY kernel";
        try (var ps = prepare(c, sql, bucketIds.toArray()); var rs = ps.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return out;
    }

    private static BucketSummary summary(ResultSet rs, List<String> kernels) throws SQLException {
        return new BucketSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(7),
                kernels, rs.getLong(5), rs.getLong(6));
    }

    /** The bucket page's data: aggregates, the latest {@code recent} reports and the representative. */
    public Optional<BucketDetail> bucket(String id, int recent) throws SQLException {
        try (Connection c = db.connection()) {
            BucketSummary b;
            String representativeId;
            try (var ps = prepare(c, SUMMARY_COLUMNS.replace("FROM buckets b",
                    ", b.representative_id FROM buckets b") + " WHERE b.id = ?", id);
                 var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                representativeId = rs.getString(8);
                b = summary(rs, List.of());
            }
            var hosts = new ArrayList<HostCount>();
            try (var ps = prepare(c, "SELECT host, report_count, last_seen FROM bucket_hosts WHERE bucket_id = ?"
                    + " ORDER BY report_count DESC, host", id); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    hosts.add(new HostCount(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            var kernels = new ArrayList<KernelCount>();
            try (var ps = prepare(c, "SELECT kernel, report_count FROM bucket_kernels WHERE bucket_id = ?"
                    + " ORDER BY report_count DESC, kernel", id); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    kernels.add(new KernelCount(rs.getString(1), rs.getLong(2)));
                }
            }
            var days = new ArrayList<DayCount>();
            try (var ps = prepare(c, "SELECT day, report_count FROM bucket_days WHERE bucket_id = ? ORDER BY day",
                    id); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    days.add(new DayCount(rs.getString(1), rs.getLong(2)));
                }
            }
            var refs = new ArrayList<ReportRef>();
            try (var ps = prepare(c, "SELECT id, host, kernel, seen_at FROM reports WHERE bucket_id = ?"
                    + " ORDER BY seen_at DESC, id LIMIT ?", id, recent); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    refs.add(new ReportRef(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
            var withKernels = new BucketSummary(b.id(), b.title(), b.type(), b.count(), b.hosts(),
                    kernels.stream().map(KernelCount::kernel).filter(k -> !k.isEmpty()).sorted().toList(),
                    b.firstSeen(), b.lastSeen());
            Report rep = report(c, representativeId).orElse(null);
            return Optional.of(new BucketDetail(withKernels, hosts, kernels, days, refs, rep));
        }
    }

    public Optional<Report> report(String id) throws SQLException {
        try (Connection c = db.connection()) {
            return report(c, id);
        }
    }

    private static Optional<Report> report(Connection c, String id) throws SQLException {
        try (var ps = prepare(c, REPORT_COLUMNS + " WHERE id = ?", id); var rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Report(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getString(9),
                    rs.getString(10), rs.getString(11), rs.getString(12)));
        }
    }

    /** Number of stored reports (tests and the load script check exact totals with it). */
    public long reportCount() throws SQLException {
        try (Connection c = db.connection(); var ps = c.prepareStatement("SELECT COUNT(*) FROM reports");
             var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case null -> ps.setNull(i + 1, java.sql.Types.VARCHAR);
                    case String s -> ps.setString(i + 1, s);
                    case Long l -> ps.setLong(i + 1, l);
                    case Integer n -> ps.setInt(i + 1, n);
                    default -> throw new IllegalArgumentException("unsupported SQL argument " + args[i].getClass());
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
