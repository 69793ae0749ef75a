package kdive.triage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import kdive.disasm.CodeWindow;
import kdive.disasm.Syntax;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The code listing's addresses: printed by old oopses, absent from 4.x+ x86 ones ({@code RIP: 0010:sym+off/size}).
 * Without one the listing shows offsets only, never addresses counted from 0; with the vmlinux it shows the
 * function's address there, slid by the KASLR offset when the log prints it.
 */
class CodeAddressTest {

    /** A 5.x oops as people paste it: no absolute IP anywhere. */
    static String modernOops(String rip, String kernelOffset) {
        return """
                BUG: kernel NULL pointer dereference, address: 0000000000000000
                #PF: supervisor write access in kernel mode
                #PF: error_code(0x0002) - not-present page
                Oops: 0002 [#1] SMP PTI
                CPU: 2 PID: 3166 Comm: nginx Not tainted 5.10.0-21-amd64 #1 Debian 5.10.162-1
                RIP: 0010:%s
                Code: 48 8b 47 08 48 85 c0 74 05 4c 89 e6 <48> 89 30 c3 90 90 90 90
                RSP: 0018:ffff8884ea47fa80 EFLAGS: 00010246
                RAX: 0000000000000000 RBX: ffff8882b9c06640 RCX: 000000000000d54c
                RDX: 0000000000000000 RSI: ffff88844c2f3f00 RDI: 0000000000000000
                Call Trace:
                 tcp_sendmsg_locked+0x2c6/0xc60
                %s""".formatted(rip, kernelOffset);
    }

    @Test
    void withoutAnAddressTheListingShowsOffsetsOnly() throws Exception {
        Analysis a;
        try (Triage triage = Triage.create()) {
            a = triage.analyzeText("oops", modernOops("tcp_skb_entail+0x59/0x130", "")).getFirst();
        }
        assertThat(a.code().entries()).as(a.code().note()).isNotEmpty();
        assertThat(a.codeAddressesKnown()).isFalse();
        assertThat(a.code().note()).contains("offsets only");
        String text = TextReport.render(List.of(a));
        assertThat(text).contains("mov    %rsi,(%rax)").doesNotContain("0000000000000000  48 89 30")
                .doesNotContain("fffffffffffffff");
        JsonNode json = new ObjectMapper().readTree(JsonReports.toJson(List.of(a))).path("reports").get(0);
        for (JsonNode e : json.path("disassembly")) {
            assertThat(e.path("address").isNull()).as(e.toString()).isTrue();
            assertThat(e.path("offset").isInt()).isTrue();
        }
    }

    @Test
    void anAddressPrintedByTheOopsIsUsed() {
        String old = """
                BUG: unable to handle kernel NULL pointer dereference at           (null)
                IP: [<ffffffff81573762>] skb_entail+0x52/0xd0
                Oops: 0002 [#1] SMP
                CPU: 0 PID: 2790 Comm: nginx Not tainted 3.10.0-327.36.1.el7.x86_64 #1
                RIP: 0010:[<ffffffff81573762>]  [<ffffffff81573762>] skb_entail+0x52/0xd0
                Code: 48 8b 47 08 48 85 c0 74 05 4c 89 e6 <48> 89 30 c3 90 90 90 90
                """;
        try (Triage triage = Triage.create()) {
            Analysis a = triage.analyzeText("oops", old).getFirst();
            assertThat(a.codeAddressesKnown()).isTrue();
            assertThat(a.code().faulting().orElseThrow().address()).isEqualTo(0xffffffff81573762L);
        }
    }

    @Test
    @Tag("vmcore")
    void withTheVmlinuxTheFunctionsAddressSlidByTheLogsKaslrOffset() throws Exception {
        Path vmlinux = Fixtures.kernel().resolve("vmlinux");
        long start;
        long size;
        try (var symbolizer = kdive.symbolize.Symbolizer.open(vmlinux)) {
            var sym = symbolizer.function("tcp_sendmsg_locked", 0).orElseThrow();
            start = sym.value();
            size = sym.size();
        }
        String rip = "tcp_sendmsg_locked+0x10/0x%x".formatted(size);
        try (Triage triage = Triage.create(Syntax.ATT, vmlinux)) {
            Analysis slid = triage.analyzeText("oops", modernOops(rip,
                    "Kernel Offset: 0x2a000000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)\n"))
                    .getFirst();
            assertThat(slid.codeAddressesKnown()).isTrue();
            assertThat(slid.code().faulting().map(CodeWindow.Entry::address)).hasValue(start + 0x10 + 0x2a000000L);
            assertThat(slid.code().note()).contains("KASLR offset 0x2a000000");

            Analysis unslid = triage.analyzeText("oops", modernOops(rip, "")).getFirst();
            assertThat(unslid.code().faulting().map(CodeWindow.Entry::address)).hasValue(start + 0x10);
            assertThat(unslid.code().note()).contains("prints no KASLR offset");
        }
    }
}
