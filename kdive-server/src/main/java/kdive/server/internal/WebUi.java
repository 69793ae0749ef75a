package kdive.server.internal;

import static kdive.server.internal.Html.esc;
import static kdive.server.internal.Html.time;
import static kdive.server.internal.Html.url;

import io.javalin.http.Context;
import java.sql.SQLException;
import kdive.server.internal.Views.BucketDetail;
import kdive.server.internal.Views.BucketPage;
import kdive.server.internal.Views.BucketSummary;
import kdive.server.internal.Views.HostCount;
import kdive.server.internal.Views.KernelCount;
import kdive.server.internal.Views.Report;
import kdive.server.internal.Views.ReportRef;

/**
 * Server-rendered pages: bucket list (sortable by any column, searchable), bucket page, report page.
 * Every value goes through {@link Html#esc}; the pages carry no script, and the Content-Security-Policy
 * set by {@link Routes} forbids any, as a second line of defence.
 */
public final class WebUi {
    private static final int RECENT_REPORTS = 100;

    private final FleetStore store;
    private final JsonCodec json;
    private final ReportAnalyzer analyzer;

    public WebUi(FleetStore store, JsonCodec json, ReportAnalyzer analyzer) {
        this.store = store;
        this.json = json;
        this.analyzer = analyzer;
    }

