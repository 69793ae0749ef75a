package kdive.cli;

import static kdive.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17 (8): a dump cut in the middle (an interrupted capture). info exited 0 without a word
 * about it and mod printed an empty table with exit 0; both now say how much is missing, and mod,
 * having read nothing, exits 1.
 */
@Tag("vmcore")
class TruncatedDumpCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"kdump-zlib", "kdump-elf", "kdump-zlib.flat", "kdump-elf.flat"})
    void infoAndModSayTheDumpIsTruncated(String name, @TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.scenario("skb").resolve(name));
        Path cut = Files.write(dir.resolve(name), Arrays.copyOf(whole, whole.length * 6 / 10));
        String vmlinux = Fixtures.kernel().resolve("vmlinux").toString();

        CliRun info = run("info", cut.toString());
        assertThat(info.code()).isZero();
        assertThat(info.out()).containsPattern(name.equals("kdump-elf.flat")
                ? "WARNING: truncated or incomplete dump: its flattened records end after [0-9.]+ MiB"
                : "WARNING: truncated or incomplete dump: \\d+ of \\d+ dumped pages missing; the file has [0-9.]+ MiB of "
                        + "(at least )?[0-9.]+ MiB \\((at least )?[0-9.]+ (MiB|bytes) missing\\)");
        assertThat(info.err()).contains("kdive info: WARNING: " + cut + ": truncated or incomplete dump");

        CliRun mod = run("mod", "--vmlinux", vmlinux, cut.toString());
        if (name.equals("kdump-elf.flat")) {
            // its ELF headers describe no memory yet: the kernel cannot even be located
            assertThat(mod.code()).as(mod.err()).isEqualTo(2);
        } else {
            assertThat(mod.code()).as(mod.err()).isEqualTo(1);
            assertThat(mod.err()).contains("truncated or incomplete dump").contains("truncated dump)");
        }

        CliRun intact = run("info", Fixtures.scenario("skb").resolve(name).toString());
        assertThat(intact.out()).doesNotContain("truncated");
    }
}
