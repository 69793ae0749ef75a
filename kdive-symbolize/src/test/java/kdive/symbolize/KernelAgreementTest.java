package kdive.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 10,000 random .text addresses of Debian's debug vmlinux (scripts/fetch-kernel.sh), symbolized
 * by us and by addr2line -f -i: at least 99.9% identical. addr2line's answers are cached next
 * to the vmlinux because they take a while to compute.
 */
@Tag("kernel")
@Tag("every-kernel")
class KernelAgreementTest {
    static final int COUNT = 10_000;
    static final long SEED = 42;

    /** The cached debug vmlinux, or a skip (a failure under KDIVE_REQUIRE_FIXTURES=1). */
    static Path vmlinux() {
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        Fixtures.require(Files.isRegularFile(vmlinux), "no debug vmlinux at " + vmlinux + ": run scripts/fetch-kernel.sh");
        return vmlinux;
    }

    /** {@code COUNT} addresses drawn uniformly from .text with a fixed seed. */
    static long[] randomTextAddresses(Path vmlinux) {
        try (var elf = ElfFile.open(vmlinux)) {
            Section text = elf.section(".text");
            var rnd = new Random(SEED);
            long[] out = new long[COUNT];
            for (int i = 0; i < COUNT; i++) {
                out[i] = text.addr() + (long) (rnd.nextDouble() * text.size());
            }
            return out;
        }
    }

    @Test
    void tenThousandRandomTextAddressesAgreeWithAddr2line() throws Exception {
        Path vmlinux = vmlinux();
        long[] addresses = randomTextAddresses(vmlinux);
        Path cached = vmlinux.toRealPath().getParent().resolve("addr2line-fi-%d-seed%d.txt".formatted(COUNT, SEED));
        Map<Long, String> expected;
        if (Files.isRegularFile(cached)) {
            expected = Agreement.parseBlocks(Files.readString(cached));
        } else {
            String out = Agreement.addr2lineOutput(vmlinux, addresses);
            Path tmp = Files.createTempFile(cached.getParent(), "addr2line", ".tmp");
            Files.writeString(tmp, out);
            Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            expected = Agreement.parseBlocks(out);
        }
        Agreement a = Agreement.of(vmlinux, addresses, expected).print("kernel: random .text addresses");
        assertThat(a.same()).as("addresses identical to addr2line").isGreaterThanOrEqualTo(COUNT * 999 / 1000);
    }

    /**
     * Relocatable module debug files (.ko, ET_REL with RELA on every debug section): ~3,000
     * offsets spread over .text of each, against {@code addr2line -j .text}. Every section of a .ko
     * starts at 0, so a bare address is ambiguous: without -j addr2line picks the first section
     * holding it (on 6.12's btrfs.ko a string section, answering ".LC0 super.c:?"), which is not a
     * question an oops asks; its module frames name their symbol, hence their section.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "net/ipv4/tcp_bbr.ko", "net/key/af_key.ko", "drivers/block/virtio_blk.ko", "fs/btrfs/btrfs.ko"})
    void moduleTextAgreesWithAddr2line(String module) throws Exception {
        // fetch-kernel.sh layout: debug/usr/lib/debug/lib/modules/<release>/kernel/<module>
        Path modules = vmlinux().getParent().resolve("debug/usr/lib/debug/lib/modules");
        Path ko;
        try (Stream<Path> found = Files.list(modules)) {
            ko = found.map(r -> r.resolve("kernel").resolve(module)).filter(Files::isRegularFile).findFirst().orElse(null);
        }
        Fixtures.require(ko != null, "no module debug file " + module + " under " + modules + ": run scripts/fetch-kernel.sh");
        long[] addresses;
        try (var elf = ElfFile.open(ko)) {
            Section text = elf.section(".text");
            long step = Math.max(1, text.size() / 3000);
            addresses = java.util.stream.LongStream.iterate(0, a -> a < text.size(), a -> a + step).toArray();
        }
        Agreement a = Agreement.inSection(ko, ".text", addresses, Agreement.addr2lineInSection(ko, ".text", addresses))
                .print("module " + module + " .text");
        assertThat(a.same()).isEqualTo(a.total());
    }

    /**
     * Addresses of data symbols (every 301st in address order, 200 of them): addr2line answers
     * these from variable declarations rather than the line table.
     */
    @Test
    void dataSymbolsAgreeWithAddr2line() throws Exception {
        Path vmlinux = vmlinux();
        long[] addresses;
        try (var elf = ElfFile.open(vmlinux)) {
            var data = elf.symbols().sortedByAddress().stream()
                    .filter(sy -> sy.shndx() < elf.sections().size() && elf.sections().get(sy.shndx()).isAlloc()
                            && !elf.sections().get(sy.shndx()).isExecutable())
                    .mapToLong(kdive.elf.Symbol::value).distinct().toArray();
            addresses = java.util.stream.IntStream.range(0, data.length).filter(i -> i % 301 == 0).limit(200)
                    .mapToLong(i -> data[i]).toArray();
        }
        Agreement a = Agreement.of(vmlinux, addresses, Agreement.addr2line(vmlinux, addresses)).print("kernel data symbols");
        assertThat(a.same()).isEqualTo(a.total());
    }
}
