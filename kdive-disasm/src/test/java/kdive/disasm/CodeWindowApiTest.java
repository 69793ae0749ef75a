package kdive.disasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import kdive.disasm.internal.ObjdumpDisassembler;
import kdive.io.FormatException;
import kdive.io.UsageException;

class CodeWindowApiTest {

    @Test
    void badRipHasNoEntries() {
        CodeWindow w = CodeWindow.badRip();
        assertThat(w.entries()).isEmpty();
        assertThat(w.faulting()).isEmpty();
        assertThat(w.note()).contains("Bad RIP value");
        try (Disassembler d = Disassemblers.best()) {
            assertThat(CodeWindow.decode(d, new byte[0], 0, 0x1000)).isEqualTo(w);
        }
    }

    @Test
    void markerOutsideTheBytesIsAFormatError() {
        try (Disassembler d = Disassemblers.best()) {
            assertThatThrownBy(() -> CodeWindow.decode(d, new byte[] {0x48, (byte) 0x89, 0x30}, 3, 0x1000))
                    .isInstanceOf(FormatException.class).hasMessageContaining("marker index 3");
            assertThatThrownBy(() -> CodeWindow.decode(d, new byte[] {0x48}, -1, 0x1000))
                    .isInstanceOf(FormatException.class);
        }
    }

    @Test
    void markerAtTheFirstByteDecodesForwardOnly() {
        try (Disassembler d = Disassemblers.best()) {
            CodeWindow w = CodeWindow.decode(d, new byte[] {0x48, (byte) 0x89, 0x30, (byte) 0xc3}, 0, 0x1000);
            assertThat(w.prefixRecovered()).isFalse();
            assertThat(w.entries()).extracting(CodeWindow.Entry::text).containsExactly("mov    %rsi,(%rax)", "ret");
            assertThat(w.note()).contains("no code bytes before");
        }
    }

    @Test
    void undecodableBeforeTheMarkerShowsFromTheMarkerOn() {
        // in/out and x87 bytes only: nothing plausible lands on the marker.
        byte[] code = {(byte) 0xe4, 0x10, (byte) 0xec, (byte) 0xd9, (byte) 0xc0, (byte) 0xe6, 0x20, (byte) 0xee,
                0x48, (byte) 0x89, 0x30};
        try (Disassembler d = Disassemblers.best()) {
            CodeWindow w = CodeWindow.decode(d, code, 8, 0xffffffff81000000L);
            assertThat(w.prefixRecovered()).isFalse();
            assertThat(w.entries()).singleElement().satisfies(e -> {
                assertThat(e.faulting()).isTrue();
                assertThat(e.text()).isEqualTo("mov    %rsi,(%rax)");
            });
            assertThat(w.note()).contains("no plausible instruction boundary");
        }
    }

    @Test
    void cutOffFaultingInstructionIsDropped() {
        try (Disassembler d = Disassemblers.best()) {
            CodeWindow w = CodeWindow.decode(d, new byte[] {(byte) 0xc3, 0x48, (byte) 0x8b}, 1, 0x1000);
            assertThat(w.faulting()).isEmpty();
            assertThat(w.note()).contains("do not decode");
        }
    }

    @Test
    void missingObjdumpIsAUsageError() {
        assertThatThrownBy(() -> new ObjdumpDisassembler("/nonexistent/objdump"))
                .isInstanceOf(UsageException.class).hasMessageContaining("/nonexistent/objdump");
    }

    @Test
    void bestPrefersCapstone() {
        try (Disassembler d = Disassemblers.best()) {
            assertThat(d.name()).startsWith("capstone 4.");
        }
    }
}
