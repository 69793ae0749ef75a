package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17 (8): every format says when its file ends before its headers do, and how much is gone:
 * ELF by p_offset + p_filesz, kdump by its page descriptors, flattened through the dump it writes.
 */
@Tag("vmcore")
class TruncationTest {

    @ParameterizedTest
    @ValueSource(strings = {"kdump-zlib", "kdump-lzo", "kdump-raw", "kdump-elf", "kdump-zlib.flat", "kdump-elf.flat"})
    void cutFilesSayHowMuchIsMissing(String name) throws IOException {
        try (Arena arena = Arena.ofConfined();
                FileChannel ch = FileChannel.open(Fixtures.file("skb", name), StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            try (DumpFile whole = DumpFile.of(all, name)) {
                assertThat(whole.truncation()).isEmpty();
            }
            for (int tenths : new int[] {3, 6, 9}) {
                try (DumpFile cut = DumpFile.of(all.asSlice(0, all.byteSize() * tenths / 10), name + " (cut)")) {
                    Truncation t = cut.truncation().orElseThrow();
                    assertThat(t.describe()).startsWith("truncated or incomplete dump: ");
                    if (t.expectedBytes() < 0) {
                        // makedumpfile -E -F: cut before its final ELF headers, whose first version describes no data
                        assertThat(name).isEqualTo("kdump-elf.flat");
                        assertThat(t.describe()).contains("records end after");
                        continue;
                    }
                    assertThat(t.pagesMissing()).as("%d/10", tenths).isPositive().isLessThanOrEqualTo(t.pagesDumped());
                    assertThat(t.expectedBytes()).isGreaterThan(t.fileBytes());
                    assertThat(t.describe()).startsWith("truncated or incomplete dump: " + t.pagesMissing() + " of ");
                }
            }
        }
    }
}
