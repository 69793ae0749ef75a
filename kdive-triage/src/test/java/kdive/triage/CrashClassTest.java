package kdive.triage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Families of real corpus titles with their syzkaller types. */
class CrashClassTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            BUG: unable to handle kernel NULL pointer dereference in skb_entail | NULL-POINTER-DEREFERENCE | NULL-DEREF
            KASAN: null-ptr-deref Read in zr364xx_vidioc_querycap | KASAN-NULL-POINTER-DEREFERENCE-READ | NULL-DEREF
            BUG: unable to handle kernel paging request in vmx_vcpu_run | MEMORY_SAFETY_BUG | PAGE-FAULT
            general protection fault in drm_legacy_newctx | MEMORY_SAFETY_BUG | GPF
            KASAN: use-after-free Read in aead_recvmsg | KASAN-USE-AFTER-FREE-READ | KASAN
            KMSAN: uninit-value in alg_setkey | KMSAN-UNINIT-VALUE | KMSAN
            possible deadlock in rtnl_lock | LOCKDEP | LOCKDEP
            INFO: task hung in synchronize_rcu | HANG | HANG
            INFO: rcu detected stall in ipv6_rcv | HANG | HANG
            memory leak in map_create | LEAK | LEAK
            kernel panic: sysrq triggered crash | DoS | PANIC
            PANIC: double fault in corrupted | DoS | PANIC
            WARNING in xfrm_state_fini | WARNING | WARNING
            WARNING: refcount bug in cdev_get | REFCOUNT_WARNING | WARNING
            kernel BUG in free_netdev | BUG | BUG
            BUG: soft lockup in mount | HANG | HANG
            """)
    void family(String title, String type, String expected) {
        assertThat(CrashClass.of(title, type)).isEqualTo(expected);
    }
}
