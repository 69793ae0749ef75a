package kdive.cli;

import static kdive.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17 (6): inputs that exist but are not regular files. A FIFO as --vmlinux blocked symbolize and
 * dis forever (opening a FIFO waits for a writer), a directory said "No such device" without a path,
 * and a FIFO, /dev/zero or /dev/null as a dump said "no such dump file". Now, everywhere, one line.
 */
class NonRegularInputTest {
    @TempDir
    static Path dir;
    static Path fifo;

    @BeforeAll
    static void makeFifo() throws IOException, InterruptedException {
        fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"symbolize --vmlinux F 0xffffffff81000000", "dis --vmlinux F start_kernel",
            "info F", "log F", "rd 0 F", "vtop ffffffff81000000 F", "sys F", "ps F", "mod F", "sym _stext F"})
    void everyCommandRefusesANonRegularFile(String command) {
        for (String path : List.of(fifo.toString(), dir.toString(), "/dev/zero", "/dev/null")) {
            if (path.equals(dir.toString()) && !command.contains("--vmlinux")) {
                continue; // a directory as the dump is a kdump directory, searched for its dump
            }
            var args = new ArrayList<String>();
            for (String a : command.split(" ")) {
                args.add(a.equals("F") ? path : a);
            }
            CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(args.toArray(String[]::new)),
                    () -> String.join(" ", args) + " blocked");
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).isEqualTo("kdive: not a regular file: " + path + "\n");
        }
    }

    /** A log from a pipe is fine for analyze, which streams its input (stdin, process substitution). */
    @ParameterizedTest
    @ValueSource(strings = {"/dev/null"})
    void analyzeReadsAStream(String path) {
        CliRun r = run("analyze", path);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("kdive: no kernel oops found\n");
    }
}
