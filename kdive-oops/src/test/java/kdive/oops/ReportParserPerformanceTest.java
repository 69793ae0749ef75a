package kdive.oops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Linear-time guarantees with generous bounds (CI machines are shared): the streaming pre-filter
 * on noise, whole logs with scattered or back-to-back crashes, and pathological lines.
 */
class ReportParserPerformanceTest {

    private static final ReportParser PARSER = ReportParser.linux();

    private static List<String> noiseLines() throws IOException {
        List<String> noise = new ArrayList<>();
        for (Path p : CorpusFile.files("report")) {
            for (String l : CorpusFile.read(p).log().split("\n")) {
                if (!PARSER.mayStartReport(l)) {
                    noise.add(l);
                }
            }
        }
        return noise;
    }

    @Test
    void preFilterIsFastOnNoise() throws IOException {
        List<String> noise = noiseLines();
        assertThat(noise).hasSizeGreaterThan(1000);
        long chars = 0;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            long n = 0;
            for (int rep = 0; rep < 5; rep++) {
                for (String l : noise) {
                    if (PARSER.mayStartReport(l)) {
                        throw new AssertionError(l);
                    }
                    n += l.length() + 1;
                }
            }
            best = Math.min(best, System.nanoTime() - t0);
            chars = n;
        }
        double mbps = chars / (best / 1e9) / 1e6;
        System.out.printf("== mayStartReport on noise: %.0f MB/s (%d MB per round)%n", mbps, chars / 1_000_000);
        assertThat(mbps).as("pre-filter throughput, MB/s").isGreaterThan(20);
    }

    @Test
    void wholeLogsParseInLinearTime() throws IOException {
        List<String> noise = noiseLines();
        String oops = """
                [  100.000001] BUG: unable to handle kernel NULL pointer dereference at           (null)
                [  100.000002] IP: [<ffffffff81573762>] skb_entail+0x52/0xd0
                [  100.000003] Oops: 0002 [#1] SMP
                [  100.000004] Call Trace:
                [  100.000005]  [<ffffffff81577bf2>] tcp_sendmsg+0x6f2/0xc20
                [  100.000006]  [<ffffffff815a1c04>] inet_sendmsg+0x64/0xb0
                """;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 10_000_000; i++) {
            sb.append(noise.get(i % noise.size())).append('\n');
            if (i % 2000 == 1999) {
                sb.append(oops);
            }
        }
        long t0 = System.nanoTime();
        List<CrashReport> scattered = PARSER.parseAll(sb.toString());
        double s1 = (System.nanoTime() - t0) / 1e9;
        assertThat(scattered).hasSizeGreaterThan(50)
                .allMatch(r -> r.title().equals("BUG: unable to handle kernel NULL pointer dereference in skb_entail"));

        String sameTask = "[    1.000000][    T1] WARNING: CPU: 0 PID: 1 at fs/a.c:1 f+0x1/0x2\n".repeat(20_000);
        t0 = System.nanoTime();
        assertThat(PARSER.parseAll(sameTask)).hasSize(20_000);
        double s2 = (System.nanoTime() - t0) / 1e9;

        String[] pathological = {
            "BUG: " + "a".repeat(1_000_000),
            "WARNING: " + " at ".repeat(250_000) + "\n",
            "[  1.0] BUG: KASAN: use-after-free in " + "x+".repeat(500_000),
            "INFO: task " + "\n".repeat(1_000_000),
            ("[ 1.0] " + "] ".repeat(1000) + "login: [ 2.0] \n").repeat(300) + "BUG: KASAN: x in f+0x1/0x2\n"
                    + "Read of size 8\n".repeat(50_000),
        };
        double worst = 0;
        for (String log : pathological) {
            t0 = System.nanoTime();
            PARSER.parseAll(log);
            worst = Math.max(worst, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("== parseAll: 10 MB with %d crashes %.2f s; 20,000 back-to-back crashes %.2f s;"
                + " worst pathological 1 MB input %.2f s%n", scattered.size(), s1, s2, worst);
        assertThat(s1).isLessThan(30);
        assertThat(s2).isLessThan(60);
        assertThat(worst).isLessThan(20);
    }
}
