package kdive.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import kdive.dump.Kaslr;
import kdive.dump.KernelLocation;
import kdive.dump.VmcoreInfo;
import kdive.dump.X86Paging;
import kdive.io.FaultException;
import kdive.kernel.arch.X86_64;
import org.junit.jupiter.api.Test;

/**
 * Virtual reads through hand-made x86-64 page tables whose entries carry AMD SME's C-bit, as an
 * encrypted guest's do: the mask vmcoreinfo states (NUMBER(sme_mask)) must reach the walk, or every
 * table address points 128 TiB too high.
 */
class AddressSpaceTest {
    private static final long C_BIT = 1L << 47;
    private static final long PRESENT_RW = 0x3;
    private static final long PSE = 0x80;
    /** A kernel-image address: PGD 511, PUD 510, PMD 8, PTE 0. */
    private static final long TEXT = 0xffffffff81000000L;
    /** A direct-map address mapped by one 2 MiB page (PGD 273, PUD 0, PMD 1). */
    private static final long DIRECT = 0xffff888000200000L;

    /** Tables at 0x1000..0x5000, text's page at 0x6000, the 2 MiB page at 0x200000; phys_base 0. */
    private static ImageMemory image() {
        var m = new ImageMemory(0x400000);
        m.putLong(0x1000 + 511 * 8, 0x2000 | C_BIT | PRESENT_RW);
        m.putLong(0x2000 + 510 * 8, 0x3000 | C_BIT | PRESENT_RW);
        m.putLong(0x3000 + 8 * 8, 0x4000 | C_BIT | PRESENT_RW);
        m.putLong(0x4000, 0x6000 | C_BIT | PRESENT_RW);
        m.put(0x6000 + 0x10, "Linux version".getBytes(StandardCharsets.US_ASCII));
        m.putLong(0x1000 + 273 * 8, 0x5000 | C_BIT | PRESENT_RW);
        m.putLong(0x5000, 0x7000 | C_BIT | PRESENT_RW);
        m.putLong(0x7000 + 8, 0x200000 | C_BIT | PSE | PRESENT_RW);
        m.putLong(0x200000 + 0x1238, 0x1122334455667788L);
        return m;
    }

    private static VmcoreInfo vmcoreinfo(boolean withSme) {
        return VmcoreInfo.parse("synthetic", 0, """
                OSRELEASE=6.1.0-test
                SYMBOL(init_top_pgt)=ffffffff80001000
                NUMBER(phys_base)=0
                NUMBER(pgtable_l5_enabled)=0
                """ + (withSme ? "NUMBER(sme_mask)=" + C_BIT + "\n" : ""));
    }

    private static AddressSpace space(KernelLocation where, ImageMemory m) {
        return new AddressSpace(m, new X86_64().pageTable(m, where));
    }

    @Test
    void smeMaskFromVmcoreinfoReachesTheWalk() {
        ImageMemory m = image();
        KernelLocation where = Kaslr.fromVmcoreInfo(vmcoreinfo(true));
        assertThat(where.smeMask()).isEqualTo(C_BIT);
        AddressSpace as = space(where, m);
        assertThat(new String(as.read(TEXT + 0x10, 13), StandardCharsets.US_ASCII)).isEqualTo("Linux version");
        assertThat(as.toPhysical(TEXT + 0x10)).isEqualTo(0x6010);
        assertThat(as.u64(DIRECT + 0x1238)).isEqualTo(0x1122334455667788L);
        X86Paging.Translation t = as.translate(DIRECT + 0x1238);
        assertThat(t.pageSize()).isEqualTo(2 << 20);
        assertThat(t.paddr()).contains(0x201238L);
        assertThat(t.steps()).extracting(X86Paging.Step::level).containsExactly("PGD", "PUD", "PMD");
        assertThat(as.u32(DIRECT + 0x1238)).isEqualTo(0x55667788L);
        assertThat(as.u16(DIRECT + 0x123e)).isEqualTo(0x1122);
        assertThat(as.u8(DIRECT + 0x1238)).isEqualTo(0x88);
    }

    /** The same tables without the mask: the walk leaves the image, so the test above can fail. */
    @Test
    void withoutTheMaskTheWalkGoesAstray() {
        ImageMemory m = image();
        KernelLocation where = Kaslr.fromVmcoreInfo(vmcoreinfo(false));
        assertThat(where.smeMask()).isZero();
        assertThatThrownBy(() -> space(where, m).read(TEXT + 0x10, 13)).isInstanceOf(FaultException.class);
    }

    @Test
    void faultsNameTheFirstUnmappedAddress() {
        AddressSpace as = space(Kaslr.fromVmcoreInfo(vmcoreinfo(true)), image());
        // TEXT's page is mapped, the next one is not: a read across the boundary names where it broke.
        assertThatThrownBy(() -> as.read(TEXT + 0xff0, 32)).isInstanceOf(FaultException.class)
                .hasMessageContaining("0x%016x".formatted(TEXT + 0xff0))
                .hasMessageContaining("0x%016x: PTE entry".formatted(TEXT + 0x1000));
        assertThat(new X86_64().isCanonical(0x8000000000000000L, false)).isFalse();
        assertThat(new X86_64().poison(X86_64.LIST_POISON2)).hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("LIST_POISON2"));
    }
}
