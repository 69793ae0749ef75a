package kdive.disasm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random bytes never make a backend or CodeWindow throw, and what they return is consistent:
 * instructions are contiguous from the start and within the input, window entries end on the marker.
 */
class DisassemblerPropertiesTest {

    static Disassembler capstone;
    static Disassembler objdump;

    @BeforeContainer
    static void open() {
        capstone = Disassemblers.capstone();
        objdump = Disassemblers.objdump();
    }

    @AfterContainer
    static void close() {
        capstone.close();
        objdump.close();
    }

    @Provide
    Arbitrary<byte[]> code() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(96);
    }

    /** Mostly bytes of common opcodes and ModRM values, so that more of the input decodes. */
    @Provide
    Arbitrary<byte[]> codeLike() {
        return Arbitraries.of((byte) 0x48, (byte) 0x89, (byte) 0x8b, (byte) 0x00, (byte) 0x0f, (byte) 0x66,
                (byte) 0xff, (byte) 0xe8, (byte) 0x45, (byte) 0x74, (byte) 0xc3, (byte) 0x2e, (byte) 0xf3,
                (byte) 0x44, (byte) 0x24, (byte) 0x8d).array(byte[].class).ofMinSize(1).ofMaxSize(80);
    }

    static void assertContiguous(List<Instruction> insns, byte[] code, long address) {
        long expected = address;
        int total = 0;
        for (Instruction i : insns) {
            assertThat(i.address()).isEqualTo(expected);
            assertThat(i.length()).isBetween(1, 15);
            expected += i.length();
            total += i.length();
        }
        assertThat(total).isLessThanOrEqualTo(code.length);
    }

    @Property(tries = 400)
    void capstoneNeverThrows(@ForAll("code") byte[] code, @ForAll boolean intel) {
        Syntax syntax = intel ? Syntax.INTEL : Syntax.ATT;
        assertContiguous(capstone.decode(code, 0xffffffff81000000L, syntax), code, 0xffffffff81000000L);
    }

    @Property(tries = 25)
    void objdumpNeverThrowsAndAgreesOnLengths(@ForAll("codeLike") byte[] code) {
        List<Instruction> o = objdump.decode(code, 0x1000, Syntax.ATT);
        assertContiguous(o, code, 0x1000);
        List<Instruction> c = capstone.decode(code, 0x1000, Syntax.ATT);
        // Both stop at the first byte they reject; up to there lengths agree except where Capstone 4
        // and binutils disagree on validity, so compare the common prefix only.
        for (int i = 0; i < Math.min(o.size(), c.size()); i++) {
            if (o.get(i).length() != c.get(i).length()) {
                break;
            }
            assertThat(c.get(i).address()).isEqualTo(o.get(i).address());
        }
    }

    @Property(tries = 300)
    void codeWindowNeverThrows(@ForAll("codeLike") byte[] code, @ForAll int markerSeed) {
        int marker = Math.floorMod(markerSeed, code.length);
        long ip = 0xffffffff81573762L;
        for (CodeWindow.Policy policy : CodeWindow.Policy.values()) {
            CodeWindow w = CodeWindow.decode(capstone, code, marker, ip, Syntax.ATT, policy);
            assertWindow(w, code, marker, ip);
        }
    }

    @Property(tries = 15)
    void codeWindowWithObjdumpNeverThrows(@ForAll("codeLike") byte[] code, @ForAll int markerSeed) {
        int marker = Math.floorMod(markerSeed, code.length);
        assertWindow(CodeWindow.decode(objdump, code, marker, 0x4000), code, marker, 0x4000);
    }

    static void assertWindow(CodeWindow w, byte[] code, int marker, long ip) {
        int end = Integer.MIN_VALUE;
        for (CodeWindow.Entry e : w.entries()) {
            assertThat(e.address()).isEqualTo(ip + e.offsetFromFault());
            assertThat(e.faulting()).isEqualTo(e.offsetFromFault() == 0);
            assertThat(e.offsetFromFault()).isBetween(-marker, code.length - marker - 1);
            if (end != Integer.MIN_VALUE) {
                assertThat(e.offsetFromFault()).isEqualTo(end);
            }
            end = e.offsetFromFault() + e.bytes().length;
            assertThat(end).isLessThanOrEqualTo(code.length - marker);
        }
        assertThat(w.prefixRecovered()).isEqualTo(!w.entries().isEmpty() && w.entries().getFirst().offsetFromFault() < 0);
        assertThat(w.note()).isNotBlank();
    }
}
