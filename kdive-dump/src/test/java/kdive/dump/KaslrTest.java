package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import kdive.elf.ElfFile;
import kdive.io.ValidationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The KASLR derivation for dumps without vmcoreinfo, checked on QEMU dumps that do have it: the
 * derived offset, phys_base and page tables must equal what the kernel wrote in vmcoreinfo.
 */
@Tag("vmcore")
@Tag("every-kernel")
class KaslrTest {
    private static ElfFile vmlinux;

    @BeforeAll
    static void open() {
        Path dir = Fixtures.dir();
        String release = dir.getFileName().toString();
        Path p = dir.getParent().getParent().resolve("kernel").resolve(release).resolve("vmlinux");
        kdive.testkit.Fixtures.require(Files.exists(p), "no vmlinux at " + p + ": run scripts/fetch-kernel.sh");
        vmlinux = ElfFile.open(p);
    }

    @AfterAll
    static void close() {
        if (vmlinux != null) {
            vmlinux.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> derivedLocationEqualsVmcoreinfo() {
        return Fixtures.SCENARIOS.stream().flatMap(s -> Stream.of("qemu.elf", "qemu-kdump-zlib.flat")
                .map(f -> DynamicTest.dynamicTest(s + "/" + f, () -> {
                    try (DumpFile d = DumpFile.open(Fixtures.file(s, f))) {
                        KernelLocation told = Kaslr.fromVmcoreInfo(d.vmcoreInfo().orElseThrow());
                        KernelLocation derived = Kaslr.fromQemuNote(d, vmlinux);
                        assertThat(derived.kernelOffset()).isEqualTo(told.kernelOffset()).isNotZero();
                        assertThat(derived.physBase()).isEqualTo(told.physBase());
                        long uts = d.vmcoreInfo().orElseThrow().symbol("init_uts_ns");
                        assertThat(derived.paging(d.memory()).read(uts, 64))
                                .isEqualTo(told.paging(d.memory()).read(uts, 64));
                        Kaslr.checkVmlinux(d, vmlinux, derived);
                    }
                })));
    }

    /** A dump with no vmcoreinfo at all: the vmlinux is required, matched by linux_banner, and gives KASLR. */
    @org.junit.jupiter.api.Test
    void dumpWithoutVmcoreinfo() {
        long stext = Fixtures.truth("novmcoreinfo", "stext").stream().filter(l -> l.endsWith(" _stext"))
                .map(l -> Long.parseUnsignedLong(l.substring(0, 16), 16)).findFirst().orElseThrow();
        try (DumpFile d = DumpFile.open(Fixtures.file("novmcoreinfo", "qemu-kdump-zlib.flat"))) {
            assertThat(d.vmcoreInfo()).isEmpty();
            assertThatThrownBy(() -> Kaslr.locate(d, Optional.empty()))
                    .isInstanceOf(kdive.io.MissingDebugInfoException.class).hasMessageContaining("give its vmlinux");
            KernelLocation where = Kaslr.locate(d, Optional.of(vmlinux));
            assertThat(where.source()).startsWith("derived");
            assertThat(where.kernelOffset()).isEqualTo(stext - vmlinux.symbols().findByName("_stext").orElseThrow().value());
            Kaslr.checkVmlinux(d, vmlinux, where); // no build-id in the dump: linux_banner decides
            long banner = vmlinux.symbols().findByName("linux_banner").orElseThrow().value() + where.kernelOffset();
            assertThat(new String(where.paging(d.memory()).read(banner, 14), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("Linux version ");
        }
    }

    @TestFactory
    Stream<DynamicTest> wrongVmlinuxIsRefused() {
        return Stream.of(DynamicTest.dynamicTest("crashlab_skb.ko as vmlinux", () -> {
            try (DumpFile d = DumpFile.open(Fixtures.file("skb", "kdump-zlib"));
                    ElfFile ko = ElfFile.open(Fixtures.file("skb", "crashlab_skb.ko"))) {
                KernelLocation where = Kaslr.locate(d, Optional.empty());
                assertThatThrownBy(() -> Kaslr.checkVmlinux(d, ko, where))
                        .isInstanceOf(ValidationException.class).hasMessageContaining("does not match");
                Kaslr.checkVmlinux(d, vmlinux, where);
            }
        }));
    }
}
