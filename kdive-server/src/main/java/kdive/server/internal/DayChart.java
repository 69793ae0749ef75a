package kdive.server.internal;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kdive.server.internal.Views.DayCount;

/** An inline SVG bar chart of reports per day (no script, no external asset). */
public final class DayChart {

    /** Longer histories show their latest days only: a bar stays at least a few pixels wide. */
    static final int MAX_DAYS = 120;
    static final int MIN_DAYS = 30;
    private static final int WIDTH = 720;
    private static final int HEIGHT = 120;

    private DayChart() {}

    public static String svg(List<DayCount> days) {
        if (days.isEmpty()) {
            return "<p class=\"muted\">No reports.</p>";
        }
        Map<LocalDate, Long> counts = new HashMap<>();
        long max = 1;
        for (DayCount d : days) {
            counts.merge(LocalDate.parse(d.day()), d.count(), Long::sum);
            max = Math.max(max, d.count());
        }
        LocalDate last = LocalDate.parse(days.getLast().day());
        LocalDate first = LocalDate.parse(days.getFirst().day());
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            first = last.minusDays(MAX_DAYS - 1);
        } else if (ChronoUnit.DAYS.between(first, last) < MIN_DAYS - 1) {
            // A short history still spans a month, so one day is a bar, not the whole chart.
            first = last.minusDays(MIN_DAYS - 1);
        }
        int n = (int) ChronoUnit.DAYS.between(first, last) + 1;
        double barWidth = (double) WIDTH / n;
        var svg = new StringBuilder();
        svg.append("<svg class=\"chart\" role=\"img\" aria-label=\"reports per day\" xmlns=\"http://www.w3.org/2000/svg\"")
                .append(" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT + 16).append("\">");
        for (int i = 0; i < n; i++) {
            LocalDate day = first.plusDays(i);
            long c = counts.getOrDefault(day, 0L);
            if (c == 0) {
                continue;
            }
            double h = Math.max(2, (double) HEIGHT * c / max);
            svg.append("<rect class=\"bar\" data-day=\"").append(day).append("\" data-count=\"").append(c)
                    .append("\" x=\"").append(fmt(i * barWidth + 0.5)).append("\" y=\"").append(fmt(HEIGHT - h))
                    .append("\" width=\"").append(fmt(Math.max(1, barWidth - 1))).append("\" height=\"")
                    .append(fmt(h)).append("\"><title>").append(day).append(": ").append(c)
                    .append("</title></rect>");
        }
        svg.append("<text x=\"0\" y=\"").append(HEIGHT + 14).append("\">").append(first).append("</text>");
        svg.append("<text x=\"").append(WIDTH).append("\" y=\"").append(HEIGHT + 14)
                .append("\" text-anchor=\"end\">").append(last).append("</text>");
        svg.append("<text x=\"").append(WIDTH).append("\" y=\"12\" text-anchor=\"end\">max ").append(max)
                .append("/day</text></svg>");
        return svg.toString();
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
