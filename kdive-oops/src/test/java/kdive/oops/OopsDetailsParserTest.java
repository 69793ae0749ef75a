package kdive.oops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class OopsDetailsParserTest {

    static List<String> seed() throws IOException {
        return Files.readAllLines(Path.of(System.getProperty("kdive.root", "../"),
                "examples/centos7-skb_entail/vmcore-dmesg.txt"));
    }

    @Test
    void seedFactsFromCentos7() throws IOException {
        OopsDetails d = OopsDetailsParser.parse(seed());
        assertThat(d.arch()).isEqualTo("x86_64");
        assertThat(d.release()).isEqualTo("3.10.0-327.36.1.el7.x86_64");
        assertThat(d.tainted()).isFalse();
        assertThat(d.hardware()).isEqualTo("Red Hat Inc. OpenStack Nova, BIOS 0.5.1 01/01/2007");
        assertThat(d.comm()).isEqualTo("nginx");
        assertThat(d.pid()).hasValue(2790);
        assertThat(d.cpu()).hasValue(0);
        assertThat(d.oopsLine()).isEqualTo("Oops: 0002 [#1] SMP");
        FaultInfo f = d.fault().orElseThrow();
        assertThat(f.address()).hasValue(0);
        assertThat(f.access()).isEqualTo(FaultInfo.Access.WRITE);
        assertThat(f.mode()).isEqualTo(FaultInfo.Mode.KERNEL);
        assertThat(f.cause()).isEqualTo("not-present page");
        Frame ip = d.ip().orElseThrow();
        assertThat(ip.symbol()).isEqualTo("skb_entail");
        assertThat(ip.offset()).isEqualTo(0x52);
        assertThat(ip.size()).isEqualTo(0xd0);
        assertThat(ip.address()).hasValue(0xffffffff81573762L);
        assertThat(d.registers()).containsEntry("rax", 0L)
                .containsEntry("rdx", 0xffff8801089c9038L)
                .containsEntry("rsi", 0xffff8801089c9038L)
                .containsEntry("rdi", 0xffff8801089c8f00L)
                .containsEntry("rip", 0xffffffff81573762L)
                .containsEntry("rsp", 0xffff88018fcbfb88L)
                .containsEntry("eflags", 0x10202L)
                .containsEntry("fs", 0x00007fca72598840L)
                .containsEntry("cr2", 0L)
                .containsEntry("cr3", 0x18fe71000L)
                .containsEntry("cr4", 0x7f0L)
                .containsEntry("r15", 0xfb0L)
                .doesNotContainKey("ip");
        assertThat(d.registers().keySet()).startsWith("rip", "rsp", "eflags", "rax");
        CodeBytes code = d.code().orElseThrow();
        assertThat(code.markerIndex()).isEqualTo(43);
        assertThat(HexFormat.of().formatHex(code.bytes(), 42, 47)).isEqualTo("0848893083");
        assertThat(d.callTrace()).hasSize(10);
        assertThat(d.callTrace().getFirst().display()).isEqualTo("tcp_sendmsg+0x6f2/0xc20");
        assertThat(d.callTrace().get(5).reliable()).isFalse();
        assertThat(d.callTrace().get(5).symbol()).isEqualTo("kvm_clock_get_cycles");
        assertThat(d.callTrace().getLast().symbol()).isEqualTo("system_call_fastpath");
    }

    @Test
    void modernPageFaultWithTaskMarkersAndUserRegisters() {
        var lines = List.of(
                "[   42.000001][  T123] BUG: kernel NULL pointer dereference, address: 0000000000000008",
                "[   42.000002][  T123] #PF: supervisor read access in kernel mode",
                "[   42.000003][  T123] #PF: error_code(0x0000) - not-present page",
                "[   42.000004][  T123] PGD 0 P4D 0 ",
                "[   42.000005][  T123] Oops: 0000 [#1] PREEMPT SMP NOPTI",
                "[   42.000006][  T123] CPU: 1 UID: 0 PID: 123 Comm: Web Content Tainted: G        W  O       6.12.0-rc1+ #7",
                "[   42.000007][  T123] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
                "[   42.000008][  T123] RIP: 0010:crashlab_write+0x15/0x30 [crashlab_skb]",
                "[   42.000009][  T123] Code: 90 90 48 8b 47 08 <48> 8b 40 08 c3",
                "[   42.000010][  T123] RSP: 0018:ffffc90000bf7e48 EFLAGS: 00010246",
                "[   42.000011][  T123] RAX: 0000000000000000 RBX: ffff888003a1c000 RCX: 0000000000000000",
                "[   42.000012][  T123] Call Trace:",
                "[   42.000013][  T123]  <TASK>",
                "[   42.000014][  T123]  ? __die+0x23/0x70",
                "[   42.000015][  T123]  proc_reg_write+0x5a/0xa0",
                "[   42.000016][  T123]  entry_SYSCALL_64_after_hwframe+0x76/0x7e",
                "[   42.000017][  T123] RIP: 0033:0x7f1c2a3b4c5d",
                "[   42.000018][  T123] Code: 00 00 <0f> 05",
                "[   42.000019][  T123] RSP: 002b:00007ffc11111111 EFLAGS: 00000246 ORIG_RAX: 0000000000000001",
                "[   42.000020][  T123] RAX: ffffffffffffffda RBX: 0000000000000002",
                "[   42.000021][  T123]  </TASK>");
        OopsDetails d = OopsDetailsParser.parse(lines);
        assertThat(d.comm()).isEqualTo("Web Content");
        assertThat(d.taint()).isEqualTo("G        W  O");
        assertThat(d.release()).isEqualTo("6.12.0-rc1+");
        assertThat(d.ip().orElseThrow().module()).isEqualTo("crashlab_skb");
        assertThat(d.registers()).containsEntry("rax", 0L).containsEntry("rsp", 0xffffc90000bf7e48L)
                .doesNotContainKey("orig_rax");
        assertThat(d.code().orElseThrow().markerIndex()).isEqualTo(6);
        FaultInfo f = d.fault().orElseThrow();
        assertThat(f.address()).hasValue(8);
        assertThat(f.access()).isEqualTo(FaultInfo.Access.READ);
        assertThat(f.cause()).isEqualTo("not-present page");
        assertThat(d.callTrace()).extracting(Frame::symbol)
                .containsExactly("__die", "proc_reg_write", "entry_SYSCALL_64_after_hwframe");
        assertThat(d.callTrace().get(1).context()).isEqualTo("TASK");
    }

    @Test
    void syslogPrefixesAndGeneralProtectionFault() {
        var lines = List.of(
                "Nov 25 10:00:00 web1 kernel: [  12.500000] general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] SMP PTI",
                "Nov 25 10:00:00 web1 kernel: [  12.500001] CPU: 3 PID: 77 Comm: kworker/3:1 Not tainted 5.10.0-28-amd64 #1 Debian 5.10.209-2",
                "Nov 25 10:00:00 web1 kernel: [  12.500002] RIP: 0010:list_del+0x10/0x40",
                "Nov 25 10:00:00 web1 kernel: [  12.500003] RAX: dead000000000122 RBX: 0000000000000001");
        OopsDetails d = OopsDetailsParser.parse(lines);
        assertThat(d.cpu()).hasValue(3);
        assertThat(d.release()).isEqualTo("5.10.0-28-amd64");
        FaultInfo f = d.fault().orElseThrow();
        assertThat(f.address()).hasValue(0xdead000000000122L);
        assertThat(f.cause()).isEqualTo("general protection fault (non-canonical address)");
        assertThat(d.registers()).containsEntry("rax", 0xdead000000000122L);
    }

    @Test
    void userOutputInterleavedOnTheConsoleDoesNotEndTheTrace() {
        OopsDetails d = OopsDetailsParser.parse(List.of(
                "[    7.659806] Kernel panic - not syncing: sysrq triggered crash",
                "[    7.660359] Call Trace:",
                "=== init: end ===",
                "[    7.661460]  <TASK>",
                "[    7.661460]  dump_stack_lvl+0x44/0x5c",
                "# ",
                "[    7.661460]  panic+0x118/0x2f4",
                "[    7.661460]  </TASK>"));
        assertThat(d.callTrace()).extracting(Frame::symbol).containsExactly("dump_stack_lvl", "panic");
        assertThat(LogPrefix.hasTimestamp("<4>[  1.5] x")).isTrue();
        assertThat(LogPrefix.hasTimestamp("Nov 25 10:00:00 h kernel: [  1.5] x")).isTrue();
        assertThat(LogPrefix.hasTimestamp("[T12] x")).isFalse();
        assertThat(LogPrefix.hasTimestamp("# [  1.5] not a prefix")).isFalse();
    }

    @Test
    void rhel6LayoutWithCpuLinePidLineAndModuleIp() {
        // The 2.6.32 x86-64 layout (RHEL 6): "CPU 3" alone, "Pid: N, comm: X", IP in a module.
        OopsDetails d = OopsDetailsParser.parse(List.of(
                "BUG: unable to handle kernel NULL pointer dereference at 0000000000000008",
                "IP: [<ffffffffa01e2b4c>] nfs_foo+0x2c/0x100 [nfs]",
                "PGD 1234067 PUD 1235067 PMD 0 ",
                "Oops: 0000 [#1] SMP ",
                "last sysfs file: /sys/devices/system/cpu/online",
                "CPU 3 ",
                "Modules linked in: nfs lockd",
                "",
                "Pid: 2790, comm: nginx Not tainted 2.6.32-573.el6.x86_64 #1 Red Hat KVM",
                "RIP: 0010:[<ffffffffa01e2b4c>]  [<ffffffffa01e2b4c>] nfs_foo+0x2c/0x100 [nfs]",
                "RSP: 0018:ffff88003a8d3c48  EFLAGS: 00010246",
                "RAX: 0000000000000000 RBX: ffff88003c2b4000 RCX: 0000000000000000",
                "Process nginx (pid: 2790, threadinfo ffff88003a8d2000, task ffff88003c1e6ab0)",
                "Call Trace:",
                " [<ffffffff811a1234>] vfs_read+0xb5/0x1a0",
                " [<ffffffff8100b0d2>] system_call_fastpath+0x16/0x1b",
                "Code: 48 89 e5 48 8b 47 10 <48> 8b 40 08 c9 c3",
                "RIP  [<ffffffffa01e2b4c>] nfs_foo+0x2c/0x100 [nfs]",
                " RSP <ffff88003a8d3c48>",
                "CR2: 0000000000000008"));
        assertThat(d.cpu()).hasValue(3);
        assertThat(d.pid()).hasValue(2790);
        assertThat(d.comm()).isEqualTo("nginx");
        assertThat(d.release()).isEqualTo("2.6.32-573.el6.x86_64");
        assertThat(d.hardware()).isEqualTo("Red Hat KVM");
        assertThat(d.ip().orElseThrow().module()).isEqualTo("nfs");
        assertThat(d.fault().orElseThrow().address()).hasValue(8);
        assertThat(d.fault().orElseThrow().access()).isEqualTo(FaultInfo.Access.READ);
        assertThat(d.callTrace()).extracting(Frame::symbol).containsExactly("vfs_read", "system_call_fastpath");
        assertThat(d.code().orElseThrow().markerIndex()).isEqualTo(7);
        assertThat(d.lastLine()).isEqualTo(19);
    }

    @Test
    void taskAndCpuFromReportsWithoutACpuLine() {
        // Shapes of corpus reports 204 (WARNING), a hung task, KASAN and lockdep.
        OopsDetails warning = OopsDetailsParser.parse(List.of(
                "WARNING: CPU: 1 PID: 36348 at mm/slab_common.c:903 kmalloc_slab+0x89/0xa0()"));
        assertThat(warning.cpu()).hasValue(1);
        assertThat(warning.pid()).hasValue(36348);
        OopsDetails hung = OopsDetailsParser.parse(List.of(
                "INFO: task syz-executor7:7103 blocked for more than 120 seconds."));
        assertThat(hung.comm()).isEqualTo("syz-executor7");
        assertThat(hung.pid()).hasValue(7103);
        OopsDetails kasan = OopsDetailsParser.parse(List.of(
                "BUG: KASAN: use-after-free in aead_recvmsg+0x1758/0x1bc0",
                "Read of size 1 at addr ffff8801c517b0e0 by task syz-executor1/30013"));
        assertThat(kasan.comm()).isEqualTo("syz-executor1");
        assertThat(kasan.pid()).hasValue(30013);
        assertThat(kasan.fault().orElseThrow().access()).isEqualTo(FaultInfo.Access.READ);
        OopsDetails lockdep = OopsDetailsParser.parse(List.of(
                "syz-executor0/4353 is trying to acquire lock:",
                "CPU: 0 PID: 4353 Comm: syz-executor0 Not tainted 4.16.0-rc4+ #1"));
        assertThat(lockdep.release()).isEqualTo("4.16.0-rc4+");
        assertThat(lockdep.cpu()).hasValue(0);
        OopsDetails both = OopsDetailsParser.parse(List.of(
                "WARNING: CPU: 1 PID: 36348 at mm/slab_common.c:903 kmalloc_slab+0x89/0xa0()",
                "CPU: 1 PID: 36348 Comm: syz-executor5 Not tainted 4.9.0 #1"));
        assertThat(both.comm()).isEqualTo("syz-executor5");
        assertThat(both.release()).isEqualTo("4.9.0");
    }

    @Test
    void armCodeWordsAreStoredLittleEndian() {
        OopsDetails d = OopsDetailsParser.parse(List.of(
                "Internal error: Oops: 96000045 [#1] PREEMPT SMP",
                "pc : foo+0x10/0x20",
                "Code: d2800001 (b900003f)"));
        assertThat(d.arch()).isEqualTo("arm64");
        CodeBytes code = d.code().orElseThrow();
        assertThat(code.unitSize()).isEqualTo(4);
        assertThat(code.markerIndex()).isEqualTo(4);
        assertThat(HexFormat.of().formatHex(code.bytes())).isEqualTo("010080d23f0000b9");
    }
}
