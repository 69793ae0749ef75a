package kdive.server.internal;

import java.util.List;

/** Read models of the store, shared by the JSON API and the web UI. */
public final class Views {
    private Views() {}

    /** One row of the bucket list. Times are epoch milliseconds (UTC). */
    public record BucketSummary(String id, String title, String type, long count, long hosts,
            List<String> kernels, long firstSeen, long lastSeen) {
        public BucketSummary {
            kernels = List.copyOf(kernels);
        }
    }

    /** A page of the bucket list and the number of buckets matching the filters. */
    public record BucketPage(List<BucketSummary> buckets, long total, int offset, int limit) {
        public BucketPage {
            buckets = List.copyOf(buckets);
        }
    }

    public record HostCount(String host, long count, long lastSeen) {}

    public record KernelCount(String kernel, long count) {}

    public record DayCount(String day, long count) {}

    /** A report without its text, as listed on a bucket page. */
    public record ReportRef(String id, String host, String kernel, long seenAt) {}

    /** Everything a bucket page shows. */
    public record BucketDetail(BucketSummary bucket, List<HostCount> hosts, List<KernelCount> kernels,
            List<DayCount> days, List<ReportRef> recentReports, Report representative) {
        public BucketDetail {
            hosts = List.copyOf(hosts);
            kernels = List.copyOf(kernels);
            days = List.copyOf(days);
            recentReports = List.copyOf(recentReports);
        }
    }

    /** A stored report with its text, the server's parse and the client's diagnosis (or null). */
    public record Report(String id, String bucketId, String title, String host, String clientId, String kernel,
            long seenAt, long receivedAt, String collectedAt, String text, String parsedJson,
            String diagnosisJson) {}
}
