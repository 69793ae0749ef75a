package kdive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code kdive analyze VMCORE}: the oops is found in the dump's own kernel log, and the module's
 * .ko lying beside the dump names the faulting operands, with the code decoded at the address the
 * module ran at (its base from the guest's /proc/modules, + 0x14; KASLR moves it every boot).
 */
@Tag("vmcore")
@Tag("every-kernel")
class AnalyzeDumpTest {

    @Test
    void aDumpIsAnalyzedFromItsOwnLogWithTheModulesBesideIt() throws Exception {
        Path skb = Fixtures.scenario("skb");
        var base = java.util.regex.Pattern.compile("crashlab_skb \\d+ \\d+ - Live 0x([0-9a-f]+)")
                .matcher(java.nio.file.Files.readString(skb.resolve("console.log")));
        assertThat(base.find()).isTrue();
        long ip = Long.parseUnsignedLong(base.group(1), 16) + 0x14;
        CliRun r = CliRun.run("analyze", skb.resolve("kdump-lzo").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("BUG: unable to handle kernel NULL pointer dereference in crashlab_entail")
                .contains("verdict  write to 0x0 through %rax = NULL at mov %rsi,(%rax)")
                .contains("operands (%rax) is prev->next (struct sk_buff *) in __skb_insert")
                .contains("crashlab_skb.ko (the oops has no code bytes)")
                .containsPattern("=> +0  %016x  48 89 30 ".formatted(ip));
    }

    @Test
    void aKdumpDirectoryIsReadFromItsLogTextNotTwice() {
        Path skb = Fixtures.scenario("skb");
        CliRun r = CliRun.run("analyze", "--json", skb.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("kdump-zlib: skipped (a crash dump; the directory's log files are read)");
        assertThat(r.out()).contains("\"source\" : \"" + skb.resolve("console.log"))
                .doesNotContain("\"source\" : \"" + skb.resolve("kdump-zlib") + "\"");
    }
}