    public void buckets(Context ctx) throws SQLException {
        BucketQuery q = QueryParams.bucketQuery(ctx);
        BucketPage page = store.buckets(q);
        var b = new StringBuilder();
        b.append("<h1>Crash buckets</h1>");
        b.append("<form class=\"search\" method=\"get\" action=\"/buckets\">")
                .append("<input type=\"search\" name=\"q\" placeholder=\"search titles\" value=\"")
                .append(esc(q.text())).append("\">")
                .append("<input type=\"text\" name=\"kernel\" placeholder=\"kernel release\" value=\"")
                .append(esc(q.kernel())).append("\">")
                .append("<button type=\"submit\">Search</button></form>");
        b.append("<p class=\"muted\" id=\"total\">").append(page.total()).append(page.total() == 1 ? " bucket" : " buckets")
                .append("</p>");
        b.append("<table id=\"buckets\"><thead><tr>");
        header(b, q, BucketQuery.Sort.TITLE, "Title", false);
        header(b, q, BucketQuery.Sort.COUNT, "Reports", true);
        header(b, q, BucketQuery.Sort.HOSTS, "Hosts", true);
        b.append("<th>Kernels</th>");
        header(b, q, BucketQuery.Sort.FIRST_SEEN, "First seen", false);
        header(b, q, BucketQuery.Sort.LAST_SEEN, "Last seen", false);
        b.append("</tr></thead><tbody>");
        for (BucketSummary s : page.buckets()) {
            b.append("<tr data-bucket=\"").append(esc(s.id())).append("\">")
                    .append("<td class=\"title\"><a href=\"/buckets/").append(esc(url(s.id()))).append("\">")
                    .append(esc(s.title())).append("</a></td>")
                    .append("<td class=\"num count\">").append(s.count()).append("</td>")
                    .append("<td class=\"num hosts\">").append(s.hosts()).append("</td>")
                    .append("<td class=\"kernels\">").append(kernelLinks(s.kernels())).append("</td>")
                    .append("<td class=\"time\">").append(time(s.firstSeen())).append("</td>")
                    .append("<td class=\"time\">").append(time(s.lastSeen())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        pager(b, q, page);
        ctx.html(Html.page("Crash buckets", b.toString()));
    }

    private static void header(StringBuilder b, BucketQuery q, BucketQuery.Sort col, String label, boolean num) {
        boolean active = q.sort() == col;
        boolean nextDesc = active ? !q.descending() : col != BucketQuery.Sort.TITLE;
        String arrow = active ? (q.descending() ? " ▼" : " ▲") : "";
        b.append("<th").append(num ? " class=\"num\"" : "").append("><a href=\"")
                .append(esc(listUrl(q.text(), q.kernel(), col, nextDesc, 0)))
                .append("\">").append(esc(label)).append(arrow).append("</a></th>");
    }

    /** Each release links to the bucket list filtered by it: "what else crashes on this kernel?" */
    private static String kernelLinks(java.util.List<String> kernels) {
        var b = new StringBuilder();
        for (String k : kernels) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append("<a href=\"").append(esc(listUrl("", k, BucketQuery.Sort.LAST_SEEN, true, 0))).append("\">")
                    .append(esc(k)).append("</a>");
        }
        return b.toString();
    }

    private static void pager(StringBuilder b, BucketQuery q, BucketPage page) {
        b.append("<div class=\"pager\">");
        if (q.offset() > 0) {
            b.append("<a href=\"").append(esc(listUrl(q.text(), q.kernel(), q.sort(), q.descending(),
                    Math.max(0, q.offset() - q.limit())))).append("\">previous</a>");
        }
        if (q.offset() + page.buckets().size() < page.total()) {
            b.append("<a href=\"").append(esc(listUrl(q.text(), q.kernel(), q.sort(), q.descending(),
                    q.offset() + q.limit()))).append("\">next</a>");
        }
        b.append("</div>");
    }

    private static String listUrl(String text, String kernel, BucketQuery.Sort sort, boolean desc, int offset) {
        return "/buckets?q=" + url(text) + "&kernel=" + url(kernel) + "&sort=" + sort.param() + "&order="
                + (desc ? "desc" : "asc") + (offset > 0 ? "&offset=" + offset : "");
    }

    public void bucket(Context ctx) throws SQLException {
        BucketDetail d = store.bucket(ctx.pathParam("id"), RECENT_REPORTS)
                .orElseThrow(() -> new HttpError(404, "no such bucket"));
        BucketSummary s = d.bucket();
        var b = new StringBuilder();
        b.append("<p><a href=\"/buckets\">← all buckets</a></p>");
        b.append("<h1 id=\"title\">").append(esc(s.title())).append("</h1>");
        b.append("<div class=\"stats\">")
                .append("<div>Reports<b id=\"count\">").append(s.count()).append("</b></div>")
                .append("<div>Hosts<b id=\"hosts\">").append(s.hosts()).append("</b></div>")
                .append("<div>Kernels<b id=\"kernel-count\">").append(d.kernels().size()).append("</b></div>")
                .append("<div>First seen<b>").append(time(s.firstSeen())).append("</b></div>")
                .append("<div>Last seen<b>").append(time(s.lastSeen())).append("</b></div>")
                .append("<div>Type<b>").append(esc(s.type())).append("</b></div></div>");
        b.append("<h2>Reports per day</h2>").append(DayChart.svg(d.days()));
        b.append("<h2>Hosts</h2><table id=\"host-table\"><thead><tr><th>Host</th><th class=\"num\">Reports</th>")
                .append("<th>Last seen</th></tr></thead><tbody>");
        for (HostCount h : d.hosts()) {
            b.append("<tr><td>").append(esc(h.host())).append("</td><td class=\"num\">").append(h.count())
                    .append("</td><td>").append(time(h.lastSeen())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        b.append("<h2>Kernels</h2><table id=\"kernel-table\"><thead><tr><th>Release</th>")
                .append("<th class=\"num\">Reports</th></tr></thead><tbody>");
        for (KernelCount k : d.kernels()) {
            b.append("<tr><td class=\"kernels\">").append(k.kernel().isEmpty() ? "<span class=\"muted\">unknown</span>"
                    : kernelLinks(java.util.List.of(k.kernel()))).append("</td><td class=\"num\">").append(k.count())
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (d.representative() != null) {
            b.append("<h2>Representative report</h2>");
            reportBody(b, d.representative());
        }
        b.append("<h2>Latest reports</h2><table id=\"report-table\"><thead><tr><th>Report</th><th>Host</th>")
                .append("<th>Kernel</th><th>Seen</th></tr></thead><tbody>");
        for (ReportRef r : d.recentReports()) {
            b.append("<tr><td><a href=\"/reports/").append(esc(url(r.id()))).append("\">").append(esc(r.id()))
                    .append("</a></td><td>").append(esc(r.host())).append("</td><td class=\"kernels\">")
                    .append(esc(r.kernel())).append("</td><td>").append(time(r.seenAt())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        ctx.html(Html.page(s.title(), b.toString()));
    }

    public void report(Context ctx) throws SQLException {
        Report r = store.report(ctx.pathParam("id")).orElseThrow(() -> new HttpError(404, "no such report"));
        var b = new StringBuilder();
        b.append("<p><a href=\"/buckets/").append(esc(url(r.bucketId()))).append("\">← bucket</a></p>");
        b.append("<h1 id=\"title\">").append(esc(r.title())).append("</h1>");
        reportBody(b, r);
        ctx.html(Html.page(r.title(), b.toString()));
    }

    private void reportBody(StringBuilder b, Report r) {
        b.append("<table class=\"meta\"><tbody>")
                .append("<tr><th>Report</th><td><a href=\"/reports/").append(esc(url(r.id()))).append("\">")
                .append(esc(r.id())).append("</a></td></tr>")
                .append("<tr><th>Host</th><td class=\"host\">").append(esc(r.host())).append("</td></tr>")
                .append("<tr><th>Kernel</th><td class=\"kernels\">").append(esc(r.kernel())).append("</td></tr>")
                .append("<tr><th>Seen</th><td>").append(time(r.seenAt())).append("</td></tr>")
                .append("<tr><th>Received</th><td>").append(time(r.receivedAt())).append("</td></tr>")
                .append("</tbody></table>");
        if (r.diagnosisJson() != null) {
            b.append("<h2>Diagnosis</h2><pre class=\"diagnosis\">").append(esc(json.pretty(r.diagnosisJson())))
                    .append("</pre>");
        }
        b.append("<h2>Analysis</h2><pre class=\"analysis\">").append(esc(analyzer.render(r.text()))).append("</pre>");
        b.append("<h2>Parsed</h2><pre class=\"parsed\">").append(esc(json.pretty(r.parsedJson()))).append("</pre>");
        b.append("<h2>Raw text</h2><pre class=\"raw\">").append(esc(r.text())).append("</pre>");
    }
}
