package kdive.disasm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import kdive.disasm.Access;
import kdive.disasm.Instruction;
import kdive.disasm.Operand;
import kdive.disasm.Syntax;

/** objdump text -> mnemonic, operands and access; the exceptions to "AT&T last operand is written". */
class ObjdumpParsingTest {

    static Instruction att(String text) {
        return OperandParser.instruction(ObjdumpOutput.split(0x1000, new byte[] {(byte) 0x90}, text), Syntax.ATT);
    }

    static Instruction intel(String text) {
        return OperandParser.instruction(ObjdumpOutput.split(0x1000, new byte[] {(byte) 0x90}, text), Syntax.INTEL);
    }

    /** text | mnemonic | Intel-order accesses of the operands. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mov    %rsi,(%rax)                     | mov        | WRITE READ",
            "add    %eax,0x44(%rsi)                 | add        | READ_WRITE READ",
            "lea    0x138(%rdi),%rdx                | lea        | WRITE NONE",
            "cmp    %rdx,%rcx                       | cmp        | READ READ",
            "testb  $0x1,0x29(%rdi)                 | testb      | READ READ",
            "push   %rbp                            | push       | READ",
            "pop    %rbx                            | pop        | WRITE",
            "call   *0x8(%rax)                      | call       | READ",
            "jmp    *%rax                           | jmp        | READ",
            "bt     %rax,(%rdi)                     | bt         | READ READ",
            "bts    %rax,(%rdi)                     | bts        | READ_WRITE READ",
            "lock cmpxchg %rdx,(%rdi)               | lock cmpxchg | READ_WRITE READ",
            "xchg   %rax,(%rdi)                     | xchg       | READ_WRITE READ_WRITE",
            "movzbl (%rsi,%rcx,1),%r8d              | movzbl     | WRITE READ",
            "sete   %al                             | sete       | WRITE",
            "incl   0x10(%rbx)                      | incl       | READ_WRITE",
            "cs nopw 0x0(%rax,%rax,1)               | cs nopw    | NONE",
            "imul   $0x38,%rax,%rdx                 | imul       | WRITE READ READ",
            "rex.WRB add %r9b,0x46894446(%r9)       | rex.WRB add | READ_WRITE READ",
    })
    void attAccess(String text, String mnemonic, String accesses) {
        Instruction i = att(text);
        assertThat(i.mnemonic()).isEqualTo(mnemonic);
        assertThat(i.operands().stream().map(o -> o.access().name()).toList())
                .isEqualTo(List.of(accesses.split(" ")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mov    %rsi,(%rax)                 | 0 | ''   | rax | ''  | 1 | 0           | 8",
            "movl   $0x10001,0x24(%rdx,%rax,1)  | 0 | ''   | rdx | rax | 1 | 36          | 4",
            "mov    %gs:0x1f7c0,%rax            | 1 | gs   | ''  | ''  | 1 | 128960      | 8",
            "mov    -0x7e000000(,%rax,8),%rdx   | 1 | ''   | ''  | rax | 8 | -2113929216 | 8",
            "mov    0x2f2b(%rip),%rdi           | 1 | ''   | rip | ''  | 1 | 12075       | 8",
            "movzbl -0x1(%rcx),%eax             | 1 | ''   | rcx | ''  | 1 | -1          | 1",
    })
    void attMemory(String text, int memIndex, String seg, String base, String index, int scale, long disp, int size) {
        Operand.Mem m = (Operand.Mem) att(text).operands().get(memIndex);
        assertThat(m).isEqualTo(new Operand.Mem(seg, base, index, scale, disp, size, m.access()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mov    QWORD PTR [rax],rsi                  | 0 | ''  | rax | ''  | 1 | 0       | 8",
            "mov    DWORD PTR [rdx+rax*1+0x24],0x10001   | 0 | ''  | rdx | rax | 1 | 36      | 4",
            "mov    rax,QWORD PTR gs:0x1f7c0             | 1 | gs  | ''  | ''  | 1 | 128960  | 8",
            "mov    eax,DWORD PTR [rbp-0x14]             | 1 | ''  | rbp | ''  | 1 | -20     | 4",
            "lea    rdx,[rdi+0x138]                      | 1 | ''  | rdi | ''  | 1 | 312     | 0",
    })
    void intelMemory(String text, int memIndex, String seg, String base, String index, int scale, long disp, int size) {
        Operand.Mem m = (Operand.Mem) intel(text).operands().get(memIndex);
        assertThat(m).isEqualTo(new Operand.Mem(seg, base, index, scale, disp, size, m.access()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ffffffff81573762:\t48 89 30             \tmov    %rsi,(%rax)                   | mov | %rsi,(%rax)",
            "  1004:\t48 8d 3d 2b 2f 00 00 \tlea    0x2f2b(%rip),%rdi        # 0x3f36 | lea | 0x2f2b(%rip),%rdi",
            "  100b:\tf3 48 ab             \trep stos %rax,%es:(%rdi)             | rep stos | %rax,%es:(%rdi)",
            "  1010:\t48                   \trex.W                                | rex.W | ''",
            "  1011:\t89                   \t.byte 0x89                           | .byte | 0x89",
    })
    void objdumpLines(String line, String mnemonic, String operands) {
        List<ObjdumpOutput.Line> lines = ObjdumpOutput.parse(line);
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.mnemonic()).isEqualTo(mnemonic);
            assertThat(l.operands()).isEqualTo(operands);
        });
    }

    /** decodeEveryOffset decodes at a laid-out address; the printed target must follow the real address. */
    @ParameterizedTest
    @CsvSource({"jne,0x1010,0x1000,0x3000,0x3010", "call,0xffffffff81000100,0xffffffff81000000,0x20,0x120",
            "mov,0x1010,0x1000,0x3000,0x1010"})
    void relativeTargetsMoveWithTheInstruction(String mnemonic, String target, String from, String to, String moved) {
        ObjdumpOutput.Line l = ObjdumpOutput.split(Long.parseUnsignedLong(from.substring(2), 16), new byte[2],
                mnemonic + "    " + target);
        assertThat(l.at(Long.parseUnsignedLong(to.substring(2), 16)).operands()).isEqualTo(moved);
    }
}
