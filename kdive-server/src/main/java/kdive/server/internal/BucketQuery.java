package kdive.server.internal;

/**
 * Filters, order and page of a bucket list request.
 *
 * @param text case-insensitive substring of the title, or ""
 * @param kernel only buckets seen on this exact kernel release, or ""
 * @param sinceMillis only buckets seen at or after this time (epoch ms), or {@code Long.MIN_VALUE}
 * @param sort the column to order by
 * @param descending order direction
 * @param offset rows to skip
 * @param limit rows to return (1..1000)
 */
public record BucketQuery(String text, String kernel, long sinceMillis, Sort sort, boolean descending, int offset,
        int limit) {

    public static final int MAX_LIMIT = 1000;

    /** Sortable columns; the SQL is fixed per constant, never built from user text. */
    public enum Sort {
        LAST_SEEN("b.last_seen"), FIRST_SEEN("b.first_seen"), COUNT("b.report_count"), HOSTS("hosts"),
        TITLE("b.title");

        private final String column;

        Sort(String column) {
            this.column = column;
        }

        String column() {
            return column;
        }

        /** The constant named by a query parameter ({@code lastSeen}, {@code count}...), or empty. */
        public static java.util.Optional<Sort> fromParam(String p) {
            for (Sort s : values()) {
                if (s.param().equals(p)) {
                    return java.util.Optional.of(s);
                }
            }
            return java.util.Optional.empty();
        }

        public String param() {
            return switch (this) {
                case LAST_SEEN -> "lastSeen";
                case FIRST_SEEN -> "firstSeen";
                case COUNT -> "count";
                case HOSTS -> "hosts";
                case TITLE -> "title";
            };
        }
    }

    public BucketQuery {
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("offset >= 0 and 1 <= limit <= " + MAX_LIMIT);
        }
    }

    public static BucketQuery all() {
        return new BucketQuery("", "", Long.MIN_VALUE, Sort.LAST_SEEN, true, 0, MAX_LIMIT);
    }
}
