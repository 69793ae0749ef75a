package kdive.oops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real-world shapes beyond syzkaller's console logs: old kernels, dmesg, vmcore-dmesg, syslog, journal. */
class ReportParserShapesTest {

    private static final ReportParser PARSER = ReportParser.linux();
    private static final String SKB_ENTAIL_TITLE = "BUG: unable to handle kernel NULL pointer dereference in skb_entail";

    private static String seedExample() throws IOException {
        String root = System.getProperty("kdive.root", "..");
        return Files.readString(Path.of(root, "examples/centos7-skb_entail/vmcore-dmesg.txt"));
    }

    private static String eachLine(String text, UnaryOperator<String> f) {
        return text.lines().map(f).collect(Collectors.joining("\n", "", "\n"));
    }

    private static String stripStamp(String line) {
        return line.replaceFirst("^\\[ *[0-9]+\\.[0-9]+\\] ", "");
    }

    @Test
    void centos7VmcoreDmesgSeedExample() throws IOException {
        List<CrashReport> all = PARSER.parseAll(seedExample());
        assertThat(all).hasSize(1);
        CrashReport r = all.getFirst();
        assertThat(r.title()).isEqualTo(SKB_ENTAIL_TITLE);
        assertThat(r.frame()).isEqualTo("skb_entail");
        assertThat(r.type()).isEqualTo("NULL-POINTER-DEREFERENCE");
        assertThat(r.altTitles()).containsExactly("bad-access in skb_entail");
        assertThat(r.corrupted()).isFalse();
        assertThat(r.startLine()).isEqualTo(1);
        assertThat(r.reportLines().getFirst())
                .isEqualTo("BUG: unable to handle kernel NULL pointer dereference at           (null)");
        assertThat(r.reportLines()).contains("IP: [<ffffffff81573762>] skb_entail+0x52/0xd0", "Call Trace:");
        assertThat(r.reportLines()).noneMatch(l -> l.startsWith("[705327"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"syslog", "journal", "iso", "level", "level+stamp", "bare", "crlf"})
    void seedExampleUnderOtherPrefixes(String shape) throws IOException {
        String seed = seedExample();
        String log = switch (shape) {
            case "syslog" -> eachLine(seed, l -> "Nov 25 10:00:00 web01 kernel: " + l);
            case "journal" -> eachLine(seed, l -> "Nov  5 10:00:00.123456 web01 kernel: " + stripStamp(l));
            case "iso" -> eachLine(seed, l -> "2024-11-25T10:00:00.123456+00:00 web01 kernel: " + l);
            case "level" -> eachLine(seed, l -> "<1>" + stripStamp(l));
            case "level+stamp" -> eachLine(seed, l -> "<4>" + l);
            case "bare" -> eachLine(seed, ReportParserShapesTest::stripStamp);
            default -> eachLine(seed, l -> l + "\r");
        };
        log = "Nov 25 09:59:59 web01 systemd[1]: Started Session 1 of user root.\n" + log;
        List<CrashReport> all = PARSER.parseAll(log);
        assertThat(all).as(shape).hasSize(1);
        CrashReport r = all.getFirst();
        assertThat(r.title()).isEqualTo(SKB_ENTAIL_TITLE);
        assertThat(r.frame()).isEqualTo("skb_entail");
        assertThat(r.startLine()).isEqualTo(2);
        assertThat(r.corrupted()).isFalse();
        assertThat(r.reportLines()).anyMatch(l -> l.equals("IP: [<ffffffff81573762>] skb_entail+0x52/0xd0"));
        assertThat(r.reportLines()).noneMatch(l -> l.contains("kernel: ") || l.contains("\r") || l.startsWith("<"));
        assertThat(PARSER.mayStartReport(log.lines().skip(1).findFirst().orElseThrow())).isTrue();
    }

    private static final String EL6 = """
            [    0.000000] Linux version 2.6.32-754.el6.x86_64
            [ 1234.567890] BUG: unable to handle kernel paging request at ffff88007a5c9ff8
            [ 1234.567891] IP: [<ffffffff8104f2a3>] __wake_up_common+0x33/0x90
            [ 1234.567892] PGD 1a86063 PUD 1a8a063 PMD 7a4e4067 PTE 0
            [ 1234.567893] Oops: 0000 [#1] SMP
            [ 1234.567896] Pid: 3119, comm: java Not tainted 2.6.32-754.el6.x86_64 #1 VMware Virtual Platform
            [ 1234.567897] RIP: 0010:[<ffffffff8104f2a3>]  [<ffffffff8104f2a3>] __wake_up_common+0x33/0x90
            [ 1234.567902] Call Trace:
            [ 1234.567903]  <IRQ>
            [ 1234.567904]  [<ffffffff81053378>] __wake_up+0x48/0x70
            [ 1234.567905]  [<ffffffffa0213c4f>] xfs_buf_ioend+0x7f/0x110 [xfs]
            [ 1234.567906]  [<ffffffff811c4fbd>] bio_endio+0x1d/0x40
            [ 1234.567907]  <EOI>
            [ 1234.567908]  [<ffffffff8100bc2e>] ? call_softirq+0x1c/0x30
            [ 1234.567910] RIP  [<ffffffff8104f2a3>] __wake_up_common+0x33/0x90
            [ 1234.567914] Kernel panic - not syncing: Fatal exception in interrupt
            [ 1300.000000] ------------[ cut here ]------------
            [ 1300.000001] kernel BUG at net/core/skbuff.c:1234!
            [ 1300.000002] invalid opcode: 0000 [#2] SMP
            [ 1300.000003] CPU: 0 PID: 1 Comm: nginx Tainted: G      D    3.10.0-327.el7.x86_64 #1
            [ 1300.000004] RIP: 0010:[<ffffffff8155ed6a>]  [<ffffffff8155ed6a>] skb_put+0x5a/0x60
            [ 1300.000005] Call Trace:
            [ 1300.000006]  [<ffffffffa01e2b5c>] tun_get_user+0x2c/0x100 [tun]
            [ 1300.000007]  [<ffffffffa01e3c11>] tun_chr_aio_write+0x71/0x90 [tun]
            [ 1300.000008]  [<ffffffff811de5d9>] do_sync_write+0x79/0xd0
            """;

    @Test
    void oldKernelDmesgWithTwoOopses() {
        List<CrashReport> all = PARSER.parseAll(EL6);
        assertThat(all).extracting(CrashReport::title).containsExactly(
                // __wake_up* frames are on syzkaller's skip list; so are skb_ helpers for a kernel BUG,
                // and tun_get_user matches the "get_user" skip pattern.
                "BUG: unable to handle kernel paging request in xfs_buf_ioend",
                "kernel BUG in tun_chr_aio_write");
        CrashReport first = all.get(0);
        assertThat(first.type()).isEqualTo("MEMORY_SAFETY_BUG");
        assertThat(first.startLine()).isEqualTo(2);
        // The region runs to the panic line: "Kernel panic - not syncing" continues a report.
        assertThat(first.endLine()).isEqualTo(16);
        assertThat(first.panicked()).isTrue();
        CrashReport second = all.get(1);
        assertThat(second.type()).isEqualTo("BUG");
        assertThat(second.startLine()).isEqualTo(18);
        assertThat(second.endLine()).as("invalid opcode: 0000 continues the kernel BUG report").isEqualTo(19);
        assertThat(second.panicked()).isFalse();
        assertThat(PARSER.parse(EL6)).contains(first);
    }

    @Test
    void bareLevelPrefixedGeneralProtectionFault() {
        String log = """
                <4>general protection fault: 0000 [#1] SMP
                <4>CPU: 3 PID: 1 Comm: systemd Not tainted 4.18.0-305.el8.x86_64 #1
                <4>RIP: 0010:kmem_cache_alloc+0x7d/0x1b0
                <4>Call Trace:
                <4> getname_flags+0x4f/0x1f0
                <4> do_sys_open+0xa2/0x200
                <4> do_syscall_64+0x5b/0x1a0
                <4> entry_SYSCALL_64_after_hwframe+0x65/0xca
                """;
        CrashReport r = PARSER.parse(log).orElseThrow();
        // The RIP frame (kmem_cache_alloc) is on syzkaller's skip list: the first caller is blamed.
        assertThat(r.title()).isEqualTo("general protection fault in getname_flags");
        assertThat(r.type()).isEqualTo("DoS");
        assertThat(r.corrupted()).isFalse();
        assertThat(r.reportLines().get(2)).isEqualTo("RIP: 0010:kmem_cache_alloc+0x7d/0x1b0");
    }

    @Test
    void binaryGarbageAndReplacementCharactersAreTolerated() {
        byte[] bytes = "[   1.000000] BUG: KASAN: use-after-free in f\u0000oo\u00ff+0x1/0x2\n\u0000\u0001\u00fe\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        String log = new String(bytes, StandardCharsets.UTF_8);
        List<CrashReport> all = PARSER.parseAll(log);
        assertThat(all).hasSize(1);
        assertThat(all.getFirst().title()).startsWith("KASAN: ").matches("[\\x20-\\x7e]+");
        assertThat(all.getFirst().corrupted()).isTrue();
        assertThat(PARSER.parseAll("\u0000".repeat(10_000))).isEmpty();
        assertThat(PARSER.parseAll("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "BUG: unable to handle kernel NULL pointer dereference at (null)",
        "[  12.345678] BUG: KASAN: slab-out-of-bounds in foo+0x1/0x2",
        "[  12.345678][ T1234] WARNING: CPU: 1 PID: 1 at net/core/dev.c:1 f+0x1/0x2",
        "[   1.000000][    C0] INFO: rcu_sched self-detected stall on CPU",
        "<4>[  12.3] general protection fault: 0000 [#1] SMP",
        "<1>Unable to handle kernel paging request at virtual address 00000000",
        "Nov 25 10:00:00 host kernel: [  12.3] BUG: soft lockup - CPU#0 stuck for 22s!",
        "Nov 25 10:00:00 host kernel: kernel BUG at mm/slub.c:3950!",
        "2024-11-25T10:00:00+00:00 host kernel: Kernel panic - not syncing: Fatal exception",
        "divide error: 0000 [#1] SMP", "invalid opcode: 0000 [#1] SMP", "PANIC: double fault, error_code: 0x0",
        "Internal error: Oops: 96000004 [#1] PREEMPT SMP", "UBSAN: array-index-out-of-bounds in net/x.c:1:2",
        "rust_kernel: panicked at rust/kernel/x.rs:1:1:", "SYZFAIL: wrong response", "panic: runtime error",
        "unregister_netdevice: waiting for lo to become free. Usage count = 1", "stack segment: 0000 [#1] SMP",
    })
    void preFilterLetsEveryHeaderThrough(String line) {
        assertThat(PARSER.mayStartReport(line)).isTrue();
        assertThat(PARSER.parse(line + "\n")).isPresent();
    }

    /** The parser drops every {@code \r} (serial consoles interleave them), so the pre-filter must too. */
    @ParameterizedTest
    @ValueSource(strings = {
        "BU\rG: unable to handle kernel NULL pointer dereference at (null)",
        "[  1.0] general protection\r fault: 0000 [#1] SMP\r", "\rKernel panic - not syncing: Fatal exception",
    })
    void preFilterIgnoresCarriageReturnsLikeTheParser(String line) {
        assertThat(PARSER.parse(line + "\n")).isPresent();
        assertThat(PARSER.mayStartReport(line)).isTrue();
        assertThat(PARSER.mayStartReport(line.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, line.length())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "[    0.000000] Linux version 6.1.0 (gcc 12.2.0) #1 SMP PREEMPT_DYNAMIC",
        "[   12.345678] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex",
        "Nov 25 10:00:00 host sshd[123]: Accepted publickey for root from 10.0.0.1 port 22 ssh2",
        "[  1.0] RIP: 0010:skb_entail+0x52/0xd0", "[  1.0]  tcp_sendmsg+0x6f2/0xc20",
    })
    void preFilterDropsNoise(String line) {
        assertThat(PARSER.mayStartReport(line)).isFalse();
    }

    @Test
    void guiltyFileOfASymbolizedReport() {
        String report = """
                BUG: KASAN: use-after-free in ip6_send_skb+0x2f5/0x330 net/ipv6/ip6_output.c:1748
                Read of size 8 at addr ffff88004fab1858 by task syz-executor0/30168

                CPU: 0 PID: 30168 Comm: syz-executor0 Not tainted 4.12.0-rc3+ #3
                Call Trace:
                 __dump_stack lib/dump_stack.c:16 [inline]
                 dump_stack+0x292/0x395 lib/dump_stack.c:52
                 kasan_report+0x230/0x340 mm/kasan/report.c:408
                 ip6_send_skb+0x2f5/0x330 net/ipv6/ip6_output.c:1748
                 rawv6_sendmsg+0x2ede/0x4400 net/ipv6/raw.c:932
                """;
        assertThat(GuiltyFile.extract(report)).contains("net/ipv6/ip6_output.c");
        assertThat(GuiltyFile.extract("no files here")).isEmpty();
    }
}
