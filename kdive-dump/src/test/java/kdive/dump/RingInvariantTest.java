package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import kdive.io.FormatException;
import kdive.testkit.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Issue 17 (7): a vmcoreinfo whose printk ring layout is inconsistent made log print one line and
 * succeed silently. The real 6.1 dump with one vmcoreinfo entry rewritten in place (same length).
 */
@Tag("vmcore")
class RingInvariantTest {

    private static KernelLog.Listing listWith(String entry, String replacement) throws IOException {
        byte[] dump = Files.readAllBytes(Fixtures.file("skb", "kdump-zlib"));
        byte[] from = entry.getBytes(StandardCharsets.US_ASCII);
        byte[] to = replacement.getBytes(StandardCharsets.US_ASCII);
        assertThat(to).hasSameSizeAs(from);
        int at = Bytes.indexOf(dump, from);
        assertThat(at).as(entry).isNotNegative();
        System.arraycopy(to, 0, dump, at, to.length);
        try (DumpFile d = DumpFile.of(MemorySegment.ofArray(dump), "kdump-zlib (" + replacement + ")")) {
            return KernelLog.list(d);
        }
    }

    @Test
    void theRealRingHoldsItsInvariants() throws IOException {
        KernelLog.Listing l = listWith("SIZE(prb_desc)=24", "SIZE(prb_desc)=24");
        assertThat(l.warnings()).isEmpty();
        assertThat(l.records()).hasSizeGreaterThan(300);
    }

    @Test
    void descriptorSizeZeroIsRefused() {
        assertThatThrownBy(() -> listWith("SIZE(prb_desc)=24", "SIZE(prb_desc)=00")).isInstanceOf(FormatException.class)
                .hasMessageContaining("printk ringbuffer layout is inconsistent: SIZE(prb_desc) 0");
        assertThatThrownBy(() -> listWith("SIZE(printk_info)=88", "SIZE(printk_info)=12")).isInstanceOf(FormatException.class)
                .hasMessageContaining("SIZE(printk_info) 12");
    }

    /** count_bits read from the padding after it (0): the one size_bits implies is used, and said. */
    @Test
    void impossibleCountBitsIsReplacedAndWarned() throws IOException {
        KernelLog.Listing whole = listWith("SIZE(prb_desc)=24", "SIZE(prb_desc)=24");
        KernelLog.Listing l = listWith("OFFSET(prb_desc_ring.count_bits)=0", "OFFSET(prb_desc_ring.count_bits)=4");
        assertThat(l.warnings()).singleElement().asString().contains("count_bits 0 is impossible");
        assertThat(l.records()).isEqualTo(whole.records());
    }

    /** A descriptor size that is possible but wrong: records go missing, and the listing says so. */
    @Test
    void wrongDescriptorSizeIsWarned() throws IOException {
        KernelLog.Listing l = listWith("SIZE(prb_desc)=24", "SIZE(prb_desc)=40");
        assertThat(l.warnings()).anyMatch(w -> w.contains("hold a finished record"));
    }

}
