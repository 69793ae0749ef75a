package kdive.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 (3): analyze prints each report as it is found. The streamed text and JSON are the
 * documents printing all reports at the end gave, byte for byte.
 */
class StreamedOutputTest {

    @Test
    void streamedDocumentsEqualTheWholeOnes() throws IOException {
        String seed = Files.readString(TriageSeedTest.SEED);
        List<Analysis> all;
        try (Triage t = Triage.create()) {
            all = t.analyzeText("log", seed + "\n[705400.000000] noise\n" + seed);
        }
        assertThat(all).hasSize(2);
        var json = new StringWriter();
        try (var w = new JsonReports.StreamWriter(json)) {
            all.forEach(w::add);
        }
        assertThat(json.toString()).isEqualTo(JsonReports.toJson(all));
        var empty = new StringWriter();
        new JsonReports.StreamWriter(empty).close();
        assertThat(empty.toString()).isEqualTo(JsonReports.toJson(List.of()));
        assertThat(TextReport.render(all.get(0)) + "\n" + TextReport.render(all.get(1))).isEqualTo(TextReport.render(all));
    }
}
