package kdive.oops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What people's tools and habits put in front of each line (syslog and journal headers in any locale,
 * ISO stamps, {@code dmesg -T} and {@code -H}, mail quoting, forum indentation, {@code <N>} levels, caller ids) changes
 * nothing: the same report, title and facts as the log without them.
 */
class PastedPrefixPropertiesTest {

    private static final ReportParser PARSER = ReportParser.linux();
    private static final List<String> REAL_WORLD = RealWorldOops.files().stream()
            .map(p -> RealWorldOops.read(p).log()).toList();
    private static final List<String> SYZKALLER = syzkallerLogs();

    private static List<String> syzkallerLogs() {
        try {
            List<String> logs = new ArrayList<>();
            for (Path p : CorpusFile.files("report")) {
                logs.add(CorpusFile.read(p).log());
            }
            return List.copyOf(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A prefix for line {@code i}, from a seeded random so stamps differ between lines as in real logs. */
    enum Prefix {
        SYSLOG(r -> "%s %2d %02d:%02d:%02d myhost kernel: ".formatted(pick(r, "Jan", "Jul", "Dec"), 1 + r.nextInt(31),
                r.nextInt(24), r.nextInt(60), r.nextInt(60))),
        SYSLOG_LOCALE(r -> "%s %2d %02d:%02d:%02d host-1.example.org kernel: ".formatted(
                pick(r, "juil.", "sept.", "Mär", "июл", "déc.", "paź"), 1 + r.nextInt(31), r.nextInt(24), r.nextInt(60),
                r.nextInt(60))),
        SYSLOG_NO_HOST(r -> "Aug %2d 12:28:%02d kernel: ".formatted(1 + r.nextInt(31), r.nextInt(60))),
        JOURNAL_PRECISE(r -> "Apr 15 13:58:%02d.%06d raspberrypi kernel: ".formatted(r.nextInt(60), r.nextInt(1_000_000))),
        ISO(r -> "2020-07-21T07:02:%02d.%06d+02:00 host kernel: ".formatted(r.nextInt(60), r.nextInt(1_000_000))),
        ISO_ALONE(r -> "2020-07-21T07:02:%02d,%06d+0200 ".formatted(r.nextInt(60), r.nextInt(1_000_000))),
        DMESG_T(r -> "[%s %s %2d 07:02:%02d 2020] ".formatted(pick(r, "Tue", "mar.", "Di", "вт"),
                pick(r, "Jul", "juil.", "Jul", "июл"), 1 + r.nextInt(31), r.nextInt(60))),
        DMESG_HUMAN(r -> r.nextInt(20) == 0 ? "[Mar %d 17:%02d] ".formatted(1 + r.nextInt(31), r.nextInt(60))
                : "[  +%d.%06d] ".formatted(r.nextInt(3), r.nextInt(1_000_000))),
        BARE_TAG(r -> "kernel: "),
        QUOTE(r -> "> "),
        DOUBLE_QUOTE(r -> ">> "),
        INDENT(r -> "    "),
        TAB(r -> "\t"),
        QUOTED_SYSLOG(r -> "> " + SYSLOG.at(r)),
        LEVEL(r -> "<" + r.nextInt(8) + ">"),
        CALLER(r -> "[%6s] ".formatted((r.nextBoolean() ? "T" : "C") + r.nextInt(5000)));

        private final Function<Random, String> make;

        Prefix(Function<Random, String> make) {
            this.make = make;
        }

        String at(Random r) {
            return make.apply(r);
        }

        /** Levels and caller ids go where the kernel puts them, before its own timestamp: not before one. */
        boolean fitsLogsWithTimestamps() {
            return this != LEVEL && this != CALLER;
        }

        private static String pick(Random r, String... s) {
            return s[r.nextInt(s.length)];
        }
    }

    /** {@code log} with a prefix on every line (none after a final newline: no tool prefixes a line that is not there). */
    static String prefixed(String log, Prefix prefix, long seed) {
        var r = new Random(seed);
        var out = new StringBuilder(log.length() * 2);
        for (String line : log.split("\n", -1)) {
            out.append(prefix.at(r)).append(line).append('\n');
        }
        out.setLength(out.length() - 1);
        if (log.endsWith("\n")) {
            out.setLength(out.lastIndexOf("\n") + 1);
        }
        return out.toString();
    }

    /** Levels and caller ids are the kernel's own: they go on bare kernel lines, not before a logger's stamp. */
    private static boolean fits(String log, Prefix prefix) {
        if (prefix.fitsLogsWithTimestamps()) {
            return true;
        }
        return log.lines().limit(300).noneMatch(l -> l.matches("^(?:<\\d+>)?\\[ *\\d+\\.\\d+\\].*")
                || !LogPrefix.strip(l).equals(l));
    }

    @Property(tries = 400)
    void realWorldFactsDoNotChange(@ForAll("realWorld") String log, @ForAll Prefix prefix, @ForAll long seed) {
        if (!fits(log, prefix)) {
            return;
        }
        assertThat(OopsFacts.of(prefixed(log, prefix, seed))).as(prefix.name()).isEqualTo(OopsFacts.of(log));
    }

    @Property(tries = 200)
    void syzkallerReportsDoNotChange(@ForAll("syzkaller") String log, @ForAll Prefix prefix, @ForAll long seed) {
        if (!fits(log, prefix)) {
            return;
        }
        assertThat(PARSER.parse(prefixed(log, prefix, seed))).as(prefix.name()).isEqualTo(PARSER.parse(log));
    }

    @Provide
    Arbitrary<String> realWorld() {
        return Arbitraries.of(REAL_WORLD);
    }

    @Provide
    Arbitrary<String> syzkaller() {
        return Arbitraries.of(SYZKALLER);
    }
}
