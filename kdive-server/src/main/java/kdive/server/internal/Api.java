package kdive.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import kdive.server.internal.Views.BucketDetail;
import kdive.server.internal.Views.BucketSummary;
import kdive.server.internal.Views.Report;

/** The JSON API under {@code /api/v1}; see the README for the contract and curl examples. */
public final class Api {
    private static final int MAX_HOST = 255;
    private static final int MAX_ID = 200;
    private static final int RECENT_REPORTS = 100;
    /** No Linux crash report predates this; an earlier collectedAt is a broken clock or a made-up value. */
    static final Instant EARLIEST_COLLECTED = Instant.parse("1990-01-01T00:00:00Z");

    private final FleetStore store;
    private final ReportAnalyzer analyzer;
    private final JsonCodec json;
    /** Bytes of an oversized body read and dropped so the client gets its 413; beyond, Jetty closes. */
    private static final long DRAIN_LIMIT = 16L << 20;
    private final long maxBody;
    private final Clock clock;

    public Api(FleetStore store, ReportAnalyzer analyzer, JsonCodec json, long maxBody, Clock clock) {
        this.store = store;
        this.analyzer = analyzer;
        this.json = json;
        this.maxBody = maxBody;
        this.clock = clock;
    }

    /** {@code POST /api/v1/reports}: 201 stored, 200 already stored (same id / host+text), 4xx refused. */
    public void postReport(Context ctx) throws SQLException {
        byte[] body = readBody(ctx);
        if (body == null) {
            return; // refused up front, answer already sent
        }
        Submission s = submission(body);
        Optional<IngestResult> known = store.find(s);
        IngestResult r;
        if (known.isPresent()) {
            r = known.get();
        } else {
            Analysis a = analyzer.analyze(s.text(), s.textSha256())
                    .orElseThrow(() -> new HttpError(422, "text: no kernel crash report found"));
            r = store.ingest(s, a, clock.instant());
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("id", r.reportId());
        out.put("bucket", r.bucketId());
        out.put("title", r.title());
        out.put("created", r.created());
        out.put("url", "/api/v1/reports/" + r.reportId());
        if (r.created()) {
            ctx.header("Location", "/api/v1/reports/" + r.reportId());
        }
        ctx.status(r.created() ? 201 : 200).contentType("application/json").result(json.write(out));
    }

    /**
     * Reads at most {@code maxBody} bytes: a longer body (declared or streamed) is 413. A declared
     * Content-Length over the limit is answered before any of the body is read (a client that
     * declares 1 GB and sends nothing gets its 413 at once, not after the idle timeout); null then.
     * The excess is drained (up to {@link #DRAIN_LIMIT}) after the answer, because a server that
     * closes while the client is still sending makes the client see a reset instead of the 413.
     */
    private byte[] readBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > maxBody) {
                answerNow(ctx, tooLarge());
                try {
                    drain(in);
                } catch (IOException afterAnswer) {
                    // the client has its 413; a reset while draining changes nothing
                }
                return null;
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (body.length > maxBody) {
                drain(in);
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new HttpError(400, "body: cannot read: " + e.getMessage());
        }
    }

    /** Sends {@code e} as the response and commits it, so the client has it before the body is drained. */
    private void answerNow(Context ctx, HttpError e) throws IOException {
        var res = ctx.res();
        res.setStatus(e.status());
        res.setHeader("Connection", "close");
        res.setContentType("application/json");
        byte[] bytes = errorJson(e.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        res.setContentLength(bytes.length);
        res.getOutputStream().write(bytes);
        res.flushBuffer();
    }

    private HttpError tooLarge() {
        return new HttpError(413, "body: larger than %d bytes".formatted(maxBody));
    }

    private static void drain(InputStream in) throws IOException {
        byte[] sink = new byte[64 * 1024];
        long left = DRAIN_LIMIT;
        for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
            left -= n;
        }
    }

