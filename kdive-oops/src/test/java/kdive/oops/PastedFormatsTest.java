package kdive.oops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The formats of issue 9 that the real-world corpus holds no text for, one case each, written from the
 * kernel's printing code ({@code dump_stack_print_info()}, {@code __show_regs()}, {@code show_trace_log_lvl()},
 * arm64 {@code dump_backtrace()}, riscv {@code __show_regs()}) and compared on the facts the corpus checks.
 */
class PastedFormatsTest {

    private static final String NULL_DEREF = """
            BUG: kernel NULL pointer dereference, address: 0000000000000010
            #PF: supervisor read access in kernel mode
            #PF: error_code(0x0000) - not-present page
            Oops: 0000 [#1] PREEMPT SMP NOPTI
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("vendor localversion with dots", NULL_DEREF + """
                        CPU: 12 UID: 0 PID: 4242 Comm: kworker/12:1 Not tainted 6.12.33-cloudflare-2025.6.3 #1
                        RIP: 0010:tcp_skb_entail+0x59/0x130
                        """, Map.of("RELEASE", "6.12.33-cloudflare-2025.6.3", "CPU", "12", "PID", "4242",
                        "COMM", "kworker/12:1", "IP", "tcp_skb_entail+0x59/0x130")),
                Arguments.of("rc with plus, preemption model after the version (6.16+)", NULL_DEREF + """
                        CPU: 0 UID: 1000 PID: 77 Comm: Web Content Tainted: G        W          6.13.0-rc5+ #3 PREEMPT(voluntary)
                        RIP: 0010:__skb_insert.constprop.0.isra.0+0x4/0x20 [crashlab_skb]
                        """, Map.of("RELEASE", "6.13.0-rc5+", "COMM", "Web Content", "PID", "77",
                        "IP", "__skb_insert.constprop.0.isra.0+0x4/0x20 [crashlab_skb]")),
                Arguments.of("linux-next release", NULL_DEREF + """
                        CPU: 3 PID: 1 Comm: swapper/0 Not tainted 5.9.0-rc5-next-20200915 #1
                        """, Map.of("RELEASE", "5.9.0-rc5-next-20200915", "COMM", "swapper/0", "PID", "1", "CPU", "3")),
                Arguments.of("release wrapped onto the next line", NULL_DEREF + """
                        CPU: 1 PID: 2601 Comm: systemd-udevd Kdump: loaded Tainted: G           OE    --------- -  -
                        4.18.0-305.el8.x86_64 #1
                        """, Map.of("RELEASE", "4.18.0-305.el8.x86_64", "COMM", "systemd-udevd", "PID", "2601")),
                Arguments.of("PID cut by the console's width", NULL_DEREF + """
                        CPU: 7 PID: 31
                        337 Comm: java Not tainted 5.14.0-70.el9.x86_64 #1
                        """, Map.of("PID", "31337", "COMM", "java", "RELEASE", "5.14.0-70.el9.x86_64")),
                Arguments.of("clone suffixes kept whole in the IP and the trace", NULL_DEREF + """
                        CPU: 0 PID: 9 Comm: ksoftirqd/0 Not tainted 6.1.0-18-amd64 #1 Debian 6.1.76-1
                        RIP: 0010:ip_rcv_core.part.0.cold+0x1c/0x29
                        Call Trace:
                         <IRQ>
                         ? __die+0x20/0x70
                         ip_list_rcv.llvm.4471302853960447733+0x3c/0x120
                         </IRQ>
                        """, Map.of("IP", "ip_rcv_core.part.0.cold+0x1c/0x29",
                        "FRAME", "ip_list_rcv.llvm.4471302853960447733+0x3c/0x120")),
                Arguments.of("4.x trace markers on lines of their own, unreliable frames first", NULL_DEREF + """
                        CPU: 0 PID: 9 Comm: ksoftirqd/0 Not tainted 4.19.0-6-amd64 #1 Debian 4.19.67-2
                        RIP: 0010:dev_gro_receive+0x2b0/0x6d0
                        Call Trace:
                         <IRQ>
                         ? skb_gro_receive+0x120/0x330
                         ? napi_gro_receive+0x38/0xe0
                         napi_gro_receive+0x38/0xe0
                         </IRQ>
                        ---[ end trace 2bc6e4a3b1b8e3f1 ]---
                        """, Map.of("FRAME", "napi_gro_receive+0x38/0xe0")),
                Arguments.of("arm64 with a module and build id", """
                        Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008
                        Internal error: Oops: 0000000096000006 [#1] PREEMPT SMP
                        CPU: 5 PID: 812 Comm: kworker/u16:3 Tainted: G           O       6.6.23-android15-8-g1d5 #1
                        pc : qcom_glink_rx_data+0x58/0x1f0 [qcom_glink 6b1d6c2d0f3e4f8a]
                        lr : qcom_glink_native_rx+0x3b8/0x6d0 [qcom_glink]
                        Call trace:
                         qcom_glink_rx_data+0x58/0x1f0 [qcom_glink 6b1d6c2d0f3e4f8a]
                         qcom_glink_native_rx+0x3b8/0x6d0 [qcom_glink]
                        """, Map.of("IP", "qcom_glink_rx_data+0x58/0x1f0 [qcom_glink]", "ACCESS", "read",
                        "FAULT-ADDRESS", "0x8", "FRAME", "qcom_glink_rx_data+0x58/0x1f0 [qcom_glink]", "CPU", "5")),
                Arguments.of("arm with an exception stack inside the trace", """
                        8<--- cut here ---
                        Unable to handle kernel NULL pointer dereference at virtual address 00000000 when write
                        Internal error: Oops: 817 [#1] SMP ARM
                        CPU: 1 PID: 88 Comm: irq/40-mmc0 Not tainted 6.1.21-v7+ #1642
                        PC is at sdhci_irq+0x4c/0x9a0
                        LR is at irq_thread_fn+0x2c/0x70
                        pc : [<c09b1f2c>]    lr : [<c017f3a8>]    psr: 60000013
                        Backtrace:
                        [<c09b1ee0>] (sdhci_irq) from [<c017f3a8>] (irq_thread_fn+0x2c/0x70)
                         r10:c1e06000 r9:c1c0b200 r8:00000000 r7:c1f4b000 r6:c1c0b200 r5:c1e07f28
                        Exception stack(0xc1e07fb0 to 0xc1e07ff8)
                        7fa0:                                     00000000 00000000 00000000 00000000
                        [<c017f37c>] (irq_thread_fn) from [<c017f6c4>] (irq_thread+0x1a8/0x29c)
                        """, Map.of("IP", "sdhci_irq+0x4c/0x9a0", "ACCESS", "write", "FAULT-ADDRESS", "0x0",
                        "FRAME", "sdhci_irq", "COMM", "irq/40-mmc0")),
                Arguments.of("riscv epc with a symbol", """
                        Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000
                        Oops [#1]
                        CPU: 2 PID: 120 Comm: modprobe Not tainted 6.6.0 #1
                        epc : hello_init+0x10/0x1000 [hello]
                         ra : do_one_initcall+0x4c/0x1f0
                        epc : ffffffff01a4d010 ra : ffffffff8000285c sp : ff20000000bb3c80
                        """, Map.of("IP", "hello_init+0x10/0x1000 [hello]", "CPU", "2", "FAULT-ADDRESS", "0x0")),
                Arguments.of("dmesg -T, caller ids and a mail quote on every line", """
                        > [Tue Jul 21 07:02:43 2020] [ T4711] BUG: kernel NULL pointer dereference, address: 0000000000000010
                        > [Tue Jul 21 07:02:43 2020] [ T4711] #PF: supervisor write access in kernel mode
                        > [Tue Jul 21 07:02:43 2020] [ T4711] CPU: 2 PID: 4711 Comm: nginx Not tainted 5.8.0-63-generic #71-Ubuntu
                        > [Tue Jul 21 07:02:43 2020] [ T4711] RIP: 0010:skb_entail+0x52/0xd0
                        """, Map.of("ACCESS", "write", "PID", "4711", "IP", "skb_entail+0x52/0xd0",
                        "TITLE", "BUG: unable to handle kernel NULL pointer dereference in skb_entail")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void factsReadAsTheKernelPrintedThem(String name, String log, Map<String, String> expected) {
        assertThat(OopsFacts.of(log)).containsAllEntriesOf(expected);
    }
}
