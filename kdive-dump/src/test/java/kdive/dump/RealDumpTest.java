package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kdive.io.FaultException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every dump format of one scenario against the others and against the guest's own console. */
@Tag("vmcore")
@Tag("every-kernel")
class RealDumpTest {

    @TestFactory
    Stream<DynamicTest> everyFormatOpensWithTheGuestsRelease() {
        return Fixtures.SCENARIOS.stream().flatMap(s -> Fixtures.FILES.entrySet().stream().map(f ->
                DynamicTest.dynamicTest(s + "/" + f.getKey(), () -> {
                    String release = Fixtures.truth(s, "uname").stream().filter(l -> l.startsWith("release "))
                            .findFirst().orElseThrow().substring("release ".length());
                    try (DumpFile d = DumpFile.open(Fixtures.file(s, f.getKey()))) {
                        assertThat(DumpFormat.probe(java.lang.foreign.MemorySegment.ofArray(
                                java.nio.file.Files.readAllBytes(Fixtures.file(s, "console.log")))).isEmpty()).isTrue();
                        assertThat(formatOf(d)).isEqualTo(f.getValue());
                        VmcoreInfo vi = d.vmcoreInfo().orElseThrow();
                        assertThat(vi.osRelease()).isEqualTo(release);
                        assertThat(d.notes().stream().filter(n -> n.name().equals("CORE")
                                && n.type() == DumpNote.NT_PRSTATUS)).hasSize(2);
                        assertThat(d.pageStats().dumped()).isGreaterThan(1000);
                    }
                })));
    }

    private static DumpFormat formatOf(DumpFile d) {
        return switch (d) {
            case ElfCore e -> DumpFormat.ELF;
            case KdumpCompressed k -> DumpFormat.KDUMP;
            case FlattenedDump f -> DumpFormat.FLATTENED;
        };
    }

    /** KASLR: vmcoreinfo's KERNELOFFSET is what /proc/kallsyms showed minus the link address of _stext. */
    @TestFactory
    Stream<DynamicTest> kernelOffsetMatchesKallsyms() {
        return Fixtures.SCENARIOS.stream().map(s -> DynamicTest.dynamicTest(s, () -> {
            long stext = Fixtures.truth(s, "stext").stream().filter(l -> l.endsWith(" _stext"))
                    .map(l -> Long.parseUnsignedLong(l.substring(0, 16), 16)).findFirst().orElseThrow();
            try (DumpFile d = DumpFile.open(Fixtures.file(s, "kdump-zlib"))) {
                VmcoreInfo vi = d.vmcoreInfo().orElseThrow();
                // Linked at 0xffffffff81000000 (x86-64 __START_KERNEL without KASLR); the vmlinux agrees.
                assertThat(vi.kernelOffset()).isEqualTo(stext - 0xffffffff81000000L);
                assertThat(vi.kernelOffset()).isNotZero();
                assertThat(vi.symbol("_stext")).isEqualTo(stext);
            }
        }));
    }

    /**
     * The same physical page reads back identical from every format that holds it; every kdump
     * file of a scenario holds the same pages; excluded pages fault, never read as zero.
     */
    @TestFactory
    Stream<DynamicTest> everyFormatHoldsTheSameBytes() {
        return Fixtures.SCENARIOS.stream().map(s -> DynamicTest.dynamicTest(s, () -> {
            List<DumpFile> dumps = new ArrayList<>();
            try {
                for (String f : Fixtures.FILES.keySet()) {
                    dumps.add(DumpFile.open(Fixtures.file(s, f)));
                }
                compareAll(dumps);
            } finally {
                dumps.forEach(DumpFile::close);
            }
        }));
    }

    private static void compareAll(List<DumpFile> dumps) {
        var reference = (KdumpCompressed) dumps.getFirst();
        long[] pages = reference.dumpedPages().toArray();
        assertThat(pages.length).isEqualTo(reference.pageStats().dumped());
        Map<String, Long> compared = new HashMap<>();
        byte[] want = new byte[4096];
        byte[] got = new byte[4096];
        for (long paddr : pages) {
            reference.memory().read(paddr, want, 0, 4096);
            for (DumpFile d : dumps.subList(1, dumps.size())) {
                PageState st = d.memory().state(paddr);
                // makedumpfile's kdump files of one filter hold the same pages; its ELF output
                // (-E) and QEMU's dumps hold other sets, compared where both have a page.
                if (d instanceof KdumpCompressed || d.name().endsWith("kdump-zlib.flat")) {
                    assertThat(st).as("%s page 0x%x", d.name(), paddr).isEqualTo(PageState.PRESENT);
                }
                if (st == PageState.PRESENT) {
                    d.memory().read(paddr, got, 0, 4096);
                    if (!Arrays.equals(want, got)) {
                        throw new AssertionError("%s: page 0x%x differs from %s".formatted(d.name(), paddr, reference.name()));
                    }
                    compared.merge(d.name(), 1L, Long::sum);
                }
            }
        }
        for (DumpFile d : dumps.subList(1, dumps.size())) {
            System.out.printf("%s: %s, %s, %d pages compared%n", d.name(), d.describe(), d.pageStats(), compared.getOrDefault(d.name(), 0L));
            assertThat(compared.getOrDefault(d.name(), 0L)).as(d.name())
                    .isGreaterThan(Math.min(pages.length, d.pageStats().dumped()) / 2);
        }
        // At dump level 1 (zero pages only: trixie's fixtures) a kdump file holds every page, its
        // zero pages as one shared descriptor; then there is nothing excluded to read.
        if ((reference.pageStats().dumpLevel() & ~1) != 0) {
            long excluded = java.util.stream.LongStream.range(0, reference.pageStats().maxPfn())
                    .map(p -> p * 4096).filter(p -> reference.memory().state(p) == PageState.EXCLUDED).findFirst().orElseThrow();
            assertThatThrownBy(() -> reference.memory().read(excluded + 8, 8))
                    .isInstanceOf(FaultException.class)
                    .hasMessageContaining("page 0x%x excluded by makedumpfile -d %d".formatted(excluded, reference.pageStats().dumpLevel()));
        }
    }
}
