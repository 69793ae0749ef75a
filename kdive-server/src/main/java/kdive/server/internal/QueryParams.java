package kdive.server.internal;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Query and body parameters shared by the API and the pages; bad values become 400. */
public final class QueryParams {
    public static final int DEFAULT_LIMIT = 100;

    private QueryParams() {}

    /** {@code ?q= &kernel= &since= &sort= &order=asc|desc &limit= &offset=}. */
    public static BucketQuery bucketQuery(Context ctx) {
        String q = orEmpty(ctx.queryParam("q")).strip();
        String kernel = orEmpty(ctx.queryParam("kernel")).strip();
        String since = orEmpty(ctx.queryParam("since")).strip();
        long sinceMillis = since.isEmpty() ? Long.MIN_VALUE
                : instant(since).orElseThrow(() -> new HttpError(400,
                        "since: expected a date (2026-01-31) or an ISO-8601 time, got " + quote(since)))
                        .toEpochMilli();
        String sortParam = orEmpty(ctx.queryParam("sort"));
        BucketQuery.Sort sort = sortParam.isEmpty() ? BucketQuery.Sort.LAST_SEEN
                : BucketQuery.Sort.fromParam(sortParam).orElseThrow(() -> new HttpError(400,
                        "sort: expected lastSeen, firstSeen, count, hosts or title"));
        String order = orEmpty(ctx.queryParam("order"));
        boolean desc = switch (order) {
            case "" -> sort != BucketQuery.Sort.TITLE;
            case "desc" -> true;
            case "asc" -> false;
            default -> throw new HttpError(400, "order: expected asc or desc");
        };
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, BucketQuery.MAX_LIMIT);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        return new BucketQuery(q, kernel, sinceMillis, sort, desc, offset, limit);
    }

    private static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new HttpError(400, "%s: expected an integer in [%d, %d]".formatted(name, min, max));
    }

    /** A date ({@code 2026-01-31}, midnight UTC) or an ISO-8601 instant or offset time. */
    public static Optional<Instant> instant(String s) {
        try {
            if (s.length() == 10) {
                return Optional.of(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            return Optional.of(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** A user value for an error message: quoted, cut, control characters escaped. */
    public static String quote(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return '"' + cut.replaceAll("\\p{Cntrl}", "?") + '"';
    }
}
