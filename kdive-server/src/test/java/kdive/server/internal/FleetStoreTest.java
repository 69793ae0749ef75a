package kdive.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kdive.server.Backend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SQL store on real SQLite files and a real PostgreSQL, without HTTP or the oops parser. */
class FleetStoreTest {
    @TempDir
    Path tmp;

    private static Analysis analysis(String title, String kernel) {
        return new Analysis(title, "TEST", kernel, "{\"reports\":[]}");
    }

    private static Submission sub(String host, String text, String id, String at) {
        return new Submission(host, text, id, Optional.ofNullable(at).map(Instant::parse), null);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void bucketsCountReportsHostsKernelsAndDays(Backend backend) throws Exception {
        try (Database db = Database.open(backend.prepare(tmp)); FleetStore store = new FleetStore(db)) {
            Instant now = Instant.parse("2026-03-01T10:00:00Z");
            assertThat(store.ingest(sub("a", "t1", null, "2026-02-01T00:00:00Z"), analysis("BUG: x", "5.1"), now)
                    .created()).isTrue();
            assertThat(store.ingest(sub("b", "t1", null, "2026-02-03T00:00:00Z"), analysis("BUG: x", "5.2"), now)
                    .created()).isTrue();
            assertThat(store.ingest(sub("a", "t2", null, null), analysis("BUG: x", "5.1"), now).created()).isTrue();
            assertThat(store.ingest(sub("a", "t3", null, null), analysis("WARNING: y", ""), now).created()).isTrue();

            var page = store.buckets(BucketQuery.all());
            assertThat(page.total()).isEqualTo(2);
            var x = page.buckets().stream().filter(b -> b.title().equals("BUG: x")).findFirst().orElseThrow();
            assertThat(x.count()).isEqualTo(3);
            assertThat(x.hosts()).isEqualTo(2);
            assertThat(x.kernels()).containsExactly("5.1", "5.2");
            assertThat(Instant.ofEpochMilli(x.firstSeen())).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
            assertThat(Instant.ofEpochMilli(x.lastSeen())).isEqualTo(now);
            // Sorted by lastSeen desc, then id: both buckets were last seen "now".
            assertThat(page.buckets()).hasSize(2);

            var detail = store.bucket(x.id(), 10).orElseThrow();
            assertThat(detail.days()).extracting(Views.DayCount::day, Views.DayCount::count)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-02-01", 1L),
                            org.assertj.core.groups.Tuple.tuple("2026-02-03", 1L),
                            org.assertj.core.groups.Tuple.tuple("2026-03-01", 1L));
            assertThat(detail.hosts()).extracting(Views.HostCount::host).containsExactly("a", "b");
            assertThat(detail.recentReports()).hasSize(3);
            assertThat(detail.representative().text()).isEqualTo("t1");
            assertThat(detail.representative().host()).isEqualTo("a");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void retriesAreIdempotentByClientIdOrHostAndText(Backend backend) throws Exception {
        try (Database db = Database.open(backend.prepare(tmp)); FleetStore store = new FleetStore(db)) {
            Instant now = Instant.now();
            var first = store.ingest(sub("h", "text", "id-1", null), analysis("T", "k"), now);
            var again = store.ingest(sub("h", "other text", "id-1", null), analysis("T2", "k"), now);
            assertThat(first.created()).isTrue();
            assertThat(again.created()).isFalse();
            assertThat(again.reportId()).isEqualTo(first.reportId());
            assertThat(again.title()).isEqualTo("T");
            // The same client id from another host is another report.
            assertThat(store.ingest(sub("h2", "text", "id-1", null), analysis("T", "k"), now).created()).isTrue();
            // Without id: host + text.
            assertThat(store.ingest(sub("h", "plain", null, null), analysis("T", "k"), now).created()).isTrue();
            assertThat(store.ingest(sub("h", "plain", null, null), analysis("T", "k"), now).created()).isFalse();
            assertThat(store.reportCount()).isEqualTo(3);
            assertThat(store.buckets(BucketQuery.all()).buckets().getFirst().count()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void filtersSortAndPage(Backend backend) throws Exception {
        try (Database db = Database.open(backend.prepare(tmp)); FleetStore store = new FleetStore(db)) {
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j <= i; j++) {
                    store.ingest(sub("h" + j, "t" + i + "/" + j, null, t0.plusSeconds(86400L * i).toString()),
                            analysis("KASAN: 100%_weird title " + i, "6." + i), t0);
                }
            }
            assertThat(store.buckets(query("", "", Long.MIN_VALUE, BucketQuery.Sort.COUNT, true, 0, 2)).buckets())
                    .extracting(Views.BucketSummary::count).containsExactly(5L, 4L);
            assertThat(store.buckets(query("", "", Long.MIN_VALUE, BucketQuery.Sort.COUNT, true, 2, 2)).buckets())
                    .extracting(Views.BucketSummary::count).containsExactly(3L, 2L);
            assertThat(store.buckets(query("TITLE 3", "", Long.MIN_VALUE, BucketQuery.Sort.TITLE, false, 0, 10))
                    .buckets()).extracting(Views.BucketSummary::title).containsExactly("KASAN: 100%_weird title 3");
            // LIKE wildcards in the search text are literal.
            assertThat(store.buckets(query("0%_w", "", Long.MIN_VALUE, BucketQuery.Sort.TITLE, false, 0, 10)).total())
                    .isEqualTo(5);
            assertThat(store.buckets(query("0_%w", "", Long.MIN_VALUE, BucketQuery.Sort.TITLE, false, 0, 10)).total())
                    .isZero();
            assertThat(store.buckets(query("", "6.2", Long.MIN_VALUE, BucketQuery.Sort.HOSTS, true, 0, 10))
                    .buckets()).extracting(Views.BucketSummary::hosts).containsExactly(3L);
            long since = t0.plusSeconds(86400L * 3).toEpochMilli();
            assertThat(store.buckets(query("", "", since, BucketQuery.Sort.LAST_SEEN, false, 0, 10)).buckets())
                    .extracting(Views.BucketSummary::title)
                    .containsExactly("KASAN: 100%_weird title 3", "KASAN: 100%_weird title 4");
        }
    }

    private static BucketQuery query(String q, String k, long since, BucketQuery.Sort s, boolean desc, int off, int lim) {
        return new BucketQuery(q, k, since, s, desc, off, lim);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void concurrentWritersLoseNothing(Backend backend) throws Exception {
        try (Database db = Database.open(backend.prepare(tmp)); FleetStore store = new FleetStore(db);
             var pool = Executors.newFixedThreadPool(16)) {
            List<Callable<Boolean>> jobs = new ArrayList<>();
            for (int i = 0; i < 800; i++) {
                int n = i;
                // Every report twice (a retry): exactly one of the two creates it.
                for (int copy = 0; copy < 2; copy++) {
                    jobs.add(() -> store.ingest(sub("host-" + n % 13, "text " + n, null, null),
                            analysis("bucket " + n % 7, "k" + n % 3), Instant.now()).created());
                }
            }
            long created = 0;
            for (Future<Boolean> f : pool.invokeAll(jobs)) {
                created += f.get() ? 1 : 0;
            }
            assertThat(created).isEqualTo(800);
            assertThat(store.reportCount()).isEqualTo(800);
            var page = store.buckets(BucketQuery.all());
            assertThat(page.buckets()).hasSize(7);
            assertThat(page.buckets().stream().mapToLong(Views.BucketSummary::count).sum()).isEqualTo(800);
            for (var b : page.buckets()) {
                int k = Integer.parseInt(b.title().substring("bucket ".length()));
                long expected = java.util.stream.IntStream.range(0, 800).filter(i -> i % 7 == k).count();
                assertThat(b.count()).as(b.title()).isEqualTo(expected);
                assertThat(b.hosts()).isEqualTo(13);
                assertThat(b.kernels()).containsExactly("k0", "k1", "k2");
            }
        }
    }
}
