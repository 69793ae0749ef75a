package kdive.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.io.KdiveException;
import kdive.testkit.Fixtures;
import kdive.testkit.Tools;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Real call frame sections (gcc's .eh_frame and .debug_frame with personality and LSDA
 * pointers, the hand-written rare layouts) and .debug_aranges with random byte flips, or the
 * file truncated anywhere: indexing, decoding every table and looking PCs up may only fail
 * with a one-line KdiveException naming the file, never another exception or a hang.
 */
class CorruptCfiTest {
    record Original(byte[] bytes, List<long[]> ranges, long[] text) {}

    static final List<Original> originals = new ArrayList<>();

    @BeforeContainer
    static void build() throws Exception {
        Path dir = Files.createTempDirectory("kdive-cfi-corrupt");
        add(Tools.gcc(dir, Tools.source("frames.c"), "eh", "-O2", "-g", "-fexceptions"));
        add(Tools.gcc(dir, Tools.source("frames.c"), "debug", "-O2", "-g", "-fno-asynchronous-unwind-tables"));
        add(Tools.gcc(dir, Fixtures.root().resolve("kdive-dwarf/src/test/resources/kdive/dwarf/raw-frames.s"), "raw.o", "-c"));
    }

    private static void add(Path file) throws Exception {
        var ranges = new ArrayList<long[]>();
        long[] text = {0, 0x10000};
        try (var elf = ElfFile.open(file)) {
            for (Section s : elf.sections()) {
                if (s.name().equals(".eh_frame") || s.name().equals(".debug_frame") || s.name().equals(".debug_aranges")) {
                    ranges.add(new long[] {s.offset(), s.size()});
                }
                if (s.name().equals(".text") && s.addr() != 0) {
                    text = new long[] {s.addr(), s.size()};
                }
            }
        }
        originals.add(new Original(Files.readAllBytes(file), ranges, text));
    }

    @Provide
    Arbitrary<int[]> flips() {
        // The original's index, then pairs (position in its frame sections, xor mask); 1 to 8 flips.
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Integer> mask = Arbitraries.integers().between(1, 255);
        Arbitrary<int[]> pairs = Combinators.combine(pos, mask).as((p, m) -> new int[] {p, m}).list().ofMinSize(1).ofMaxSize(8)
                .map(l -> l.stream().flatMapToInt(java.util.Arrays::stream).toArray());
        return Combinators.combine(Arbitraries.integers().between(0, 2), pairs).as((i, p) -> {
            int[] out = new int[p.length + 1];
            out[0] = i;
            System.arraycopy(p, 0, out, 1, p.length);
            return out;
        });
    }

    @Property(tries = 400)
    void byteFlipsGiveOnlyFormatErrors(@ForAll("flips") int[] flips) {
        Original o = originals.get(flips[0]);
        byte[] bytes = o.bytes().clone();
        long total = o.ranges().stream().mapToLong(r -> r[1]).sum();
        for (int i = 1; i < flips.length; i += 2) {
            long p = Integer.toUnsignedLong(flips[i]) % total;
            for (long[] r : o.ranges()) {
                if (p < r[1]) {
                    bytes[(int) (r[0] + p)] ^= (byte) flips[i + 1];
                    break;
                }
                p -= r[1];
            }
        }
        exercise(bytes, o.text());
    }

    @Provide
    Arbitrary<int[]> cuts() {
        return Arbitraries.integers().between(0, 2).flatMap(i ->
                Arbitraries.integers().between(0, originals.get(i).bytes().length - 1).map(n -> new int[] {i, n}));
    }

    @Property(tries = 150)
    void truncationsGiveOnlyFormatErrors(@ForAll("cuts") int[] cut) {
        Original o = originals.get(cut[0]);
        exercise(java.util.Arrays.copyOf(o.bytes(), cut[1]), o.text());
    }

    private static void exercise(byte[] bytes, long[] text) {
        try (var elf = ElfFile.of(bytes, "corrupt.elf")) {
            CallFrames cf = CallFrames.of(elf);
            for (Cie c : cf.cies()) {
                cf.initialRow(c);
            }
            for (Fde f : cf.fdes()) {
                assertThat(cf.rows(f)).isNotEmpty();
            }
            for (int i = 0; i < 64; i++) {
                cf.at(text[0] + text[1] * i / 64);
            }
            Aranges a = Aranges.of(DwarfSections.of(elf));
            for (int i = 0; i < 64; i++) {
                a.unitAt(text[0] + text[1] * i / 64);
            }
        } catch (KdiveException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith("corrupt.elf");
        }
    }
}
