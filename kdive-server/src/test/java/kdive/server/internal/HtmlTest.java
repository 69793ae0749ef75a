package kdive.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class HtmlTest {
    @Property(tries = 500)
    void escapedTextHasNoMarkupCharacters(@ForAll String s) {
        String e = Html.esc(s);
        assertThat(e).doesNotContain("<", ">", "\"", "'");
        // Every & starts an entity we wrote.
        assertThat(e.replaceAll("&(amp|lt|gt|quot|#39);", "")).doesNotContain("&");
    }

    @Test
    void knownPayloads() {
        assertThat(Html.esc("<script>alert(1)</script>")).isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(Html.esc("\"><img src=x onerror=alert(1)>"))
                .isEqualTo("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
        assertThat(Html.esc("a\u0000b\u001bc\n")).isEqualTo("a\uFFFDb\uFFFDc\n");
    }

    @Test
    void chartDrawsOneBarPerDayWithReports() {
        String svg = DayChart.svg(List.of(new Views.DayCount("2026-01-01", 3), new Views.DayCount("2026-01-05", 1)));
        assertThat(svg.split("<rect ", -1)).hasSize(3);
        assertThat(svg).contains("data-day=\"2026-01-01\" data-count=\"3\"").contains("max 3/day");
        assertThat(DayChart.svg(List.of())).contains("No reports");
    }
}
