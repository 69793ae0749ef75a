package kdive.elf.orc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.elf.Symbol;
import kdive.io.FormatException;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The ORC table of the fixture kernel's vmlinux, checked against its section sizes, symbols and entry code. */
@Tag("every-kernel")
class OrcTableTest {
    private static ElfFile vmlinux;
    private static OrcTable orc;
    private static String release;

    @BeforeAll
    static void open() throws IOException {
        Path dir = Fixtures.kernel();
        Path file = dir.resolve("vmlinux");
        Fixtures.require(Files.exists(file), "no " + file);
        release = Files.readString(dir.resolve("release")).strip();
        vmlinux = ElfFile.open(file);
        orc = OrcTable.of(vmlinux, OrcVersion.fromRelease(release)).orElseThrow();
    }

    @AfterAll
    static void close() {
        if (vmlinux != null) {
            vmlinux.close();
        }
    }

    @Test
    void oneEntryPerIpAndSixBytesEach() {
        Section ip = vmlinux.section(".orc_unwind_ip");
        Section unwind = vmlinux.section(".orc_unwind");
        assertThat((long) orc.size()).isEqualTo(ip.size() / 4).isEqualTo(unwind.size() / 6);
        assertThat(orc.size()).isGreaterThan(100_000);
    }

    @Test
    void versionFromHeaderOrRelease() {
        boolean header = vmlinux.findSection(".orc_header").isPresent();
        assertThat(orc.version()).isEqualTo(header ? OrcVersion.V3 : OrcVersion.fromRelease(release));
        assertThat(OrcVersion.fromRelease("5.10.0-32-cloud-amd64")).isEqualTo(OrcVersion.V1);
        assertThat(OrcVersion.fromRelease("6.3.1")).isEqualTo(OrcVersion.V2);
        assertThat(OrcVersion.fromRelease("6.12.57+deb13-cloud-amd64")).isEqualTo(OrcVersion.V3);
    }

    @Test
    void ipsAreSortedAndInsideTheKernelText() {
        long[] ips = orc.ips();
        long text = vmlinux.section(".text").addr();
        long end = vmlinux.symbols().findByName("_end").orElseThrow().value();
        for (int i = 0; i < ips.length; i++) {
            assertThat(Long.compareUnsigned(ips[i], text) >= 0 && Long.compareUnsigned(ips[i], end) < 0)
                    .as("ip 0x%x", ips[i]).isTrue();
            if (i > 0) {
                assertThat(Long.compareUnsigned(ips[i - 1], ips[i])).isLessThanOrEqualTo(0);
            }
        }
    }

    /**
     * At a C function's first instruction nothing is pushed yet: the CFA is SP + 8 (the return
     * address) and BP is the caller's. Assembly entry points carry their own hints, so a few differ.
     */
    @Test
    void everyFunctionStartsWithTheCallersFrame() {
        int checked = 0;
        int agree = 0;
        for (Symbol s : vmlinux.symbols().all()) {
            // gcc's .cold parts are jumped to from the middle of their function, with its frame.
            if (s.type() != Symbol.STT_FUNC || s.size() == 0 || s.name().endsWith(".cold")
                    || !vmlinux.section(".text").containsAddress(s.value())) {
                continue;
            }
            checked++;
            if (orc.find(s.value()).map(OrcEntry::rule).orElseThrow() instanceof OrcRule.Call(
                    OrcRule.Cfa.RegisterOffset(OrcReg r, int off), OrcRule.Bp.Unchanged b, boolean sig)
                    && r == OrcReg.SP && off == 8) {
                agree++;
            }
        }
        assertThat(checked).isGreaterThan(20_000);
        assertThat(agree).as("%d of %d functions start with sp+8", agree, checked).isGreaterThan(checked * 98 / 100);
    }

