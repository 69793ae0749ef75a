package kdive.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import kdive.disasm.Disassembler;
import kdive.disasm.Disassemblers;
import kdive.disasm.Instruction;
import kdive.disasm.Syntax;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.elf.Symbol;
import kdive.testkit.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's faulting store, compiled from a user-space copy of its inline chain (skb_entail ->
 * __skb_queue_tail -> __skb_queue_before -> __skb_insert) with gcc -O2: an oops built from the
 * program's real bytes at the store {@code mov %rsi,(%rax)} must name {@code (%rax)} as
 * {@code prev->next} and say that prev was loaded from {@code sk->sk_write_queue.prev}.
 */
class OperandNamingTest {
    @TempDir
    static Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"-gdwarf-5", "-gdwarf-4"})
    void theSeedsStoreIsNamedInSourceTerms(String flag) throws Exception {
        Path exe = Tools.gcc(dir, Tools.source("prog.c"), "seed" + flag.replace('-', '_'), "-g", "-O2", flag,
                "-I" + Tools.source("list.h").getParent());
        String oops = oopsAtTheStore(exe);
        List<Analysis> analyses;
        try (Triage triage = Triage.create(Syntax.ATT, exe)) {
            analyses = triage.analyzeText("oops.txt", oops);
        }
        Analysis a = analyses.getFirst();
        assertThat(a.faultingAccess().orElseThrow().text()).isEqualTo("mov %rsi,(%rax)");
        List<NamedOperand> ops = a.symbols().orElseThrow().operands();
        NamedOperand store = ops.stream().filter(o -> o.operand().equals("(%rax)")).findFirst().orElseThrow();
        assertThat(store.expression()).isEqualTo("prev->next");
        assertThat(store.type()).isEqualTo("struct sk_buff *");
        assertThat(store.function()).isEqualTo("__skb_insert");
        assertThat(store.loadedFrom()).startsWith("sk->sk_write_queue.prev (%rax loaded at skb_entail+0x0 by mov 0x18(%rdi),%rax)");
        assertThat(store.throughLoad()).isEqualTo("sk->sk_write_queue.prev->next");
        assertThat(ops).anySatisfy(o -> {
            assertThat(o.operand()).isEqualTo("%rsi");
            assertThat(o.expression()).isEqualTo("newsk");
        });
        assertThat(TextReport.render(List.of(a))).contains("(%rax) is prev->next (struct sk_buff *) in __skb_insert");
    }

    /** A 6.x-style oops at skb_entail's {@code mov %rsi,(%rax)}, with the program's own bytes as Code:. */
    private static String oopsAtTheStore(Path exe) throws Exception {
        try (var elf = ElfFile.open(exe); Disassembler dis = Disassemblers.best()) {
            Symbol f = elf.symbols().findByName("skb_entail").orElseThrow();
            Section text = elf.sectionContaining(f.value()).orElseThrow();
            byte[] all = elf.contents(text).toArray(ValueLayout.JAVA_BYTE);
            int at = (int) (f.value() - text.addr());
            byte[] code = java.util.Arrays.copyOfRange(all, at, at + (int) f.size());
            long store = -1;
            for (Instruction in : dis.decode(code, f.value(), Syntax.ATT)) {
                if (in.text().replaceAll("\\s+", " ").equals("mov %rsi,(%rax)")) {
                    store = in.address();
                }
            }
            assertThat(store).as("skb_entail stores through prev").isNotEqualTo(-1);
            int marker = (int) (store - text.addr());
            var bytes = new ArrayList<String>();
            for (int i = Math.max(0, marker - 42); i < Math.min(all.length, marker + 22); i++) {
                String hex = HexFormat.of().toHexDigits(all[i]);
                bytes.add(i == marker ? "<" + hex + ">" : hex);
            }
            return String.join("\n",
                    "BUG: kernel NULL pointer dereference, address: 0000000000000000",
                    "#PF: supervisor write access in kernel mode",
                    "#PF: error_code(0x0002) - not-present page",
                    "Oops: 0002 [#1] PREEMPT SMP NOPTI",
                    "CPU: 0 PID: 1 Comm: prog Not tainted 6.1.0 #1",
                    "RIP: 0010:skb_entail+0x%x/0x%x".formatted(store - f.value(), f.size()),
                    "Code: " + String.join(" ", bytes),
                    "RSP: 0018:ffffb0b0c0003d48 EFLAGS: 00010246",
                    "RAX: 0000000000000000 RBX: 0000000000000000 RCX: 0000000000000000",
                    "RDX: ffff888003a00010 RSI: ffff888003b00000 RDI: ffff888003a00000",
                    "RBP: 0000000000000000 R08: 0000000000000000 R09: 0000000000000000",
                    "R10: 0000000000000000 R11: 0000000000000000 R12: 0000000000000000",
                    "R13: 0000000000000000 R14: 0000000000000000 R15: 0000000000000000",
                    "Call Trace:",
                    " <TASK>",
                    " main+0x50/0x100",
                    " </TASK>",
                    "");
        }
    }
}
