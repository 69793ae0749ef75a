package kdive.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kdive.disasm.Syntax;
import kdive.oops.Frame;
import kdive.testkit.Fixtures;
import kdive.testkit.Tools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code analyze --vmlinux} on a real oops (scripts/make-vmcores.sh, sysrq scenario) with the real
 * Debian debug vmlinux: every trace frame's chain must equal {@code addr2line -f -i} at the call.
 */
@Tag("vmcore")
class VmlinuxSymbolizationTest {

    @Test
    void traceFramesMatchAddr2lineAtTheCall() throws Exception {
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        Path console = Fixtures.scenario("sysrq").resolve("console.log");
        List<Analysis> analyses;
        try (Triage triage = Triage.create(Syntax.ATT, vmlinux)) {
            analyses = triage.analyzeText("console.log", Files.readString(console));
        }
        assertThat(analyses).isNotEmpty();
        Analysis a = analyses.getFirst();
        Symbolized sym = a.symbols().orElseThrow();
        assertThat(sym.warnings()).isEmpty();
        List<Frame> trace = a.details().callTrace();
        int checked = 0;
        try (var symbolizer = kdive.symbolize.Symbolizer.open(vmlinux)) {
            for (int i = 0; i < trace.size(); i++) {
                Frame f = trace.get(i);
                if (f.symbol().isEmpty() || !f.module().isEmpty()) {
                    continue;
                }
                // Static functions can share a name: the copy the frame's printed size fits is meant.
                long call = symbolizer.function(f.symbol(), f.size()).orElseThrow().value() + f.offset() - 1;
                List<String> expected = addr2line(vmlinux, call);
                var actual = new ArrayList<String>();
                for (SourceFrame sf : sym.callTrace().get(i)) {
                    actual.add(sf.function());
                    actual.add(sf.file() + ":" + sf.line());
                }
                assertThat(actual).as(f.display()).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(5);
        assertThat(sym.callTrace().stream().flatMap(List::stream).map(SourceFrame::file))
                .anyMatch(file -> file.endsWith("drivers/tty/sysrq.c"));
    }

    /**
     * The reproduced incident (crashlab_skb writes through a NULL prev in inlined __skb_insert): with
     * the module's debug file the faulting IP resolves to the whole inline chain the engineer had to
     * dig out with objdump -S.
     */
    @Test
    @org.junit.jupiter.api.Tag("every-kernel")
    void moduleFrameOfTheReproducedIncidentShowsTheInlineChain() throws Exception {
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        Path skb = Fixtures.scenario("skb");
        List<Analysis> analyses;
        try (Triage triage = Triage.create(Syntax.ATT, vmlinux,
                java.util.Map.of("crashlab_skb", skb.resolve("crashlab_skb.ko")))) {
            analyses = triage.analyzeText("console.log", Files.readString(skb.resolve("console.log")));
        }
        Analysis a = analyses.getFirst();
        assertThat(a.details().ip().orElseThrow().symbol()).isEqualTo("crashlab_entail");
        List<String> chain = a.symbols().orElseThrow().ip().stream().map(SourceFrame::function).toList();
        assertThat(chain).containsExactly("__skb_insert", "__skb_queue_before", "__skb_queue_tail", "crashlab_entail");
        assertThat(a.symbols().orElseThrow().ip().getFirst().file()).endsWith("include/linux/skbuff.h");
        assertThat(a.symbols().orElseThrow().warnings()).isEmpty();

        // QEMU's oops has no code bytes ("Unable to access opcode bytes"): the code comes from the .ko.
        assertThat(a.code().note()).contains("crashlab_skb.ko");
        // ... at the addresses it ran at: the module's base (from the guest's /proc/modules) + 0x14.
        var base = java.util.regex.Pattern.compile("crashlab_skb \\d+ \\d+ - Live 0x([0-9a-f]+)")
                .matcher(Files.readString(skb.resolve("console.log")));
        assertThat(base.find()).isTrue();
        assertThat(a.code().entries()).filteredOn(kdive.disasm.CodeWindow.Entry::faulting).extracting(kdive.disasm.CodeWindow.Entry::address)
                .containsExactly(Long.parseUnsignedLong(base.group(1), 16) + 0x14);
        assertThat(a.faultingAccess().orElseThrow().text()).isEqualTo("mov %rsi,(%rax)");
        assertThat(a.faultingAccess().orElseThrow().guiltyRegister()).isEqualTo("rax");
        // The operands in source terms, as the engineer of the seed incident needed them.
        List<NamedOperand> ops = a.symbols().orElseThrow().operands();
        assertThat(ops).extracting(NamedOperand::operand, NamedOperand::expression, NamedOperand::type, NamedOperand::function)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("(%rax)", "prev->next", "struct sk_buff *", "__skb_insert"),
                        org.assertj.core.groups.Tuple.tuple("%rsi", "newsk", "struct sk_buff *", "__skb_insert"));
        assertThat(ops.getFirst().inferred()).isFalse();
        assertThat(ops.getFirst().loadedFrom())
                .startsWith("next->prev, i.e. queue->prev in crashlab_entail")
                .contains("crashlab_entail+0x5 by mov 0x8(%rdi),%rax");
        assertThat(ops.getFirst().throughLoad()).isEqualTo("next->prev->next, i.e. queue->prev->next in crashlab_entail");
    }

    /**
     * The seed's crash on the real Debian 6.1 kernel: tcp_skb_entail inlines the same chain down
     * to __skb_insert. An oops at its store through prev (offset found by decoding the function)
     * must name the operand and trace prev back to sk->sk_write_queue.prev, as the incident's
     * engineer worked out by hand.
     */
    @Test
    void theSeedsStoreInTheRealKernelIsNamedInSourceTerms() throws Exception {
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        long offset = -1;
        long size;
        try (var sym = kdive.symbolize.Symbolizer.open(vmlinux); var dis = kdive.disasm.Disassemblers.best()) {
            var code = sym.functionCode("tcp_skb_entail").orElseThrow();
            size = code.bytes().length;
            for (var in : dis.decode(code.bytes(), code.start(), Syntax.ATT)) {
                if (offset < 0 && in.text().replaceAll("\\s+", " ").equals("mov %rsi,(%rax)")) {
                    offset = in.address() - code.start();
                }
            }
        }
        assertThat(offset).as("tcp_skb_entail stores through prev").isPositive();
        String oops = String.join("\n",
                "BUG: kernel NULL pointer dereference, address: 0000000000000000",
                "#PF: supervisor write access in kernel mode",
                "#PF: error_code(0x0002) - not-present page",
                "Oops: 0002 [#1] PREEMPT SMP NOPTI",
                "CPU: 1 PID: 4242 Comm: nginx Not tainted " + Fixtures.kernel().getFileName() + " #1  Debian",
                "RIP: 0010:tcp_skb_entail+0x%x/0x%x".formatted(offset, size),
                "RAX: 0000000000000000 RBX: 0000000000000000 RCX: 0000000000000000",
                "RDX: ffff888003a00168 RSI: ffff888003b00000 RDI: ffff888003a00000",
                "Call Trace:", " <TASK>", " tcp_sendmsg_locked+0x2f4/0xc1b", " </TASK>", "");
        Analysis a;
        try (Triage triage = Triage.create(Syntax.ATT, vmlinux)) {
            a = triage.analyzeText("oops.txt", oops).getFirst();
        }
        assertThat(a.symbols().orElseThrow().ip()).extracting(SourceFrame::function)
                .startsWith("__skb_insert", "__skb_queue_before", "__skb_queue_tail");
        NamedOperand store = a.symbols().orElseThrow().operands().getFirst();
        assertThat(store.operand()).isEqualTo("(%rax)");
        assertThat(store.expression()).isEqualTo("prev->next");
        assertThat(store.loadedFrom()).startsWith("sk->sk_write_queue.prev (%rax loaded at tcp_skb_entail+0x");
        assertThat(store.throughLoad()).isEqualTo("sk->sk_write_queue.prev->next");
    }

    /**
     * Static functions of several files share a name (put_page has many out-of-line copies): an
     * oops frame's printed size picks the copy, so its chain and the size check are about that
     * copy, not the first one of the name (which raised a false "not the crashed kernel's").
     */
    @Test
    void aFramesPrintedSizePicksAmongSameNamedStaticFunctions() throws Exception {
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        try (var symbolizer = kdive.symbolize.Symbolizer.open(vmlinux)) {
            var copies = symbolizer.elf().symbols().allByName("put_page").stream()
                    .filter(s -> s.type() == kdive.elf.Symbol.STT_FUNC && s.size() > 0).toList();
            var first = symbolizer.function("put_page", 0).orElseThrow();
            // A copy smaller than the first: its exact size is a printed size the first cannot have.
            long printed = copies.stream().mapToLong(kdive.elf.Symbol::size).filter(n -> n < first.size()).min()
                    .orElseThrow(() -> new AssertionError("no put_page copy smaller than the first: " + copies));
            var other = symbolizer.function("put_page", printed).orElseThrow();
            assertThat(other).isNotEqualTo(first);
            assertThat(kdive.symbolize.Symbolizer.sizeFits(other.size(), printed)).isTrue();
            String oops = String.join("\n",
                    "BUG: kernel NULL pointer dereference, address: 0000000000000008",
                    "#PF: supervisor read access in kernel mode",
                    "Oops: 0000 [#1] PREEMPT SMP NOPTI",
                    "CPU: 0 PID: 1 Comm: init Not tainted " + Fixtures.kernel().getFileName() + " #1  Debian",
                    "RIP: 0010:put_page+0x4/0x%x".formatted(printed),
                    "Call Trace:", " <TASK>", " put_page+0x4/0x%x".formatted(printed), " </TASK>", "");
            Analysis a;
            try (Triage triage = Triage.create(Syntax.ATT, vmlinux)) {
                a = triage.analyzeText("oops.txt", oops).getFirst();
            }
            assertThat(a.symbols().orElseThrow().warnings()).isEmpty();
            List<String> expected = addr2line(vmlinux, other.value() + 4);
            assertThat(a.symbols().orElseThrow().ip()).extracting(sf -> sf.function())
                    .isEqualTo(expected.stream().filter(l -> !l.contains(":")).toList());
        }
    }

    private static List<String> addr2line(Path vmlinux, long address) throws Exception {
        return Tools.run(List.of("addr2line", "-f", "-i", "-e", vmlinux.toString(), Long.toHexString(address)))
                .lines().map(l -> l.replaceFirst(" \\(discriminator \\d+\\)$", "")).toList();
    }
}