    /**
     * vfs_write's prologue pushes four callee-saved registers, %rbp among them: each push moves
     * the CFA 8 bytes further from SP, and after %rbp's the caller's BP is found below the CFA.
     */
    @Test
    void prologuePushesMoveTheCfa() {
        long vfsWrite = vmlinux.symbols().findByName("vfs_write").orElseThrow().value();
        var offsets = new java.util.ArrayList<Integer>();
        boolean bpSaved = false;
        long pc = vfsWrite;
        for (int i = 0; i < 6; i++) {
            OrcEntry e = orc.find(pc).orElseThrow();
            if (e.rule() instanceof OrcRule.Call(OrcRule.Cfa.RegisterOffset(OrcReg r, int off), OrcRule.Bp bp, boolean s)
                    && r == OrcReg.SP) {
                offsets.add(off);
                bpSaved |= bp instanceof OrcRule.Bp.AtCfa(int at) && at < 0 && -at <= off;
            }
            pc = nextIp(pc);
        }
        assertThat(offsets).startsWith(8, 16, 24);
        assertThat(bpSaved).isTrue();
    }

    private static long nextIp(long pc) {
        long ip = orc.find(pc).orElseThrow().ip();
        long next = pc + 1;
        while (orc.find(next).orElseThrow().ip() == ip) {
            next++;
        }
        return next;
    }

    /** The syscall entry saves a full pt_regs and calls do_syscall_64: the return lands in a REGS entry. */
    @Test
    void theSyscallEntrySavesPtRegs() {
        Symbol entry = vmlinux.symbols().findByName("entry_SYSCALL_64").orElseThrow();
        boolean regs = false;
        for (long pc = entry.value(); pc < entry.value() + 0x100; pc++) {
            regs |= orc.find(pc).orElseThrow().rule() instanceof OrcRule.Regs;
        }
        assertThat(regs).isTrue();
        // The assembly half is ret_from_fork_asm since 6.7 (ret_from_fork became C, 3aec4ecb3d1f).
        long fork = vmlinux.symbols().findByName("ret_from_fork_asm")
                .or(() -> vmlinux.symbols().findByName("ret_from_fork")).orElseThrow().value();
        boolean end = false;
        for (long pc = fork; pc < fork + 0x80; pc++) {
            OrcRule r = orc.find(pc).orElseThrow().rule();
            end |= r instanceof OrcRule.EndOfStack || r instanceof OrcRule.Regs;
        }
        assertThat(end).as("ret_from_fork ends the stack or hands over to the user pt_regs").isTrue();
    }

    @Test
    void belowTheFirstIpThereIsNoEntry() {
        assertThat(orc.find(orc.firstIp() - 1)).isEmpty();
        assertThat(orc.find(orc.firstIp())).isPresent();
    }

    @Test
    void mismatchedSectionsAreAFormatError() {
        MemorySegment ips = MemorySegment.ofArray(new byte[8]);
        MemorySegment entries = MemorySegment.ofArray(new byte[6]);
        assertThatThrownBy(() -> OrcTable.of("t", ips, 0x1000, entries, OrcVersion.V1, 0))
                .isInstanceOf(FormatException.class).hasMessageContaining("6-byte");
    }

    /** Entries from raw bytes in every layout: flags decode to the same rule, unsorted IPs get sorted. */
    @Test
    void layoutsDecodeToTheSameRules() {
        // Two entries, IPs given relative to each s32's address: 0x1010 then 0x1000 (unsorted).
        byte[] ip = {0x10, 0, 0, 0, (byte) 0xfc, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        // sp:sp+16 bp:prev_sp-16 call | sp:sp+8 type REGS
        byte[] v1 = {16, 0, (byte) 0xf0, (byte) 0xff, 0x15, 0x00, 8, 0, 0, 0, 0x05, 0x01};
        byte[] v3 = {16, 0, (byte) 0xf0, (byte) 0xff, 0x15, 0x02, 8, 0, 0, 0, 0x05, 0x0b};
        for (var c : new Object[][] {{v1, OrcVersion.V1}, {v3, OrcVersion.V3}}) {
            OrcTable t = OrcTable.of("t", MemorySegment.ofArray(ip), 0x1000, MemorySegment.ofArray((byte[]) c[0]),
                    (OrcVersion) c[1], 0);
            assertThat(t.find(0x1005).orElseThrow().rule()).isEqualTo(new OrcRule.Regs(
                    new OrcRule.Cfa.RegisterOffset(OrcReg.SP, 8), new OrcRule.Bp.Unchanged()));
            assertThat(t.find(0x1010).orElseThrow().rule()).isEqualTo(new OrcRule.Call(
                    new OrcRule.Cfa.RegisterOffset(OrcReg.SP, 16), new OrcRule.Bp.AtCfa(-16), false));
        }
    }
}
