package kdive.disasm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The skb_entail oops window from the brief, decoded by both backends. */
class CodeWindowSeedTest {

    static final String SEED = "4d 00 89 46 44 89 46 40 8b 86 dc 00 00 00 c7 44 02 24 01 00 01 00 48 8b 87 40 01 00"
            + " 00 48 8d 97 38 01 00 00 48 89 16 48 89 46 08 <48> 89 30 83 87 48 01 00 00 01 48 83 bf 68 02 00 00"
            + " 00 48 89 b7";
    static final long IP = 0xffffffff81573762L;

    /** Bytes and marker index of a Code: line body ({@code <xx>} or {@code (xx)} marker). */
    record Line(byte[] bytes, int marker) {
        static Line parse(String s) {
            String[] tokens = s.trim().split("\\s+");
            byte[] b = new byte[tokens.length];
            int marker = -1;
            for (int i = 0; i < tokens.length; i++) {
                String t = tokens[i];
                if (t.startsWith("<") || t.startsWith("(")) {
                    marker = i;
                    t = t.substring(1, 3);
                }
                b[i] = (byte) HexFormat.fromHexDigits(t);
            }
            return new Line(b, marker);
        }
    }

    static Stream<Disassembler> backends() {
        return Stream.of(Disassemblers.capstone(), Disassemblers.objdump());
    }

    static final List<String> TRUTH = List.of("%eax,0x44(%rsi)", "%eax,0x40(%rsi)", "0xdc(%rsi),%eax",
            "$0x10001,0x24(%rdx,%rax,1)", "0x140(%rdi),%rax", "0x138(%rdi),%rdx", "%rdx,(%rsi)",
            "%rax,0x8(%rsi)");

    /**
     * The default policy shows only what every plausible start among offsets 0..10 agrees on: offsets 4
     * ({@code 44 89 46 40}, mov %r8d,0x40(%rsi)) and 5 also sync (0, 1, 3, 6, 7 are rejected: huge
     * displacements, two REX prefixes, a redundant 0x40), so offset 2 is likely but not certain; the
     * agreed part starts at 8.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void seedProvenPartIsATrueSuffix(Disassembler d) {
        try (d) {
            Line line = Line.parse(SEED);
            CodeWindow w = CodeWindow.decode(d, line.bytes(), line.marker(), IP);
            List<String> before = w.entries().stream().filter(e -> e.offsetFromFault() < 0)
                    .map(e -> e.instruction().operandText()).toList();
            assertThat(w.prefixRecovered()).isTrue();
            assertThat(before).isEqualTo(TRUTH.subList(2, TRUTH.size()));
            assertThat(w.entries().getFirst().offsetFromFault()).isEqualTo(8 - line.marker());
            assertThat(w.faulting().orElseThrow().text()).isEqualTo("mov    %rsi,(%rax)");
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void seedStartsAtOffsetTwoAndEndsOnTheMarker(Disassembler d) {
        try (d) {
            Line line = Line.parse(SEED);
            CodeWindow w = CodeWindow.decode(d, line.bytes(), line.marker(), IP, Syntax.ATT,
                    CodeWindow.Policy.EARLIEST_PLAUSIBLE);
            List<String> before = w.entries().stream().filter(e -> e.offsetFromFault() < 0)
                    .map(e -> e.instruction().operandText()).toList();
            assertThat(w.prefixRecovered()).isTrue();
            assertThat(w.entries().getFirst().offsetFromFault()).isEqualTo(2 - line.marker());
            assertThat(w.entries().getFirst().address()).isEqualTo(IP - line.marker() + 2);
            assertThat(before).isEqualTo(TRUTH);
            CodeWindow.Entry fault = w.faulting().orElseThrow();
            assertThat(fault.address()).isEqualTo(IP);
            assertThat(fault.offsetFromFault()).isZero();
            assertThat(fault.text()).isEqualTo("mov    %rsi,(%rax)");
            assertThat(fault.instruction().operands()).containsExactly(
                    new Operand.Mem("", "rax", "", 1, 0, 8, Access.WRITE), new Operand.Reg("rsi", Access.READ));
            // After the marker: addl, cmpq; the trailing "48 89 b7" is cut off and dropped.
            assertThat(w.entries().stream().filter(e -> e.offsetFromFault() > 0).map(CodeWindow.Entry::text))
                    .containsExactly("addl   $0x1,0x148(%rdi)", "cmpq   $0x0,0x268(%rdi)");
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void parenthesisedMarkerMeansTheSame(Disassembler d) {
        try (d) {
            Line angle = Line.parse(SEED);
            Line paren = Line.parse(SEED.replace("<48>", "(48)"));
            assertThat(paren.marker()).isEqualTo(angle.marker());
            assertThat(CodeWindow.decode(d, paren.bytes(), paren.marker(), IP).entries())
                    .hasSameSizeAs(CodeWindow.decode(d, angle.bytes(), angle.marker(), IP).entries());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void intelSyntax(Disassembler d) {
        try (d) {
            Line line = Line.parse(SEED);
            CodeWindow w = CodeWindow.decode(d, line.bytes(), line.marker(), IP, Syntax.INTEL);
            assertThat(w.faulting().orElseThrow().text()).isEqualTo("mov    QWORD PTR [rax],rsi");
        }
    }
}
