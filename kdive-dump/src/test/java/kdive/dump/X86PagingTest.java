package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Page-table walks on the real dumps: kernel image, direct map and module space. */
@Tag("vmcore")
@Tag("every-kernel")
class X86PagingTest {

    /** init_uts_ns.name.release, read by virtual address, is the release the guest printed. */
    @TestFactory
    Stream<DynamicTest> kernelDataByVirtualAddress() {
        return Fixtures.SCENARIOS.stream().flatMap(s -> Stream.of("kdump-zlib", "qemu.elf", "qemu-kdump-zlib.flat")
                .map(f -> DynamicTest.dynamicTest(s + "/" + f, () -> {
                    try (DumpFile d = DumpFile.open(Fixtures.file(s, f))) {
                        VmcoreInfo vi = d.vmcoreInfo().orElseThrow();
                        X86Paging paging = X86Paging.of(d);
                        // vmcoreinfo has OFFSET(uts_namespace.name) since 5.11; before, a kref precedes it
                        long init = vi.symbol("init_uts_ns");
                        long uts = init + vi.findOffset("uts_namespace.name")
                                .orElseGet(() -> (long) new String(paging.read(init, 64), StandardCharsets.ISO_8859_1).indexOf("Linux\0"));
                        byte[] release = paging.read(uts + 2 * 65, 65); // new_utsname: sysname, nodename, release
                        assertThat(cstring(release)).isEqualTo(vi.osRelease());
                        long stext = vi.symbol("_stext");
                        X86Paging.Translation t = paging.walk(stext);
                        assertThat(t.paddr()).contains(paging.kernelImageToPhysical(stext));
                        // la57: the guest's CPU had 5-level paging and the kernel (CONFIG_X86_5LEVEL) used it
                        assertThat(paging.fiveLevel()).isEqualTo(s.equals("la57"));
                        assertThat(t.steps()).extracting(X86Paging.Step::level)
                                .startsWith(s.equals("la57") ? new String[] {"PGD", "P4D", "PUD", "PMD"} : new String[] {"PGD", "PUD", "PMD"});
                        // mem_section is kmalloc'ed: a direct-map address, mapped by 2 MiB or 1 GiB pages
                        X86Paging.Translation dm = paging.walk(vi.symbol("mem_section"));
                        assertThat(dm.paddr()).isPresent();
                        assertThat(paging.walk(0x00007fff00000000L).paddr()).isEmpty();
                        assertThat(paging.walk(0x8000000000000000L).fault()).contains("not canonical");
                        // canonical only with 57 bits
                        String high = String.valueOf(paging.walk(0xff00000000000000L).fault());
                        if (s.equals("la57")) {
                            assertThat(high).doesNotContain("not canonical");
                        } else {
                            assertThat(high).contains("not canonical");
                        }
                    }
                })));
    }

    /**
     * crashlab_skb printed its queue's address (module data, in the modules area). The inlined
     * __skb_insert had already linked the new skb (newsk->next = queue, newsk->prev = the NULL
     * tail, queue->prev = newsk) when it stored through NULL, and qlen++ comes after the store.
     */
    @Test
    void moduleQueueShowsTheNullPrev() {
        long queue = java.util.Objects.requireNonNull(queueAddress());
        try (DumpFile d = DumpFile.open(Fixtures.file("skb", "kdump-lzo"))) {
            X86Paging paging = X86Paging.of(d);
            var q = ByteBuffer.wrap(paging.read(queue, 24)).order(ByteOrder.LITTLE_ENDIAN);
            long first = q.getLong(0);
            long newsk = q.getLong(8);
            assertThat(first).isNotZero().isNotEqualTo(queue).isNotEqualTo(newsk);
            assertThat(q.getInt(16)).isEqualTo(1); // the planted skb only
            var skb = ByteBuffer.wrap(paging.read(newsk, 16)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(skb.getLong(0)).isEqualTo(queue);
            assertThat(skb.getLong(8)).isZero();
        }
    }

    private static Long queueAddress() {
        try {
            for (String l : java.nio.file.Files.readAllLines(Fixtures.file("skb", "console.log"), StandardCharsets.ISO_8859_1)) {
                int at = l.indexOf("crashlab_skb: queue at ");
                if (at >= 0) {
                    return Long.parseUnsignedLong(l.substring(at + 23, at + 39), 16);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no 'crashlab_skb: queue at' line in the console log");
    }

    private static String cstring(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
