package kdive.cli;

import static kdive.cli.CliRun.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * info / log / rd / vtop on the real fixtures of scripts/make-vmcores.sh, against the guest's
 * console and crash's own output on the same file (crash-kdump-zlib.txt).
 */
@Tag("vmcore")
@Tag("every-kernel")
class DumpCommandsTest {



    private static Path scenario() {
        return Fixtures.scenario("skb");
    }

    @Test
    void logPrintsTheConsolesKernelLines() throws IOException {
        Path dir = scenario();
        List<String> console = Files.readAllLines(dir.resolve("console.log"), StandardCharsets.UTF_8).stream()
                .map(l -> l.replace("\r", "")).filter(l -> l.matches("\\[ *\\d+\\.\\d{6}\\] .*")).toList();
        CliRun r = run("log", dir.resolve("kdump-zlib.flat").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().toList()).isEqualTo(console);
    }

    @Test
    void rdAndVtopPrintWhatCrashPrints() throws IOException {
        Path dir = scenario();
        List<String> crash = Fixtures.crashOutput(dir.resolve("crash-kdump-zlib.txt"));
        List<String> crashRd = crash.stream().filter(l -> l.matches("[0-9a-f]{16}:  .*")).map(String::stripTrailing).toList();
        CliRun rd = run("rd", "init_uts_ns", "8", dir.resolve("kdump-lzo").toString());
        assertThat(rd.code()).isZero();
        assertThat(rd.out().lines().toList()).isEqualTo(crashRd);
        String crashVtop = crash.get(crash.indexOf(crash.stream().filter(l -> l.startsWith("VIRTUAL")).findFirst()
                .orElseThrow()) + 1).strip();
        CliRun vtop = run("vtop", crashVtop.split(" +")[0], dir.resolve("qemu.elf").toString());
        assertThat(vtop.code()).isZero();
        assertThat(vtop.out().lines().skip(1).findFirst().orElseThrow().strip()).isEqualTo(crashVtop);
        // The first two 32-bit words of crash's first 64-bit one (little-endian).
        long first = Long.parseUnsignedLong(crashRd.getFirst().split(" +")[1], 16);
        CliRun json = run("rd", "--json", "-32", "init_uts_ns", "2", dir.resolve("kdump-raw").toString());
        assertThat(json.out().strip()).endsWith("\"width\":32,\"values\":[\"0x%x\",\"0x%x\"]}"
                .formatted(first & 0xffffffffL, first >>> 32));
    }

