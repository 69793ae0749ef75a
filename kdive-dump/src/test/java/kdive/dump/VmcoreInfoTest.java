package kdive.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kdive.io.FormatException;
import kdive.io.LookupException;
import org.junit.jupiter.api.Test;

/** The kernel's number formats (crash_core.c): SYMBOL/KERNELOFFSET hex, NUMBER signed decimal. */
class VmcoreInfoTest {
    private static final String TEXT = """
            OSRELEASE=6.1.0-56-cloud-amd64
            PAGESIZE=4096
            SYMBOL(init_top_pgt)=ffffffffb9210000
            OFFSET(printk_info.ts_nsec)=8
            SIZE(prb_desc)=24
            LENGTH(mem_section)=2048
            NUMBER(phys_base)=-851443712
            NUMBER(pgtable_l5_enabled)=0
            KERNELOFFSET=36800000
            SYMBOL(bad)=xyz
            """;

    @Test
    void parsesTheKernelsFormats() {
        VmcoreInfo vi = VmcoreInfo.parse("f", 0x16e0, TEXT);
        assertThat(vi.osRelease()).isEqualTo("6.1.0-56-cloud-amd64");
        assertThat(vi.pageSize()).isEqualTo(4096);
        assertThat(vi.symbol("init_top_pgt")).isEqualTo(0xffffffffb9210000L);
        assertThat(vi.findOffset("printk_info.ts_nsec")).hasValue(8);
        assertThat(vi.findSize("prb_desc")).hasValue(24);
        assertThat(vi.findLength("mem_section")).hasValue(2048);
        assertThat(vi.physBase()).hasValue(-851443712L);
        assertThat(vi.pgtableL5Enabled()).isFalse();
        assertThat(vi.kernelOffset()).isEqualTo(0x36800000L);
        assertThat(VmcoreInfo.parse("f", 0, "OSRELEASE=x\n").kernelOffset()).isZero();
    }

    @Test
    void badOrMissingValuesAreOneLineErrors() {
        VmcoreInfo vi = VmcoreInfo.parse("f", 0x16e0, TEXT);
        assertThatThrownBy(() -> vi.symbol("bad")).isInstanceOf(FormatException.class)
                .hasMessage("f: offset 0x16e0: a hexadecimal SYMBOL(bad) in vmcoreinfo, got \"xyz\"");
        assertThatThrownBy(() -> vi.symbol("prb")).isInstanceOf(LookupException.class)
                .hasMessage("f: vmcoreinfo has no SYMBOL(prb)");
    }
}
