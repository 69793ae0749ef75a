package kdive.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.io.KdiveException;
import kdive.testkit.Tools;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Real gcc output with random byte flips in its DWARF sections, or truncated anywhere: reading
 * headers, symbols, units, DIEs and line tables and symbolizing addresses may only fail with a
 * one-line {@link KdiveException} (a FormatException naming file and offset), never another
 * exception, a hang or a huge allocation.
 */
class CorruptInputTest {
    static byte[] original;
    static List<long[]> debugRanges = new ArrayList<>();
    static long[] text;

    @BeforeContainer
    static void build() throws Exception {
        Path dir = Files.createTempDirectory("kdive-corrupt");
        Path exe = Tools.gcc(dir, Tools.source("prog.c"), "prog", "-g", "-O2", "-I" + Tools.source("list.h").getParent());
        original = Files.readAllBytes(exe);
        try (var elf = ElfFile.open(exe)) {
            for (Section s : elf.sections()) {
                if (s.name().startsWith(".debug_")) {
                    debugRanges.add(new long[] {s.offset(), s.size()});
                }
                if (s.name().equals(".text")) {
                    text = new long[] {s.addr(), s.size()};
                }
            }
        }
    }

    @Provide
    Arbitrary<int[]> flips() {
        // Pairs (position in the concatenated debug sections, xor mask); 1 to 8 flips.
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Integer> mask = Arbitraries.integers().between(1, 255);
        return Combinators.combine(pos, mask).as((p, m) -> new int[] {p, m}).list().ofMinSize(1).ofMaxSize(8)
                .map(l -> l.stream().flatMapToInt(java.util.Arrays::stream).toArray());
    }

    @Property(tries = 300)
    void byteFlipsInDebugSectionsGiveOnlyFormatErrors(@ForAll("flips") int[] flips) {
        byte[] bytes = original.clone();
        long total = debugRanges.stream().mapToLong(r -> r[1]).sum();
        for (int i = 0; i < flips.length; i += 2) {
            long p = Integer.toUnsignedLong(flips[i]) % total;
            for (long[] r : debugRanges) {
                if (p < r[1]) {
                    bytes[(int) (r[0] + p)] ^= (byte) flips[i + 1];
                    break;
                }
                p -= r[1];
            }
        }
        exercise(bytes);
    }

    @Property(tries = 200)
    void truncationsGiveOnlyFormatErrors(@ForAll("cuts") int length) {
        exercise(java.util.Arrays.copyOf(original, length));
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, original.length - 1);
    }

    private static void exercise(byte[] bytes) {
        try (var sym = Symbolizer.of(ElfFile.of(bytes, "corrupt.elf"))) {
            long[] addrs = new long[64];
            for (int i = 0; i < addrs.length; i++) {
                addrs[i] = text[0] + text[1] * i / addrs.length;
            }
            for (Location l : sym.symbolizeAll(addrs)) {
                assertThat(Addr2line.format(l)).isNotEmpty();
            }
            var d = kdive.dwarf.Dwarf.of(sym.elf());
            for (var u : d.units()) {
                var r = d.dies(u);
                while (r.hasNext()) {
                    r.next();
                }
                d.lineTable(u);
            }
        } catch (KdiveException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith("corrupt.elf");
        }
        variablesAndTypes(bytes);
    }

    /** Variables in scope, their locations and type names at every few bytes of the program's functions. */
    private static void variablesAndTypes(byte[] bytes) {
        try (var sym = Symbolizer.of(ElfFile.of(bytes, "corrupt.elf"))) {
            for (String f : List.of("skb_entail", "work", "main")) {
                long size = sym.functionCode(f).map(c -> c.bytes().length).orElse(0);
                for (long off = 0; off < size; off += 3) {
                    for (ScopeVariable v : sym.variablesAt(f, off)) {
                        assertThat(kdive.dwarf.TypeNames.of(sym.types(), v.type())).isNotNull();
                        kdive.dwarf.MemberPath.find(sym.types(), v.type(), 8, 8);
                    }
                }
            }
        } catch (KdiveException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith("corrupt.elf");
        }
    }
}