    @Test
    void vmlinuxIsCheckedAndGivesTheSameAnswers() {
        Path dir = scenario();
        Path vmlinux = dir.getParent().getParent().getParent().resolve("kernel")
                .resolve(dir.getParent().getFileName()).resolve("vmlinux");
        Fixtures.require(Files.exists(vmlinux), "no vmlinux at " + vmlinux + ": run scripts/fetch-kernel.sh");
        String dump = dir.resolve("qemu.elf").toString();
        CliRun plain = run("rd", "init_uts_ns", "8", dump);
        CliRun with = run("rd", "--vmlinux", vmlinux.toString(), "init_uts_ns", "8", dump);
        assertThat(with.code()).isZero();
        assertThat(with.out()).isEqualTo(plain.out());
        CliRun wrong = run("vtop", "--vmlinux", dir.resolve("crashlab_skb.ko").toString(), "init_uts_ns", dump);
        assertThat(wrong.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(wrong.err()).startsWith("kdive: ").contains("does not match").hasLineCount(1);
    }

    /**
     * log -T and log -m against crash's (crash-log-kdump-zlib.txt, same machine, same time zone).
     * crash indents a record's further lines under its prefix; kdive repeats the prefix on each,
     * as the console and its plain log do, so crash's lines are given the prefix before comparing.
     */
    @Test
    void logTimesAndLevelsAreCrashs() throws IOException {
        Path dir = scenario();
        Path vmlinux = dir.getParent().getParent().getParent().resolve("kernel")
                .resolve(dir.getParent().getFileName()).resolve("vmlinux");
        Path ref = dir.resolve("crash-log-kdump-zlib.txt");
        Fixtures.require(Files.exists(vmlinux) && Files.exists(ref),
                "no vmlinux or " + ref + ": run scripts/fetch-kernel.sh and scripts/make-vmcores.sh");
        var wall = new java.util.ArrayList<String>();
        var levels = new java.util.ArrayList<String>();
        java.util.List<String> current = null;
        String prefix = "";
        for (String l : Fixtures.crashOutput(ref)) {
            var t = java.util.regex.Pattern.compile("^\\[[A-Z][a-z]{2} [^]]*\\] ").matcher(l);
            var m = java.util.regex.Pattern.compile("^\\[ *\\d+\\.\\d{6}\\] <\\d>").matcher(l);
            if (t.lookingAt() || m.lookingAt()) {
                current = t.lookingAt() ? wall : levels;
                prefix = t.lookingAt() ? t.group() : m.group();
                current.add(l);
            } else if (current != null && l.startsWith(" ".repeat(prefix.length()))) {
                current.add(prefix + l.substring(prefix.length()));
            }
        }
        assertThat(wall).hasSizeGreaterThan(300);
        String dump = dir.resolve("kdump-zlib").toString();
        CliRun t = run("log", "-T", "--vmlinux", vmlinux.toString(), dump);
        assertThat(t.code()).isZero();
        // crash dates the boot as the crash time minus jiffies/HZ whole seconds; kdive takes the
        // kernel's own offset (timekeeper offs_real - offs_boot, what dmesg -T uses). They may
        // differ by one second, by one constant for the whole log; the text must be identical.
        List<String> ours = t.out().lines().toList();
        assertThat(ours).hasSameSizeAs(wall);
        var stamp = java.util.regex.Pattern.compile("^\\[([^]]+)\\] ");
        var fmt = java.time.format.DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss zzz yyyy", java.util.Locale.ROOT);
        java.util.Set<Long> shifts = new java.util.HashSet<>();
        for (int i = 0; i < ours.size(); i++) {
            var a = stamp.matcher(ours.get(i));
            var b = stamp.matcher(wall.get(i));
            assertThat(a.lookingAt() && b.lookingAt()).as(ours.get(i)).isTrue();
            assertThat(ours.get(i).substring(a.end())).isEqualTo(wall.get(i).substring(b.end()));
            shifts.add(java.time.ZonedDateTime.parse(a.group(1), fmt).toEpochSecond()
                    - java.time.ZonedDateTime.parse(b.group(1), fmt).toEpochSecond());
        }
        assertThat(shifts).hasSize(1);
        assertThat(Math.abs(shifts.iterator().next())).isLessThanOrEqualTo(1);
        CliRun m = run("log", "-m", dump);
        assertThat(m.out().lines().toList()).isEqualTo(levels);
        CliRun noVmlinux = run("log", "-T", dump);
        assertThat(noVmlinux.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noVmlinux.err()).contains("needs --vmlinux").hasLineCount(1);
    }

    /**
     * Without vmcoreinfo (QEMU without -device vmcoreinfo) the log is found through the vmlinux:
     * KASLR from QEMU's CPU note, the ringbuffer's symbols and layout from its symbols and DWARF.
     * The entries DWARF gives equal the ones the kernel exports in the dumps that have them.
     */
    @Test
    void logWithoutVmcoreinfoComesFromTheVmlinux() throws IOException {
        Path dir = scenario();
        Path vmlinux = dir.getParent().getParent().getParent().resolve("kernel")
                .resolve(dir.getParent().getFileName()).resolve("vmlinux");
        Fixtures.require(Files.exists(vmlinux), "no vmlinux at " + vmlinux + ": run scripts/fetch-kernel.sh");
        Path none = dir.resolveSibling("novmcoreinfo");
        List<String> console = Files.readAllLines(none.resolve("console.log"), StandardCharsets.UTF_8).stream()
                .map(l -> l.replace("\r", "")).filter(l -> l.matches("\\[ *\\d+\\.\\d{6}\\] .*")).toList();
        String dump = none.resolve("qemu-kdump-zlib.flat").toString();
        CliRun without = run("log", dump);
        assertThat(without.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(without.err()).contains("--vmlinux").hasLineCount(1);
        CliRun with = run("log", "--vmlinux", vmlinux.toString(), dump);
        assertThat(with.code()).isZero();
        assertThat(with.out().lines().toList()).hasSizeGreaterThan(300).isEqualTo(console);

    }

    @Test
    void infoAndErrorsAreOneLine() {
        Path dir = scenario();
        CliRun info = run("info", dir.resolve("kdump-zlib").toString());
        assertThat(info.code()).isZero();
        assertThat(info.out()).contains("RELEASE: " + dir.getParent().getFileName())
                .contains("KERNELOFFSET: 0x");
        long page;
        int level;
        try (var d = kdive.dump.DumpFile.open(dir.resolve("kdump-zlib"))) {
            level = d.pageStats().dumpLevel();
            page = java.util.stream.LongStream.range(256, d.pageStats().maxPfn()).map(p -> p * 4096)
                    .filter(p -> d.memory().state(p) == kdive.dump.PageState.EXCLUDED).findFirst().orElseThrow();
        }
        CliRun excluded = run("rd", "-p", Long.toHexString(page + 0x10), "2", dir.resolve("kdump-zlib").toString());
        CliRun notDump = run("info", dir.resolve("console.log").toString());
        CliRun missing = run("log", dir.resolve("nonexistent").toString());
        for (CliRun r : List.of(notDump, missing)) {
            assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.err().lines().count()).isEqualTo(1);
        }
        assertThat(notDump.err()).contains("offset 0x0: a crash dump");
        assertThat(excluded.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(excluded.out()).isEmpty();
        assertThat(info.out()).contains("dump level " + level);
        assertThat(excluded.err().strip()).isEqualTo("kdive: cannot read 16 byte(s) at 0x%016x: page 0x%x excluded by makedumpfile -d %d"
                .formatted(page + 0x10, page, level));
        CliRun unmapped = run("vtop", "0xffffffffff000000", dir.resolve("kdump-zlib").toString());
        assertThat(unmapped.code()).isIn(Main.EXIT_FOUND, Main.EXIT_NOTHING);
    }
}
