package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Several threads reading random pages of one dump see what one thread sees (cache and codecs shared). */
@Tag("vmcore")
@Tag("every-kernel")
class ConcurrentReadTest {

    @ParameterizedTest
    @ValueSource(strings = {"kdump-zlib", "kdump-lzo", "qemu-kdump-zlib.flat"})
    void threadsReadTheSameBytes(String file) throws Exception {
        try (var d = DumpFile.open(Fixtures.file("sysrq", file))) {
            PhysicalMemory m = d.memory();
            long[] pages = java.util.stream.LongStream.range(0, m.endAddress() / 4096).map(p -> p * 4096)
                    .filter(p -> m.state(p) == PageState.PRESENT).limit(6000).toArray();
            int[] want = new int[pages.length];
            byte[] buf = new byte[4096];
            for (int i = 0; i < pages.length; i++) {
                m.read(pages[i], buf, 0, buf.length);
                want[i] = Arrays.hashCode(buf);
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    long seed = t;
                    results.add(pool.submit(() -> {
                        var rnd = new Random(seed);
                        byte[] b = new byte[4096];
                        int checked = 0;
                        for (int k = 0; k < 20_000; k++) {
                            int i = rnd.nextInt(pages.length);
                            m.read(pages[i], b, 0, b.length);
                            if (Arrays.hashCode(b) != want[i]) {
                                throw new AssertionError("page 0x%x differs under concurrency".formatted(pages[i]));
                            }
                            checked++;
                        }
                        return checked;
                    }));
                }
                for (Future<Integer> f : results) {
                    assertThat(f.get()).isEqualTo(20_000);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
