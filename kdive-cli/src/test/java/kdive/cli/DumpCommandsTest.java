package kdive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
class DumpCommandsTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    private static Path scenario() {
        return Fixtures.vmcores().resolve("skb");
    }

    @Test
    void logPrintsTheConsolesKernelLines() throws IOException {
        Path dir = scenario();
        List<String> console = Files.readAllLines(dir.resolve("console.log"), StandardCharsets.UTF_8).stream()
                .map(l -> l.replace("\r", "")).filter(l -> l.matches("\\[ *\\d+\\.\\d{6}\\] .*")).toList();
        Result r = run("log", dir.resolve("kdump-zlib.flat").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().toList()).isEqualTo(console);
    }

    @Test
    void rdAndVtopPrintWhatCrashPrints() throws IOException {
        Path dir = scenario();
        List<String> crash = Files.readAllLines(dir.resolve("crash-kdump-zlib.txt"), StandardCharsets.UTF_8);
        List<String> crashRd = crash.stream().filter(l -> l.matches("[0-9a-f]{16}:  .*")).map(String::stripTrailing).toList();
        Result rd = run("rd", "init_uts_ns", "8", dir.resolve("kdump-lzo").toString());
        assertThat(rd.code()).isZero();
        assertThat(rd.out().lines().toList()).isEqualTo(crashRd);
        String crashVtop = crash.get(crash.indexOf(crash.stream().filter(l -> l.startsWith("VIRTUAL")).findFirst()
                .orElseThrow()) + 1).strip();
        Result vtop = run("vtop", crashVtop.split(" +")[0], dir.resolve("qemu.elf").toString());
        assertThat(vtop.code()).isZero();
        assertThat(vtop.out().lines().skip(1).findFirst().orElseThrow().strip()).isEqualTo(crashVtop);
        Result json = run("rd", "--json", "-32", "init_uts_ns", "2", dir.resolve("kdump-raw").toString());
        assertThat(json.out().strip()).endsWith("\"width\":32,\"values\":[\"0x756e694c\",\"0x78\"]}");
    }

    @Test
    void vmlinuxIsCheckedAndGivesTheSameAnswers() {
        Path dir = scenario();
        Path vmlinux = dir.getParent().getParent().getParent().resolve("kernel")
                .resolve(dir.getParent().getFileName()).resolve("vmlinux");
        Fixtures.require(Files.exists(vmlinux), "no vmlinux at " + vmlinux + ": run scripts/fetch-kernel.sh");
        String dump = dir.resolve("qemu.elf").toString();
        Result plain = run("rd", "init_uts_ns", "8", dump);
        Result with = run("rd", "--vmlinux", vmlinux.toString(), "init_uts_ns", "8", dump);
        assertThat(with.code()).isZero();
        assertThat(with.out()).isEqualTo(plain.out());
        Result wrong = run("vtop", "--vmlinux", dir.resolve("crashlab_skb.ko").toString(), "init_uts_ns", dump);
        assertThat(wrong.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(wrong.err()).startsWith("kdive: ").contains("does not match").hasLineCount(1);
    }

    @Test
    void infoAndErrorsAreOneLine() {
        Path dir = scenario();
        Result info = run("info", dir.resolve("kdump-zlib").toString());
        assertThat(info.code()).isZero();
        assertThat(info.out()).contains("dump level 31").contains("RELEASE: 6.").contains("KERNELOFFSET: 0x");
        long page;
        try (var d = kdive.dump.DumpFile.open(dir.resolve("kdump-zlib"))) {
            page = java.util.stream.LongStream.range(256, d.pageStats().maxPfn()).map(p -> p * 4096)
                    .filter(p -> d.memory().state(p) == kdive.dump.PageState.EXCLUDED).findFirst().orElseThrow();
        }
        Result excluded = run("rd", "-p", Long.toHexString(page + 0x10), "2", dir.resolve("kdump-zlib").toString());
        Result notDump = run("info", dir.resolve("console.log").toString());
        Result missing = run("log", dir.resolve("nonexistent").toString());
        for (Result r : List.of(notDump, missing)) {
            assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.err().lines().count()).isEqualTo(1);
        }
        assertThat(notDump.err()).contains("offset 0x0: a crash dump");
        assertThat(excluded.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(excluded.out()).isEmpty();
        assertThat(excluded.err().strip()).isEqualTo("kdive: cannot read 16 byte(s) at 0x%016x: page 0x%x excluded by makedumpfile -d 31"
                .formatted(page + 0x10, page));
        Result unmapped = run("vtop", "0xffffffffff000000", dir.resolve("kdump-zlib").toString());
        assertThat(unmapped.code()).isIn(Main.EXIT_FOUND, Main.EXIT_NOTHING);
    }
}
