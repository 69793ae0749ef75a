package kdive.kernel.helpers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The log's layout taken from the vmlinux's DWARF equals what the kernel itself wrote into vmcoreinfo. */
@Tag("vmcore")
@Tag("every-kernel")
class PrintkTest extends DumpTruthTest {

    @Test
    void dwarfLayoutEqualsTheKernelsVmcoreinfo() {
        read("skb", "kdump-zlib", prog -> {
            var real = prog.vmcoreInfo().orElseThrow();
            Map<String, String> fromDwarf = Printk.dwarfEntries(prog);
            // Symbols the kernel does not export (6.1 still has log_buf) are not compared.
            var both = fromDwarf.keySet().stream().filter(k -> real.find(k).isPresent()).toList();
            assertThat(both).hasSizeGreaterThan(20).contains("SYMBOL(prb)", "SIZE(printk_info)", "OFFSET(printk_info.caller_id)");
            both.forEach(k -> assertThat(real.get(k)).as(k).isEqualTo(fromDwarf.get(k)));
            return null;
        });
    }
}
