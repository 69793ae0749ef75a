package kdive.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kdive.disasm.CodeWindow;
import kdive.disasm.Disassembler;
import kdive.disasm.Disassemblers;
import kdive.oops.CodeBytes;
import kdive.oops.OopsDetails;
import kdive.oops.OopsDetailsParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Faulting-operand verdicts on real oops excerpts (registers, Code: line and fault header as printed). */
class FaultingAccessTest {

    static Disassembler disassembler;

    @BeforeAll
    static void open() {
        disassembler = Disassemblers.best();
    }

    @AfterAll
    static void close() {
        disassembler.close();
    }

    record Case(String name, List<String> lines, String register, long effectiveAddress, String verdict) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("centos7 skb_entail NULL write", List.of(
                        "BUG: unable to handle kernel NULL pointer dereference at           (null)",
                        "IP: [<ffffffff81573762>] skb_entail+0x52/0xd0",
                        "Oops: 0002 [#1] SMP ",
                        "RIP: 0010:[<ffffffff81573762>]  [<ffffffff81573762>] skb_entail+0x52/0xd0",
                        "RAX: 0000000000000000 RBX: 0000000000003890 RCX: 00000000ffffffff",
                        "RDX: ffff8801089c9038 RSI: ffff8801089c9038 RDI: ffff8801089c8f00",
                        "CR2: 0000000000000000 CR3: 000000018fe71000 CR4: 00000000000007f0",
                        "Code: 4d 00 89 46 44 89 46 40 8b 86 dc 00 00 00 c7 44 02 24 01 00 01 00 48 8b 87 40 01 00 00 48 8d 97 38 01 00 00 48 89 16 48 89 46 08 <48> 89 30 83 87 48 01 00 00 01 48 83 bf 68 02 00 00 00 48 89 b7"),
                        "rax", 0, "write to 0x0 through %rax = NULL at mov %rsi,(%rax)"),
                new Case("KASAN shadow check of a NULL member (GPF, non-canonical)", List.of(
                        "general protection fault, probably for non-canonical address 0xdffffc0000000002: 0000 [#1] PREEMPT SMP KASAN",
                        "RIP: 0010:rb_erase+0xb7/0x1210",
                        "Code: 5e 10 4c 89 f5 48 ba 00 00 00 00 00 fc ff df 48 85 db 75 0b e9 9f 04 00 00 48 89 dd 48 89 c3 4c 8d 63 10 4c 89 e0 48 c1 e8 03 <80> 3c 10 00 0f 85 f3 0b 00 00 48 8b 43 10 48 85 c0 75 dc 48 8d 7b",
                        "RAX: 0000000000000002 RBX: 0000000000000001 RCX: 1ffff11000022949",
                        "RDX: dffffc0000000000 RSI: ffff888000114e08 RDI: ffff888000114a48",
                        "CR2: 0000000000caa008 CR3: 00000000a7aa1000 CR4: 00000000001506f0"),
                        "rax", 0xdffffc0000000002L,
                        "read from 0xdffffc0000000002 (KASAN shadow of NULL + 0x10) through %rax = 0x2 (NULL + 0x2) at cmpb $0x0,(%rax,%rdx,1)"),
                // An 8-byte read 7 bytes before an unmapped page faults at the page, not at its start.
                new Case("read crossing into an unmapped page (corpus report 602)", List.of(
                        "BUG: unable to handle page fault for address: ffffffff89c00000",
                        "#PF: supervisor read access in kernel mode",
                        "#PF: error_code(0x0000) - not-present page",
                        "Oops: 0000 [#1] PREEMPT SMP",
                        "RIP: 0010:kcsan_setup_watchpoint+0x1fb/0x470",
                        "Code: db 0f 85 4f 02 00 00 e9 54 02 00 00 41 0f b7 06 89 c2 c1 ea 08 31 ed 31 c9 eb 23 41 8b 06 89 c2 c1 ea 08 89 c1 c1 e9 10 eb 14 <49> 8b 06 89 c2 c1 ea 08 89 c1 c1 e9 10 48 89 c5 48 c1 ed 20 89 54",
                        "RAX: 0000000000000000 RBX: 0000000000000040 RCX: 0000000000000000",
                        "R13: 0000000000000000 R14: ffffffff89bffff9 R15: 0000000000000008",
                        "CR2: ffffffff89c00000 CR3: 000000013964b000 CR4: 00000000001526e0"),
                        "r14", 0xffffffff89bffff9L,
                        "read from 0xffffffff89bffff9 through %r14 = 0xffffffff89bffff9 at mov (%r14),%rax"
                                + " (the access reaches into the unmapped page at 0xffffffff89c00000)"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void verdict(Case c) {
        OopsDetails d = OopsDetailsParser.parse(c.lines());
        CodeBytes code = d.code().orElseThrow();
        long ip = d.ip().orElseThrow().address().orElse(0);
        CodeWindow w = CodeWindow.decode(disassembler, code.bytes(), code.markerIndex(), ip);
        FaultingAccess fa = FaultingAccess.analyze(d, w).orElseThrow();
        assertThat(fa.guiltyRegister()).isEqualTo(c.register());
        assertThat(fa.effectiveAddress()).hasValue(c.effectiveAddress());
        assertThat(fa.matchesFault()).contains(true);
        assertThat(fa.verdict()).isEqualTo(c.verdict());
    }
}