    private Submission submission(byte[] body) {
        JsonNode root;
        try {
            root = json.read(body);
        } catch (IOException e) {
            throw new HttpError(400, "body: not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new HttpError(400, "body: expected a JSON object {\"host\": ..., \"text\": ...}");
        }
        String host = requiredString(root, "host");
        if (host.isBlank() || host.length() > MAX_HOST || host.chars().anyMatch(Character::isISOControl)) {
            throw new HttpError(400, "host: expected 1 to %d characters without control characters".formatted(MAX_HOST));
        }
        String text = requiredString(root, "text");
        if (text.isBlank()) {
            throw new HttpError(400, "text: empty");
        }
        String id = optionalString(root, "id");
        if (id != null && (id.isEmpty() || id.length() > MAX_ID)) {
            throw new HttpError(400, "id: expected 1 to %d characters".formatted(MAX_ID));
        }
        String collected = optionalString(root, "collectedAt");
        Optional<Instant> collectedAt = collected == null ? Optional.empty() : Optional.of(QueryParams.instant(collected)
                .orElseThrow(() -> new HttpError(400, "collectedAt: expected ISO-8601 (2026-01-31T12:00:00Z), got "
                        + QueryParams.quote(collected))));
        collectedAt.ifPresent(this::checkPlausible);
        JsonNode diagnosis = root.get("diagnosis");
        if (diagnosis != null && !diagnosis.isNull() && !diagnosis.isObject()) {
            throw new HttpError(400, "diagnosis: expected a JSON object");
        }
        String diagnosisJson = diagnosis == null || diagnosis.isNull() ? null : json.write(diagnosis);
        return new Submission(host.strip(), text, id, collectedAt, diagnosisJson);
    }

    /**
     * A collection time is a bucket's firstSeen/lastSeen for good, and the batch writer's epoch
     * milliseconds overflow far out (year +999999999): only times from {@link #EARLIEST_COLLECTED}
     * to a day after the server's clock (hosts' clocks drift) are taken.
     */
    private void checkPlausible(Instant at) {
        Instant latest = clock.instant().plus(java.time.Duration.ofDays(1));
        if (at.isBefore(EARLIEST_COLLECTED) || at.isAfter(latest)) {
            throw new HttpError(400, "collectedAt: expected a time between %s and %s, got %s"
                    .formatted(EARLIEST_COLLECTED, latest.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), at));
        }
    }

    private static String requiredString(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) {
            throw new HttpError(400, field + ": required string");
        }
        return n.textValue();
    }

    private static String optionalString(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new HttpError(400, field + ": expected a string");
        }
        return n.textValue();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** {@code GET /api/v1/buckets}. */
    public void buckets(Context ctx) throws SQLException {
        var page = store.buckets(QueryParams.bucketQuery(ctx));
        var out = new LinkedHashMap<String, Object>();
        out.put("buckets", page.buckets().stream().map(Api::bucketJson).toList());
        out.put("total", page.total());
        out.put("offset", page.offset());
        out.put("limit", page.limit());
        ctx.contentType("application/json").result(json.write(out));
    }

    private static Map<String, Object> bucketJson(BucketSummary b) {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", b.id());
        m.put("title", b.title());
        m.put("type", b.type());
        m.put("count", b.count());
        m.put("hosts", b.hosts());
        m.put("kernels", b.kernels());
        m.put("firstSeen", Instant.ofEpochMilli(b.firstSeen()).toString());
        m.put("lastSeen", Instant.ofEpochMilli(b.lastSeen()).toString());
        return m;
    }

    /** {@code GET /api/v1/buckets/{id}}. */
    public void bucket(Context ctx) throws SQLException {
        BucketDetail d = store.bucket(ctx.pathParam("id"), RECENT_REPORTS)
                .orElseThrow(() -> new HttpError(404, "no such bucket"));
        var out = bucketJson(d.bucket());
        out.put("hostCounts", d.hosts().stream().map(h -> Map.of("host", h.host(), "count", h.count(),
                "lastSeen", Instant.ofEpochMilli(h.lastSeen()).toString())).toList());
        out.put("kernelCounts", d.kernels().stream().map(k -> Map.of("kernel", k.kernel(), "count", k.count()))
                .toList());
        out.put("days", d.days().stream().map(x -> Map.of("day", x.day(), "count", x.count())).toList());
        out.put("representative", d.representative() == null ? null : d.representative().id());
        out.put("reports", d.recentReports().stream().map(r -> Map.of("id", r.id(), "host", r.host(),
                "kernel", r.kernel(), "seenAt", Instant.ofEpochMilli(r.seenAt()).toString())).toList());
        ctx.contentType("application/json").result(json.write(out));
    }

    /** {@code GET /api/v1/reports/{id}}: text, the server's parse and the client's diagnosis. */
    public void report(Context ctx) throws SQLException {
        Report r = store.report(ctx.pathParam("id")).orElseThrow(() -> new HttpError(404, "no such report"));
        ObjectNode out = json.mapper().createObjectNode();
        out.put("id", r.id());
        out.put("bucket", r.bucketId());
        out.put("title", r.title());
        out.put("host", r.host());
        out.put("clientId", r.clientId());
        out.put("kernel", r.kernel());
        out.put("seenAt", Instant.ofEpochMilli(r.seenAt()).toString());
        out.put("receivedAt", Instant.ofEpochMilli(r.receivedAt()).toString());
        out.put("collectedAt", r.collectedAt());
        out.put("text", r.text());
        out.set("parsed", json.tree(r.parsedJson()));
        out.set("diagnosis", r.diagnosisJson() == null ? null : json.tree(r.diagnosisJson()));
        ctx.contentType("application/json").result(json.write(out));
    }

    /** Error body of the API. */
    public String errorJson(String message) {
        return json.write(Map.of("error", message));
    }
}
