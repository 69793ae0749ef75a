package kdive.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.testkit.Fixtures;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 10,000 random .text addresses of Debian's debug vmlinux (scripts/fetch-kernel.sh), symbolized
 * by us and by addr2line -f -i: at least 99.9% identical. addr2line's answers are cached next
 * to the vmlinux because they take a while to compute.
 */
@Tag("kernel")
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
            expected = parse(Files.readString(cached));
        } else {
            var in = new StringBuilder();
            for (long a : addresses) {
                in.append(Long.toHexString(a)).append('\n');
            }
            String out = Tools.runWithInput(List.of("addr2line", "-a", "-f", "-i", "-e", vmlinux.toString()), in.toString());
            Path tmp = Files.createTempFile(cached.getParent(), "addr2line", ".tmp");
            Files.writeString(tmp, out);
            Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            expected = parse(out);
        }
        int same = 0;
        var diffs = new ArrayList<String>();
        try (var sym = Symbolizer.open(vmlinux)) {
            List<Location> locs = sym.symbolizeAll(addresses);
            for (int i = 0; i < addresses.length; i++) {
                String actual = Addr2line.format(locs.get(i));
                String exp = expected.get(addresses[i]);
                if (actual.equals(exp)) {
                    same++;
                } else {
                    diffs.add("0x%x:\n  addr2line: %s\n  kdive:     %s".formatted(addresses[i],
                            String.valueOf(exp).replace("\n", " | "), actual.replace("\n", " | ")));
                }
            }
        }
        System.out.printf("kernel: %d/%d random .text addresses identical to addr2line -f -i (%.3f%%)%n",
                same, COUNT, 100.0 * same / COUNT);
        diffs.stream().limit(30).forEach(System.out::println);
        assertThat(same).as("addresses identical to addr2line").isGreaterThanOrEqualTo(COUNT * 999 / 1000);
    }

    /**
     * Relocatable module debug files (.ko, ET_REL with RELA on every debug section): ~3,000
     * addresses spread over .text of each. Addresses start at 0x100, past the note sections that
     * also sit at 0 in a .ko (there addr2line answers from data symbols, which we do not model).
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
        Assumptions.assumeTrue(ko != null, "no module debug file " + module + " under " + modules);
        long[] addresses;
        try (var elf = ElfFile.open(ko)) {
            Section text = elf.section(".text");
            long step = Math.max(1, text.size() / 3000);
            addresses = java.util.stream.LongStream.iterate(0x100, a -> a < text.size(), a -> a + step).toArray();
        }
        Map<Long, String> expected = Addr2lineAgreementTest.addr2line(ko, addresses);
        int same = 0;
        try (var sym = Symbolizer.open(ko)) {
            List<Location> locs = sym.symbolizeAll(addresses);
            for (int i = 0; i < addresses.length; i++) {
                String actual = Addr2line.format(locs.get(i));
                if (actual.equals(expected.get(addresses[i]))) {
                    same++;
                } else if (i - same < 10) {
                    System.out.printf("0x%x:%n  addr2line: %s%n  kdive:     %s%n", addresses[i],
                            String.valueOf(expected.get(addresses[i])).replace("\n", " | "), actual.replace("\n", " | "));
                }
            }
        }
        System.out.printf("module %s: %d/%d .text addresses identical to addr2line -f -i%n", module, same, addresses.length);
        assertThat(same).isEqualTo(addresses.length);
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
        Map<Long, String> expected = Addr2lineAgreementTest.addr2line(vmlinux, addresses);
        int same = 0;
        try (var sym = Symbolizer.open(vmlinux)) {
            List<Location> locs = sym.symbolizeAll(addresses);
            for (int i = 0; i < addresses.length; i++) {
                String actual = Addr2line.format(locs.get(i));
                if (actual.equals(expected.get(addresses[i]))) {
                    same++;
                } else {
                    System.out.printf("0x%x:%n  addr2line: %s%n  kdive:     %s%n", addresses[i],
                            String.valueOf(expected.get(addresses[i])).replace("\n", " | "), actual.replace("\n", " | "));
                }
            }
        }
        System.out.printf("kernel data symbols: %d/%d identical to addr2line -f -i%n", same, addresses.length);
        assertThat(same).isEqualTo(addresses.length);
    }

    static Map<Long, String> parse(String out) {
        return Addr2lineAgreementTest.parseBlocks(out);
    }
}
