package kdive.disasm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Encodings common in kernel oopses: both backends give objdump's text, in both syntaxes. */
class KnownEncodingsTest {

    static Disassembler capstone;
    static Disassembler objdump;

    @BeforeAll
    static void open() {
        capstone = Disassemblers.capstone();
        objdump = Disassemblers.objdump();
    }

    @AfterAll
    static void close() {
        capstone.close();
        objdump.close();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "48 89 30                         | mov    %rsi,(%rax)",
            "89 46 44                         | mov    %eax,0x44(%rsi)",
            "c7 44 02 24 01 00 01 00          | movl   $0x10001,0x24(%rdx,%rax,1)",
            "65 48 8b 04 25 28 00 00 00       | mov    %gs:0x28,%rax",
            "65 48 8b 05 c8 b7 a9 7e          | mov    %gs:0x7ea9b7c8(%rip),%rax",
            "0f 0b                            | ud2",
            "0f 1f 44 00 00                   | nopl   0x0(%rax,%rax,1)",
            "66 2e 0f 1f 84 00 00 00 00 00    | cs nopw 0x0(%rax,%rax,1)",
            "66 90                            | xchg   %ax,%ax",
            "f0 0f b1 17                      | lock cmpxchg %edx,(%rdi)",
            "48 c7 c0 ea ff ff ff             | mov    $0xffffffffffffffea,%rax",
            "48 83 e4 f0                      | and    $0xfffffffffffffff0,%rsp",
            "48 d1 e8                         | shr    %rax",
            "d3 e0                            | shl    %cl,%eax",
            "48 0f 44 c2                      | cmove  %rdx,%rax",
            "0f b6 47 10                      | movzbl 0x10(%rdi),%eax",
            "48 63 d0                         | movslq %eax,%rdx",
            "ff 14 c5 00 00 00 82             | call   *-0x7e000000(,%rax,8)",
            "ff e0                            | jmp    *%rax",
            "41 5c                            | pop    %r12",
            "55                               | push   %rbp",
            "c3                               | ret",
            "cc                               | int3",
            "f3 48 ab                         | rep stos %rax,%es:(%rdi)",
            "48 b8 00 01 00 00 00 00 ad de    | movabs $0xdead000000000100,%rax",
            "0f 01 ca                         | clac",
            "48 85 c0                         | test   %rax,%rax",
            "80 7f 29 00                      | cmpb   $0x0,0x29(%rdi)",
            "3e ff e0                         | notrack jmp *%rax",
            "f3 c3                            | repz ret",
            "f3 0f 1e fa                      | endbr64",
            "2e e8 00 00 00 00                | cs call 0xffffffff81000006",
    })
    void attMatchesObjdump(String hex, String expected) {
        byte[] code = HexFormat.ofDelimiter(" ").parseHex(hex.strip());
        for (Disassembler d : List.of(capstone, objdump)) {
            List<Instruction> insns = d.decode(code, 0xffffffff81000000L, Syntax.ATT);
            assertThat(insns).as(d.name()).hasSize(1);
            assertThat(text(insns.getFirst())).as(d.name()).isEqualTo(expected.strip());
        }
        assertThat(text(capstone.decode(code, 0x1000, Syntax.INTEL).getFirst()))
                .isEqualTo(text(objdump.decode(code, 0x1000, Syntax.INTEL).getFirst()));
        assertThat(capstone.decode(code, 0x1000, Syntax.ATT).getFirst().operands())
                .isEqualTo(objdump.decode(code, 0x1000, Syntax.ATT).getFirst().operands());
    }

    /** objdump pads the mnemonic to 6 columns. */
    static String text(Instruction i) {
        return i.operandText().isEmpty() ? i.mnemonic() : "%-6s %s".formatted(i.mnemonic(), i.operandText());
    }

    @ParameterizedTest
    @CsvSource({"e8 fb 0f 00 00,call   0x1000", "75 fe,jne    0x0", "eb 10,jmp    0x12"})
    void relativeTargetsAreAbsolute(String hex, String expected) {
        byte[] code = HexFormat.ofDelimiter(" ").parseHex(hex);
        assertThat(text(capstone.decode(code, 0, Syntax.ATT).getFirst())).isEqualTo(expected);
        assertThat(text(objdump.decode(code, 0, Syntax.ATT).getFirst())).isEqualTo(expected);
    }
}
