package kdive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kdive.testkit.Fixtures;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code symbolize --module NAME=FILE.ko@BASE} on raw addresses of the reproduced incident, with
 * the guest's own truth: the module base from its /proc/modules, the faulting IP from its oops
 * ("Unable to access opcode bytes at IP-42"), the address of the module's global from its printk;
 * answers must equal {@code addr2line -f -i -j SECTION} on the .ko.
 */
@Tag("vmcore")
@Tag("every-kernel")
class SymbolizeModuleTest {

    @Test
    void rawModuleAddressesResolveThroughTheLoadersLayout() throws Exception {
        Path skb = Fixtures.scenario("skb");
        String console = Files.readString(skb.resolve("console.log"), StandardCharsets.UTF_8);
        long base = hex(console, "crashlab_skb \\d+ \\d+ - Live 0x([0-9a-f]+)");
        long ip = hex(console, "Unable to access opcode bytes at (?:RIP )?0x([0-9a-f]+)") + 42;
        long global = hex(console, "crashlab_skb: queue at ([0-9a-f]+),");
        Path ko = skb.resolve("crashlab_skb.ko");

        CliRun r = CliRun.run("symbolize", "--module", "crashlab_skb=" + ko + "@0x" + Long.toHexString(base),
            Long.toHexString(ip), Long.toHexString(global));
        assertThat(r.code()).isZero();

        String expected = Tools.run(List.of("addr2line", "-f", "-i", "-j", ".text", "-e", ko.toString(), "0x14"))
                + Tools.run(List.of("addr2line", "-f", "-i", "-j", ".bss", "-e", ko.toString(), "0x0"));
        assertThat(ip - base).as("the oops's IP is crashlab_entail+0x14 in .text at the base").isEqualTo(0x14);
        assertThat(r.out()).isEqualTo(expected);
        assertThat(r.out()).startsWith("__skb_insert\n").contains("crashlab_skb.c:20\n");

        // --json: the same answers as data, with the module symbol each address falls in.
        CliRun json = CliRun.run("symbolize", "--json", "--module", "crashlab_skb=" + ko + "@0x" + Long.toHexString(base),
                Long.toHexString(ip), Long.toHexString(global));
        var locations = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).get("locations");
        assertThat(locations).hasSize(2);
        assertThat(locations.get(0).get("symbol").asText()).isEqualTo("crashlab_entail");
        assertThat(locations.get(0).get("offset").asLong()).isEqualTo(0x14);
        assertThat(locations.get(0).get("module").asText()).isEqualTo("crashlab_skb");
        assertThat(locations.get(0).get("frames")).extracting(f -> f.get("function").asText())
                .containsExactly("__skb_insert", "__skb_queue_before", "__skb_queue_tail", "crashlab_entail");
        assertThat(locations.get(1).get("symbol").asText()).isEqualTo("crashlab_state");
        assertThat(locations.get(1).get("frames").get(0).get("function").isNull()).isTrue();
    }

    private static long hex(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return Long.parseUnsignedLong(m.group(1), 16);
    }
}
