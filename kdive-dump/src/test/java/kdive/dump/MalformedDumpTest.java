package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kdive.io.FaultException;
import kdive.io.FormatException;
import kdive.io.KdiveException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Tag;

/**
 * Real dumps with corrupt header bytes, or cut short at any point (an interrupted capture):
 * opening gives a dump or one {@link FormatException}; reading gives bytes or a
 * {@link FaultException}/{@link FormatException}; never another exception, hang or huge allocation.
 */
@Tag("vmcore")
class MalformedDumpTest {
    private static final Map<String, MemorySegment> FILES = new ConcurrentHashMap<>();
    private static final String[] NAMES = {"kdump-zlib", "kdump-lzo", "kdump-elf", "kdump-zlib.flat", "kdump-elf.flat", "qemu.elf",
            "qemu-kdump-zlib.flat"};

    private static MemorySegment mapped(String name) {
        return FILES.computeIfAbsent(name, n -> {
            try (FileChannel ch = FileChannel.open(Fixtures.file("skb", n), StandardOpenOption.READ)) {
                return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.global());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of(NAMES);
    }

    /** Up to 8 bytes changed among the first 40 KiB (headers, sub-header, notes, bitmaps, first descriptors). */
    @Property(tries = 300)
    void corruptHeadersGiveFormatErrorsOnly(@ForAll("names") String name,
            @ForAll @Size(min = 1, max = 8) java.util.List<@IntRange(min = 0, max = 40959) Integer> positions,
            @ForAll @Size(min = 8, max = 8) java.util.List<Byte> values) {
        MemorySegment real = mapped(name);
        long len = Math.min(real.byteSize(), 1 << 20);
        byte[] copy = real.asSlice(0, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        for (int i = 0; i < positions.size(); i++) {
            if (positions.get(i) < copy.length) {
                copy[positions.get(i)] = values.get(i);
            }
        }
        exercise(MemorySegment.ofArray(copy), name + " (mutated)");
    }

    /** The file cut at any point. */
    @Property(tries = 300)
    void truncatedDumpsOpenOrFailCleanly(@ForAll("names") String name, @ForAll @IntRange(min = 0, max = 1_000_000) int permille) {
        MemorySegment real = mapped(name);
        long cut = real.byteSize() * permille / 1_000_000;
        exercise(real.asSlice(0, cut), name + " (cut at " + cut + ")");
    }

    private static void exercise(MemorySegment bytes, String label) {
        DumpFile d;
        try {
            d = DumpFile.of(bytes, label);
        } catch (FormatException e) {
            assertThat(e.getMessage()).startsWith(label).doesNotContain("\n");
            return;
        }
        try (d) {
            d.pageStats();
            d.describe();
            d.vmcoreInfo().ifPresent(v -> v.entries().size());
            PhysicalMemory m = d.memory();
            byte[] page = new byte[4096];
            // A spread of pages: first, kernel-ish region, last; each either reads or faults.
            for (long paddr = 0; paddr < Math.min(m.endAddress(), 1L << 28); paddr += 997 * 4096L) {
                try {
                    PageState st = m.state(paddr);
                    m.read(paddr, page, 0, page.length);
                    assertThat(st).isEqualTo(PageState.PRESENT);
                } catch (FaultException | FormatException expected) {
                    assertThat(expected.getMessage()).doesNotContain("\n");
                }
            }
        } catch (KdiveException e) {
            assertThat(e).isInstanceOfAny(FormatException.class, FaultException.class, kdive.io.LookupException.class);
        }
    }
}
