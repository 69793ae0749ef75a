package kdive.oops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Robustness: whatever the input (binary garbage, truncated or mutated real logs, kernel-looking
 * fragments in random order), parsing never throws, finishes quickly, and reports lie inside the
 * text in order, each starting on a line the streaming pre-filter lets through.
 */
class ReportParserPropertiesTest {

    private static final ReportParser PARSER = ReportParser.linux();
    private static final long MAX_MILLIS = 3_000;
    private static final List<String> CORPUS = loadCorpus();

    private static List<String> loadCorpus() {
        List<String> logs = new ArrayList<>();
        try {
            for (Path p : CorpusFile.files("report")) {
                logs.add(CorpusFile.read(p).log());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (logs.isEmpty()) {
            logs.add("[    1.000000] BUG: KASAN: use-after-free in foo+0x1/0x2\n");
        }
        return List.copyOf(logs);
    }

    @Property(tries = 300)
    void arbitraryBytesNeverBreakTheParser(@ForAll @Size(max = 4096) byte[] bytes) {
        checkInvariants(new String(bytes, StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void kernelLookingFragmentsNeverBreakTheParser(@ForAll("fragmentSoup") String log) {
        checkInvariants(log);
    }

    @Property(tries = 200)
    void truncatedAndMutatedCorpusLogsNeverBreakTheParser(@ForAll("mutatedCorpusLog") String log) {
        checkInvariants(log);
    }

    @Provide
    Arbitrary<String> fragmentSoup() {
        Arbitrary<String> fragment = Arbitraries.of(
                "BUG: ", "WARNING: ", "INFO: ", "KASAN: ", "Call Trace:", " ? ", "[  12.345678] ", "[ T123] ", "[  C1] ",
                "RIP: 0010:", "IP: [<ffffffff81573762>] ", "func+0x12/0x34", "\n", "\n", "\n", " ", "<4>",
                "Nov 25 10:00:00 host kernel: ", "Kernel panic - not syncing: ", "general protection fault: 0000",
                "kernel BUG at ", "lib/list_debug.c:12", " in ", "Read of size 8", "Allocated by task 1:",
                "Freed by task 2:", "backtrace:", "INFO: task syz:1 blocked for more than 143 seconds.",
                "INFO: rcu_sched self-detected stall", "apic_timer_interrupt", "Comm: syz.1.2 ", "_R", "_ZN3foo",
                "_RNvCs1_4core3fmt", "BUG: unable to handle kernel", " NULL pointer dereference", "(null)",
                "] ", "[", "]", "\t", "\u0000", "\uFFFD", "\r", "** replaying previous printk message **",
                "Sending NMI from CPU", "<EOI>", " (unreliable)", "login: ", "panic: ", "SYZFAIL:", "fatal error:",
                "UBSAN: ", "Unable to handle kernel paging request", "Internal error: Oops", "PC is at ",
                "status: 0000000000000000 badaddr: 0000000000000000 cause: 000000000000000d");
        return fragment.list().ofMaxSize(300).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> mutatedCorpusLog() {
        Arbitrary<String> log = Arbitraries.integers().between(0, CORPUS.size() - 1).map(CORPUS::get);
        Arbitrary<Double> cutFrom = Arbitraries.doubles().between(0, 1);
        Arbitrary<Double> cutTo = Arbitraries.doubles().between(0, 1);
        Arbitrary<List<Integer>> edits = Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMaxSize(20);
        return Combinators.combine(log, cutFrom, cutTo, edits).as((text, a, b, ed) -> {
            int from = (int) (Math.min(a, b) * text.length());
            int to = (int) (Math.max(a, b) * text.length());
            StringBuilder sb = new StringBuilder(text.substring(from, Math.max(from, to)));
            String[] inserts = {"\n", "BUG: ", "Call Trace:\n", "[  1.0] ", "\u0000", "] ", " ? ", "\r\n", "WARNING:"};
            for (int e : ed) {
                if (sb.isEmpty()) {
                    break;
                }
                int pos = e % sb.length();
                switch (e % 3) {
                    case 0 -> sb.insert(pos, inserts[(e / 3) % inserts.length]);
                    case 1 -> sb.delete(pos, Math.min(sb.length(), pos + (e / 7) % 200));
                    default -> sb.setCharAt(pos, (char) ((e / 11) % 128));
                }
            }
            return sb.toString();
        });
    }

    private static void checkInvariants(String log) {
        long t0 = System.nanoTime();
        List<CrashReport> all = PARSER.parseAll(log);
        PARSER.parse(log);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(millis).as("parse time").isLessThan(MAX_MILLIS);
        String[] lines = log.split("\n", -1);
        int lineCount = log.endsWith("\n") ? lines.length - 1 : lines.length;
        int prevEnd = 0;
        for (CrashReport r : all) {
            assertThat(r.startLine()).isGreaterThanOrEqualTo(1);
            assertThat(r.startLine()).isLessThanOrEqualTo(r.endLine());
            assertThat(r.endLine()).isLessThanOrEqualTo(lineCount);
            assertThat(r.startLine()).as("reports are in order").isGreaterThan(prevEnd);
            prevEnd = r.endLine();
            assertThat(r.title()).isNotEmpty();
            assertThat(r.title().length()).isLessThanOrEqualTo(120);
            assertThat(r.title().chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
            assertThat(r.type()).isNotEmpty();
            assertThat(PARSER.mayStartReport(lines[r.startLine() - 1]))
                    .as("pre-filter lets the report's start line through").isTrue();
        }
    }
}
