package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import kdive.io.FaultException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An interrupted capture: the file cut in the middle of its page data still opens, every page
 * written before the cut reads back as in the whole file, and the others fault as truncated.
 */
@Tag("vmcore")
@Tag("every-kernel")
class TruncatedDumpTest {

    @ParameterizedTest
    @ValueSource(strings = {"kdump-zlib", "kdump-lzo", "kdump-elf", "kdump-zlib.flat"})
    void pagesBeforeTheCutReadBack(String file) throws IOException {
        try (Arena arena = Arena.ofConfined();
                FileChannel ch = FileChannel.open(Fixtures.file("skb", file), StandardOpenOption.READ);
                DumpFile whole = DumpFile.open(Fixtures.file("skb", file))) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            try (DumpFile cut = DumpFile.of(all.asSlice(0, all.byteSize() * 6 / 10), file + " (cut)")) {
                PhysicalMemory w = whole.memory();
                PhysicalMemory c = cut.memory();
                long readable = 0;
                long truncated = 0;
                byte[] a = new byte[4096];
                byte[] b = new byte[4096];
                for (long paddr = 0; paddr < w.endAddress(); paddr += 4096) {
                    if (w.state(paddr) != PageState.PRESENT) {
                        continue;
                    }
                    PageState st = c.state(paddr);
                    if (st == PageState.PRESENT) {
                        w.read(paddr, a, 0, a.length);
                        c.read(paddr, b, 0, b.length);
                        assertThat(Arrays.equals(a, b)).as("page 0x%x", paddr).isTrue();
                        readable++;
                    } else {
                        assertThat(st).isEqualTo(PageState.TRUNCATED);
                        long at = paddr;
                        assertThatThrownBy(() -> c.read(at, 4096)).isInstanceOf(FaultException.class)
                                .hasMessageContaining("truncated");
                        truncated++;
                    }
                }
                assertThat(readable).isGreaterThan(1000);
                assertThat(truncated).isGreaterThan(1000);
            }
        }
    }
}
