package kdive.oops.internal;

import static kdive.oops.internal.OopsRules.PARSE_STACK_TRACE;
import static kdive.oops.internal.OopsRules.format;

import java.util.ArrayList;
import java.util.List;
import kdive.oops.internal.OopsRules.FrameExtractor;
import kdive.oops.internal.OopsRules.OopsFormat;
import kdive.oops.internal.OopsRules.OopsGroup;
import kdive.oops.internal.OopsRules.StackBuilder;
import kdive.oops.internal.OopsRules.StackFormat;
import kdive.oops.internal.OopsRules.StackParams;

/**
 * The Linux oops rule table: the data syzkaller's {@code pkg/report/linux.go} and {@code report.go}
 * use to find, title and judge kernel crash reports (same order, same regexps, same formats), so
 * that titles agree with syzkaller's and can serve as bucket keys.
 */
public final class LinuxRules {

    private LinuxRules() {}

    // ------------------------------------------------------------ common regexps

    // Beyond syzkaller's: i386's "EIP is at" (its "EIP:" line has no symbol), Xen PV's kernel code segment
    // (e030, "RIP: e030:xen_leave_lazy_mmu+0x44/0x50") and powerpc's dot symbols ("NIP [c0..] .eeh_...").
    static final String RIP_FRAME_SRC = "(?:IP|NIP|pc |PC is at|EIP is at):? (?:(?:[0-9]+:|e0[0-9a-f]{2}:)?(?:{{PC}} +){0,2}\\.?{{FUNC}}"
            + "|(?:[0-9]+:)?0x[0-9a-f]+|(?:[0-9]+:)?{{PC}} +\\[< *\\(null\\)>\\] +\\(null\\)|[0-9]+: +\\(null\\))";
    /** The faulting instruction pointer line ({@code RIP:}, {@code IP:}, {@code pc :}, {@code PC is at}). */
    public static final Rx RIP_FRAME = Rx.rule(RIP_FRAME_SRC);
    public static final Rx CALL_TRACE = Rx.rule("(?:Call (?:T|t)race:)|(?:Backtrace:)");
    static final Rx RISCV_SPECIAL_STACK_START =
            Rx.of("status: [0-9a-f]{16} badaddr: [0-9a-f]{16} cause: [0-9a-f]{16}");

    /** Titles that look like this are corrupted (a timestamp merged into the middle of a line). */
    public static final List<Rx> CORRUPTED_TITLES = List.of(Rx.of("\\[ *[0-9]+\\.[0-9]+\\]"));

    static final List<String> SKIP_PATTERNS = List.of(
            "__sanitizer", "__asan", "kasan", "hwasan", "__msan", "kmsan", "kcsan_setup_watchpoint",
            "check_memory_region", "check_heap_object", "check_object", "read_word_at_a_time",
            "(read|write)_once_.*nocheck", "print_address_description", "panic", "invalid_op", "report_bug",
            "fixup_bug", "print_report", "print_usage_bug", "do_error", "invalid_op", "_trap$|do_trap",
            "show_stack", "dump_stack", "walk_stack", "dump_backtrace", "warn_slowpath", "warn_alloc",
            "warn_bogus", "__warn", "alloc_page", "k?v?(?:m|z|c)alloc", "krealloc", "kmem_cache",
            "allocate_slab", "__alloc_frozen_pages_noprof", "folio_(?:alloc|unlock)", "filemap_alloc_folio",
            "__filemap_get_folio", "find_or_create_page", "do_read_cache_folio", "read_cache_page",
            "pagecache_get_page", "grab_cache_page_write_begin", "slab_", "debug_object",
            "timer_is_static_object", "work_is_static_object", "__might_fault", "print_unlock",
            "imbalance_bug", "lockdep", "bh_enable", "bh_disable", "perf_trace", "lock_acquire",
            "lock_release", "lock_class", "mark_lock", "(reacquire|mark)_held_locks", "raw_spin_rq",
            "spin_lock", "spin_trylock", "spin_unlock", "read_lock", "read_trylock", "write_lock",
            "write_trylock", "read_unlock", "write_unlock", "^down$", "down_read", "down_write",
            "down_read_trylock", "down_write_trylock", "down_trylock", "up_read", "up_write", "^mutex_",
            "^__mutex_", "^rt_mutex_", "owner_on_cpu", "osq_lock", "osq_unlock",
            "atomic(64)?_(dec|inc|read|set|or|xor|and|add|sub|fetch|xchg|cmpxchg|try)",
            "(set|clear|change|test)_bit", "__wake_up", "^refcount_", "^kref_", "ref_tracker",
            "seqprop_assert", "memcpy", "memcmp", "memset", "memchr", "memmove", "memdup", "strcmp",
            "strncmp", "strcpy", "strlcpy", "strncpy", "strscpy", "strlen", "strstr", "strnstr", "strnlen",
            "strchr", "strdup", "strndup", "copy_to_user", "copy_from_user", "copy_to_iter",
            "copy_from_iter", "copy_page_to_iter", "copy_page_from_iter", "copy_folio_to_iter", "^copyin$",
            "^copyout$", "put_user", "get_user", "might_fault", "might_sleep", "list_add", "list_del",
            "list_replace", "list_move", "list_splice", "^rb_", "^__rb_", "_indirect_thunk_", "string",
            "pointer", "snprintf", "scnprintf", "kasprintf", "kvasprintf", "printk", "va_format",
            "dev_info", "dev_notice", "dev_warn", "dev_err", "dev_alert", "dev_crit", "dev_emerg",
            "program_check_exception", "program_check_common", "del_timer", "flush_work",
            "__cancel_work_timer", "cancel_work_sync", "try_to_grab_pending", "flush_workqueue",
            "drain_workqueue", "destroy_workqueue", "queue_work", "finish_wait", "kthread_stop", "kobject_",
            "add_uevent_var", "get_device_parent", "device_add", "device_del", "device_unregister",
            "device_destroy", "device_release", "devres_release_all", "hwrng_unregister", "i2c_del_adapter",
            "__unregister_client", "device_for_each_child", "rollback_registered", "unregister_netdev",
            "sysfs_remove", "device_remove_file", "tty_unregister_device", "dummy_urb_enqueue",
            "usb_kill_urb", "usb_kill_anchored_urbs", "usb_control_msg", "usb_hcd_submit_urb",
            "usb_submit_urb", "^complete$", "wait_for_completion", "^kv?free$", "kfree_skb", "readb$",
            "readw$", "readl$", "readq$", "writeb$", "writew$", "writel$", "writeq$", "logic_in",
            "logic_out", "^crc\\d+", "crc_itu_t", "__might_resched", "assertfail", "^iput$", "^iput_final$",
            "^ihold$", "hex_dump_to_buffer", "print_hex_dump", "^klist_", "(trace|lockdep)_(hard|soft)irq",
            "^(un)?lock_page", "stack_trace_consume_entry", "arch_stack_walk", "stack_trace_save",
            "insert_work", "__queue_delayed_work", "queue_delayed_work_on", "ida_free",
            // arm64 translation exception handling path.
            "do_(kernel|translation)_fault", "do_mem_abort", "el1_abort", "el1h_64_sync(?:_handler)?",
            "print_tainted", "xas_(?:start|load|find)", "find_lock_entries", "truncate_inode_pages_range",
            "__phys_addr", "__fortify_report", "cleanup_srcu_struct", "rhashtable_lookup",
            "extract_(user|iter)_to_sg", "drop_nlink", "^get_taint$", "^put_device$", "lock_timer_base",
            "__timer_delete_sync", "sk_stop_timer_sync", "__mod_timer", "fast_dput", "dput",
            "mark_buffer_dirty");

    public static final StackParams STACK_PARAMS = new StackParams(
            List.of(
                    Rx.of("Call (?:T|t)race"),
                    Rx.of("Allocated:"),
                    Rx.of("Allocated by task [0-9]+:"),
                    Rx.of("Freed:"),
                    Rx.of("Freed by task [0-9]+:"),
                    // 'backtrace:' but not 'stack backtrace:'; optional crc hash of KMEMLEAK reports.
                    Rx.anchored("[^k] backtrace(?: \\(crc [[:xdigit:]]*\\))?:", " backtrace", 1),
                    Rx.of("Backtrace:"),
                    Rx.of("Uninit was stored to memory at"),
                    RISCV_SPECIAL_STACK_START),
            List.of(
                    Rx.rule("^ *(?:{{PC}} ){0,2}{{FUNC}}"),
                    // Arm: both the current and the next frame (the top frame is only in LR).
                    Rx.rule("^ *{{PC}} \\(([a-zA-Z0-9_.]+)\\) from {{PC}} \\({{FUNC}}")),
            SKIP_PATTERNS,
            List.of(
                    // Fault injection stacks are frequently intermixed with crash reports.
                    Rx.rule("^( \\[\\<?(?:0x)?[0-9a-f]+\\>?\\])? should_fail(slab)?(\\.[a-z0-9.]+)?\\+0x")),
            List.of("SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_", "____sys_", "___sys_", "__sys_",
                    "__se_", "__se_sys_", "__do_sys_", "compat_SYSC_", "compat_SyS_", "ksys_"));

    /** Stall anchors: the guilty frame of a stall is the one just above the first of these. */
    public static final List<Rx> STALL_ANCHOR_FRAMES = rules(
            "process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch", "tracesys_phase2",
            "el0_svc_handler", "invoke_syscall", "ret_fast_syscall", "netif_receive_skb", "do_softirq",
            "call_timer_fn", "_run_timers", "run_timer_softirq", "hrtimer_run", "run_ksoftirqd",
            "smpboot_thread_fn", "^kthread$", "start_secondary", "cpu_startup_entry", "ret_from_fork",
            "vfs_write", "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read", "do_iter_write",
            "call_read_iter", "call_write_iter", "new_sync_read", "new_sync_write", "vfs_ioctl", "ksys_ioctl",
            "compat_ioctl", "compat_sys_ioctl", "blkdev_driver_ioctl", "blkdev_ioctl", "^call_read_iter",
            "^call_write_iter", "do_iter_readv_writev", "^call_mmap", "mmap_region", "do_mmap",
            "do_dentry_open", "vfs_open",
            "^sock_sendmsg", "^sock_recvmsg", "^sock_release", "^__sock_release", "^setsockopt$",
            "kernel_setsockopt", "sock_common_setsockopt", "^listen$", "kernel_listen", "sk_common_release",
            "^sock_mmap", "^accept$", "kernel_accept", "^sock_do_ioctl", "^sock_ioctl", "^compat_sock_ioctl",
            "^nfnetlink_rcv_msg", "^rtnetlink_rcv_msg", "^netlink_dump", "^(sys_)?(socketpair|connect|ioctl)",
            "__do_fault", "do_page_fault", "^page_fault$",
            "__fput", "task_work_run", "exit_to_usermode", "smp_call_function", "tasklet_action",
            "tasklet_hi_action");

    /** Lines that may sit inside another report without starting a new one. */
    public static final List<Rx> REPORT_START_IGNORES = rules(
            "invalid opcode: 0000", "Kernel panic - not syncing", "unregister_netdevice: waiting for",
            "PANIC: double fault", "Internal error:");

    /** Informational messages with a stack trace: seeing one inside a report ends that report. */
    public static final List<String> INFO_MESSAGES_WITH_STACK = List.of(
            "vmalloc: allocation failure:", "FAULT_INJECTION: forcing a failure", "FAULT_FLAG_ALLOW_RETRY missing");

    /**
     * Log patterns meaning the crash is noise (fuzzer OOM, sshd killed...), searched line by line.
     * Each must start with a plain text (its {@link Rx#literal()}), which the whole-log scan looks for.
     */
    public static final List<Rx> SUPPRESSIONS = rules(
            "panic: failed to start executor binary",
            "panic: executor failed: pthread_create failed",
            "panic: failed to create temp dir",
            "fatal error: unexpected signal during runtime execution",
            "signal SIGBUS: bus error",
            "SYZFAIL: SIGBUS",
            "Out of memory: Kill process .* \\(syz-executor\\)",
            "Out of memory: Kill process .* \\(sshd\\)",
            "Killed process .* \\(syz-executor\\)",
            "Killed process .* \\(sshd\\)",
            "lowmemorykiller: Killing 'syz-executor'",
            "lowmemorykiller: Killing 'sshd'",
            "INIT: PANIC: segmentation violation!",
            "\\*\\*\\* stack smashing detected \\*\\*\\*: terminated",
            // Go runtime out-of-memory (report.go, common to every OS).
            "fatal error: runtime: out of memory",
            "fatal error: runtime: cannot allocate memory",
            "fatal error: out of memory",
            "fatal error: newosproc",
            "panic: .*cannot allocate memory");

    /** GCE console hang-up: a report in such output is probably truncated. */
    public static final String GCE_CONSOLE_HANGUP = "serialport: VM disconnected.";

    // ------------------------------------------------------------ the oops table

    public static final List<OopsGroup> OOPSES = buildTable();

    private static StackFormat stack(Rx... parts) {
        return new StackBuilder(parts).build(SKIP_PATTERNS);
    }

    private static StackBuilder stackB(Rx... parts) {
        return new StackBuilder(parts);
    }

    private static StackFormat done(StackBuilder b) {
        return b.build(SKIP_PATTERNS);
    }

    private static StackFormat warningStack(String... skip) {
        return done(stackB(Rx.rule("(?:" + RIP_FRAME_SRC + "|--- interrupt: [0-9]+ at {{FUNC}})"), PARSE_STACK_TRACE)
                .parts2(CALL_TRACE, PARSE_STACK_TRACE)
                .skip(skip));
    }

    private static StackFormat ripCallTrace(String... skip) {
        return done(stackB(RIP_FRAME, CALL_TRACE, PARSE_STACK_TRACE).skip(skip));
    }

    private static StackFormat callTrace(String... skip) {
        return done(stackB(CALL_TRACE, PARSE_STACK_TRACE).skip(skip));
    }

    private static OopsGroup group(String header, List<OopsFormat> formats, List<Rx> suppressions) {
        return new OopsGroup(header, formats, suppressions);
    }

    private static List<Rx> rules(String... res) {
        List<Rx> out = new ArrayList<>();
        for (String re : res) {
            out.add(Rx.rule(re));
        }
        return List.copyOf(out);
    }

    private static List<OopsGroup> buildTable() {
        List<OopsGroup> t = new ArrayList<>();
        t.add(group("BUG:", List.of(
                format("BUG: KASAN:")
                        .report("BUG: KASAN: ([a-z\\-]+) in {{FUNC}}(?:.*\\n)+?.*(Read|Write) (?:of size|at addr) (?:[0-9a-f]+)")
                        .fmt("KASAN: %[1]v %[3]v in %[4]v").alt("bad-access in %[4]v")
                        .stack(done(stackB(Rx.rule("BUG: KASAN: (?:[a-z\\-]+) in {{FUNC}}"), CALL_TRACE, PARSE_STACK_TRACE)
                                // These frames are present in KASAN_HW_TAGS reports.
                                .skip("kernel_fault", "tag_check", "mem_abort", "^el1_", "^el1h_")))
                        .build(),
                format("BUG: KASAN:")
                        .report("BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}")
                        .fmt("KASAN: invalid-free in %[2]v").alt("invalid-free in %[2]v")
                        .stack(done(stackB(Rx.rule("BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}"),
                                CALL_TRACE, PARSE_STACK_TRACE).skip("slab_", "kfree", "vunmap", "vfree")))
                        .build(),
                format("BUG: KASAN: ([a-z\\-]+) on address(?:.*\\n)+?.*(Read|Write) of size ([0-9]+)")
                        .fmt("KASAN: %[1]v %[2]v").build(),
                format("BUG: KASAN: (.*)").fmt("KASAN: %[1]v").corrupted().build(),
                format("BUG: KMSAN: kernel-usb-infoleak")
                        .report("BUG: KMSAN: kernel-usb-infoleak in {{FUNC}}")
                        .fmt("KMSAN: kernel-usb-infoleak in %[2]v").alt("KMSAN origin in %[3]v")
                        .stack(done(stackB(PARSE_STACK_TRACE, Rx.rule("(Local variable .* created at:|Uninit was created at:)"),
                                PARSE_STACK_TRACE).skip("alloc_skb", "usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg",
                                "usb_interrupt_msg", "usb_control_msg")))
                        .noStackTrace().build(),
                format("BUG: KMSAN:")
                        .report("BUG: KMSAN: ([a-z\\-]+) in {{FUNC}}")
                        .fmt("KMSAN: %[1]v in %[3]v").alt("bad-access in %[3]v")
                        .stack(done(stackB(PARSE_STACK_TRACE, Rx.rule("(Local variable .* created at:|Uninit was created at:)"),
                                PARSE_STACK_TRACE).skip("alloc_skb", "netlink_ack", "netlink_rcv_skb",
                                // Encryption routines hit the bug, but generic code makes bad titles.
                                "_encrypt$", "^(?:crypto|cipher|drbg|rng)_")))
                        .noStackTrace().build(),
                format("BUG: KCSAN: data-race").report("BUG: KCSAN: (.*)").fmt("KCSAN: %[1]v").noStackTrace().build(),
                format("BUG: KCSAN:").report("BUG: KCSAN: (.*)").fmt("KCSAN: %[1]v").noStackTrace().build(),
                format("BUG: KFENCE: (use-after-free|out-of-bounds) (read|write) in {{FUNC}}")
                        .fmt("KFENCE: %[1]v %[2]v in %[4]v").alt("bad-access in %[4]v")
                        .stack(stack(Rx.rule("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), PARSE_STACK_TRACE)).build(),
                format("BUG: KFENCE: invalid free in {{FUNC}}")
                        .fmt("KFENCE: invalid free in %[2]v").alt("invalid-free in %[2]v").noStackTrace()
                        .stack(stack(Rx.rule("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), PARSE_STACK_TRACE)).build(),
                format("BUG: KFENCE: invalid (read|write) in {{FUNC}}")
                        .fmt("KFENCE: invalid %[1]v in %[3]v").alt("bad-access in %[3]v")
                        .stack(stack(Rx.rule("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), PARSE_STACK_TRACE)).build(),
                format("BUG: KFENCE: memory corruption in {{FUNC}}")
                        .fmt("KFENCE: memory corruption in %[2]v").noStackTrace()
                        .stack(stack(Rx.rule("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), PARSE_STACK_TRACE)).build(),
                format("BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)")
                        .fmt("BUG: unable to handle kernel paging request in %[1]v").alt("bad-access in %[1]v")
                        .stack(ripCallTrace()).build(),
                format("BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)")
                        .fmt("BUG: unable to handle kernel NULL pointer dereference in %[1]v").alt("bad-access in %[1]v")
                        .stack(ripCallTrace()).build(),
                // The second part of the header is sometimes lost (printed by a separate printk).
                format("BUG: (?:unable to handle kernel|Unable to handle kernel)")
                        .fmt("BUG: unable to handle kernel").corrupted().build(),
                format("BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion"
                        + "|cpu recursion|bad magic|wrong owner|wrong CPU|trylock failure on UP)")
                        .fmt("BUG: %[1]v %[2]v in %[3]v").stack(callTrace("spin_", "_lock", "_unlock")).build(),
                format("BUG: soft lockup").fmt("BUG: soft lockup in %[1]v").alt("stall in %[1]v")
                        .stack(done(stackB(RIP_FRAME, CALL_TRACE, PARSE_STACK_TRACE).extractor(FrameExtractor.STALL))).build(),
                format("BUG: .*still has locks held!")
                        .report("BUG: .*still has locks held!(?:.*\\n)+?.*{{PC}} +{{FUNC}}")
                        .fmt("BUG: still has locks held in %[1]v").build(),
                format("BUG: scheduling while atomic").fmt("BUG: scheduling while atomic in %[1]v")
                        .stack(callTrace("schedule")).build(),
                format("BUG: lock held when returning to user space")
                        .report("BUG: lock held when returning to user space(?:.*\\n)+?.*leaving the kernel with locks still held(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}")
                        .fmt("BUG: lock held when returning to user space in %[1]v").noStackTrace().build(),
                format("BUG: bad unlock balance detected!").fmt("BUG: bad unlock balance in %[1]v")
                        .stack(stack(Rx.rule("{{PC}} +{{FUNC}}"), CALL_TRACE, PARSE_STACK_TRACE)).build(),
                format("BUG: held lock freed!").report("BUG: held lock freed!(?:.*\\n)+?.*{{PC}} +{{FUNC}}")
                        .fmt("BUG: held lock freed in %[1]v").build(),
                format("BUG: Bad rss-counter state").fmt("BUG: Bad rss-counter state").noStackTrace().build(),
                format("BUG: non-zero nr_ptes on freeing mm").fmt("BUG: non-zero nr_ptes on freeing mm").noStackTrace().build(),
                format("BUG: non-zero nr_pmds on freeing mm").fmt("BUG: non-zero nr_pmds on freeing mm").noStackTrace().build(),
                // Filesystem type and block device name are left out (they only split buckets).
                format("BUG: Dentry .* still in use")
                        .report("BUG: Dentry .* still in use \\([0-9]+\\) \\[(unmount) of ([^\\]]+)\\]")
                        .fmt("BUG: Dentry still in use in %[1]v").alt("BUG: Dentry still in use [%[1]v of %[2]v]").build(),
                format("BUG: Bad page (state|cache)").fmt("BUG: Bad page %[1]v in %[2]v")
                        .stack(done(stackB(Rx.rule("page last allocated"), PARSE_STACK_TRACE)
                                .skip("(free|put|get|update|release)_page", "free_unref", "^_*folio", "truncate_inode_pages",
                                        "page_frag_free", "alloc", "vmap", "page_owner"))).build(),
                format("BUG: Bad page map").fmt("BUG: Bad page map").build(),
                format("BUG: workqueue lockup").fmt("BUG: workqueue lockup").noStackTrace().build(),
                format("BUG: sleeping function called from invalid context at (.*)")
                        .fmt("BUG: sleeping function called from invalid context in %[2]v").stack(callTrace()).build(),
                format("BUG: using ([a-z_]+)\\(\\) in preemptible").fmt("BUG: using %[1]v() in preemptible code in %[2]v")
                        .stack(callTrace("dump_stack", "preemption", "preempt", "debug_", "processor_id", "this_cpu")).build(),
                format("BUG: workqueue leaked lock or atomic")
                        .report("BUG: workqueue leaked lock or atomic(?:.*\\n)+?.*last function: ([a-zA-Z0-9_]+)\\n")
                        .fmt("BUG: workqueue leaked lock or atomic in %[1]v").noStackTrace().build(),
                format("BUG: memory leak").fmt("memory leak in %[1]v")
                        .stack(done(stackB(Rx.rule("backtrace(?: \\(crc [[:xdigit:]]*\\))?:"), PARSE_STACK_TRACE)
                                .skip("kmemleak", "mmap", "kmem", "slab", "alloc", "create_object", "idr_get",
                                        "list_lru_init", "kasprintf", "kvasprintf", "pcpu_create", "strdup", "strndup",
                                        "memdup"))).build(),
                format("BUG: .*stack guard page was hit at").fmt("BUG: stack guard page was hit in %[1]v")
                        .alt("stack-overflow in %[1]v")
                        .stack(done(stackB(RIP_FRAME, CALL_TRACE, PARSE_STACK_TRACE).extractor(FrameExtractor.STALL))).build(),
                // arm/arm64 format; titled like the amd64 one to avoid duplicate buckets.
                format("BUG: Invalid wait context").fmt("WARNING: locking bug in %[1]v")
                        .stack(callTrace("lock_sock", "release_sock")).build(),
                format("BUG:[[:space:]]*(?:\\n|$)").fmt("BUG: corrupted").corrupted().build()),
                rules("ODEBUG:", "Boot_DEBUG:", "xlog_status:", "DEBUG:", "BUG: no syscalls can create resource")));

        t.add(group("WARNING:", List.of(
                format("WARNING: .*lib/debugobjects\\.c.* (?:debug_print|debug_check|at)")
                        .fmt("WARNING: ODEBUG bug in %[1]v")
                        .stack(warningStack("debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_", "vunmap",
                                "vfree", "__free_", "debug_check", "kobject_")).build(),
                format("WARNING: .*mm/usercopy\\.c.* (?:usercopy_warn|at)").fmt("WARNING: bad usercopy in %[1]v")
                        .stack(warningStack("usercopy", "__check")).build(),
                format("WARNING: .*lib/kobject\\.c.* (?:kobject_|at)").fmt("WARNING: kobject bug in %[1]v")
                        .stack(warningStack("kobject_")).build(),
                format("WARNING: .*fs/proc/generic\\.c.* (?:proc_register|at)").fmt("WARNING: proc registration bug in %[1]v")
                        .stack(warningStack("proc_")).build(),
                format("WARNING: .*lib/refcount\\.c.* (?:refcount_|at)").fmt("WARNING: refcount bug in %[1]v")
                        .stack(warningStack("refcount", "kobject_")).build(),
                format("WARNING: .*kernel/locking/lockdep\\.c.*lock_").fmt("WARNING: locking bug in %[1]v")
                        .stack(warningStack("lock_sock", "release_sock")).build(),
                format("WARNING: .*still has locks held!").report("WARNING: .*still has locks held!(?:.*\\n)+?.*at: {{FUNC}}")
                        .fmt("WARNING: still has locks held in %[1]v").build(),
                format("WARNING: Nested lock was not taken").fmt("WARNING: nested lock was not taken in %[1]v")
                        .stack(warningStack()).build(),
                format("WARNING: lock held when returning to user space")
                        .report("WARNING: lock held when returning to user space(?:.*\\n)+?.*leaving the kernel with locks still held(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}")
                        .fmt("WARNING: lock held when returning to user space in %[1]v").noStackTrace().build(),
                format("WARNING: .*mm/.*\\.c.* k?.?malloc").fmt("WARNING: kmalloc bug in %[1]v")
                        .stack(warningStack("kmalloc", "krealloc", "slab", "kmem")).build(),
                format("WARNING: .*mm/vmalloc.c.*__vmalloc_node").fmt("WARNING: zero-size vmalloc in %[1]v")
                        .stack(warningStack()).build(),
                format("WARNING: .* usb_submit_urb").fmt("WARNING in %[1]v/usb_submit_urb")
                        .stack(warningStack("usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg",
                                "usb_control_msg")).build(),
                // Format introduced by "x86/bug: ..." (2025): WARNING: file.c:123 at 0x..., CPU#1
                format("WARNING: {{SRC}} at 0x\\d+, CPU#\\d+").fmt("WARNING in %[2]v").stack(warningStack()).build(),
                format("WARNING: .* at {{SRC}} {{FUNC}}").fmt("WARNING in %[3]v").stack(warningStack()).build(),
                format("WARNING: {{SRC}} at {{FUNC}}").fmt("WARNING in %[3]v").stack(warningStack()).build(),
                format("WARNING: \\[.*\\] {{SRC}} at {{FUNC}}.*").fmt("WARNING in %[3]v").stack(warningStack()).build(),
                // warn_slowpath_common() before 3.12: "WARNING: at kernel/watchdog.c:245 watchdog_overflow_callback+0x9c/0xd0()"
                // (some 3.1 builds without the space); titled as the kernels after it are, from the stack.
                format("WARNING: at ?{{SRC}}").fmt("WARNING in %[2]v").stack(warningStack()).build(),
                format("WARNING: possible circular locking dependency detected")
                        .report("WARNING: possible circular locking dependency detected(?:.*\\n)+?.*is trying to acquire lock")
                        .fmt("possible deadlock in %[1]v")
                        .stack(done(stackB(Rx.rule("at: (?:{{PC}} +)?{{FUNC}}"), Rx.rule("at: (?:{{PC}} +)?{{FUNC}}"),
                                PARSE_STACK_TRACE)
                                // Workqueue functions take locks of work items: such deadlocks belong to them.
                                .skip("process_one_work", "flush_workqueue", "drain_workqueue", "destroy_workqueue")))
                        .build(),
                format("WARNING: possible irq lock inversion dependency detected")
                        .report("WARNING: possible irq lock inversion dependency detected(?:.*\\n)+?.*just changed the state of lock(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}")
                        .fmt("possible deadlock in %[1]v").build(),
                format("WARNING: .*-safe -> .*-unsafe lock order detected").fmt("possible deadlock in %[1]v")
                        .stack(stack(Rx.rule("which became (?:.*) at:"), PARSE_STACK_TRACE)).build(),
                format("WARNING: possible recursive locking detected")
                        .report("WARNING: possible recursive locking detected(?:.*\\n)+?.*is trying to acquire lock(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}")
                        .fmt("possible deadlock in %[1]v").build(),
                format("WARNING: inconsistent lock state")
                        .report("WARNING: inconsistent lock state(?:.*\\n)+?.*takes(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}")
                        .fmt("inconsistent lock state in %[2]v").stack(callTrace()).build(),
                format("WARNING: suspicious RCU usage").report("WARNING: suspicious RCU usage(?:.*\n)+?.*?{{SRC}}")
                        .fmt("WARNING: suspicious RCU usage in %[2]v").stack(callTrace("rcu", "kmem", "slab")).build(),
                format("WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value")
                        .fmt("WARNING: kernel stack regs has bad '%[1]v' value").noStackTrace().build(),
                format("WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value")
                        .fmt("WARNING: kernel stack frame pointer has bad value").noStackTrace().build(),
                format("WARNING: bad unlock balance detected!").fmt("WARNING: bad unlock balance in %[1]v")
                        .stack(stack(Rx.rule("{{PC}} +{{FUNC}}"), CALL_TRACE, PARSE_STACK_TRACE)).build(),
                format("WARNING: held lock freed!").report("WARNING: held lock freed!(?:.*\\n)+?.*at:(?: {{PC}})? +{{FUNC}}")
                        .fmt("WARNING: held lock freed in %[1]v").build(),
                format("WARNING: kernel stack regs .* has bad 'bp' value")
                        .fmt("WARNING: kernel stack regs has bad value").noStackTrace().build(),
                format("WARNING: kernel stack frame pointer .* has bad value")
                        .fmt("WARNING: kernel stack regs has bad value").noStackTrace().build(),
                format("WARNING:[[:space:]]*(?:\\n|$)").fmt("WARNING: corrupted").corrupted().build()),
                rules("WARNING: /etc/ssh/moduli does not exist, using fixed modulus",
                        "WARNING: workqueue cpumask: online intersect > possible intersect",
                        "WARNING: [Tt]he mand mount option",
                        "WARNING: Unsupported flag value\\(s\\) of 0x%x in DT_FLAGS_1",
                        "WARNING: Unprivileged eBPF is enabled with eIBRS",
                        "WARNING: fbcon: Driver '(.*)' missed to adjust virtual screen size (\\((?:\\d+)x(?:\\d+) vs\\. (?:\\d+)x(?:\\d+)\\))",
                        "WARNING: See https.* for mitigation options.",
                        "WARNING: kernel not compiled with CPU_SRSO",
                        "EXT4-[Ff][Ss](?: \\(.*\\))?:",
                        "(?i)warning: .* uses (deprecated v2 capabilities|wireless extensions)",
                        "XFS \\(\\w+\\): WARNING")));

        t.add(group("INFO:", List.of(
                format("INFO: possible circular locking dependency detected")
                        .report("INFO: possible circular locking dependency detected \\](?:.*\\n)+?.*is trying to acquire lock(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}")
                        .fmt("possible deadlock in %[1]v").build(),
                format("INFO: possible irq lock inversion dependency detected")
                        .report("INFO: possible irq lock inversion dependency detected \\](?:.*\\n)+?.*just changed the state of lock(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}")
                        .fmt("possible deadlock in %[1]v").build(),
                format("INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected")
                        .report("INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected \\](?:.*\\n)+?.*is trying to acquire(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}")
                        .fmt("possible deadlock in %[1]v").build(),
                format("INFO: possible recursive locking detected")
                        .report("INFO: possible recursive locking detected \\](?:.*\\n)+?.*is trying to acquire lock(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}")
                        .fmt("possible deadlock in %[1]v").build(),
                format("INFO: inconsistent lock state")
                        .report("INFO: inconsistent lock state \\](?:.*\\n)+?.*takes(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}")
                        .fmt("inconsistent lock state in %[1]v").build(),
                format("INFO: rcu_(?:preempt|sched|bh|tasks) (?:self-)?detected(?: expedited)? stall")
                        .fmt("INFO: rcu detected stall in %[1]v").alt("stall in %[1]v")
                        .stack(done(stackB(Rx.rule("apic_timer_interrupt"), RIP_FRAME, PARSE_STACK_TRACE)
                                .parts2(Rx.rule("(?:apic_timer_interrupt|Exception stack|el1h_64_irq)"), PARSE_STACK_TRACE)
                                .skip("apic_timer_interrupt", "rcu").extractor(FrameExtractor.STALL))).build(),
                format("INFO: trying to register non-static key").fmt("INFO: trying to register non-static key in %[1]v")
                        .stack(callTrace("stack", "lock", "IRQ")).build(),
                format("INFO: suspicious RCU usage").report("INFO: suspicious RCU usage(?:.*\n)+?.*?{{SRC}}")
                        .fmt("INFO: suspicious RCU usage in %[2]v").stack(callTrace("rcu", "kmem", "slab")).build(),
                format("INFO: task {{TASK}} blocked (?:in I/O wait )?for more than [0-9]+ seconds")
                        .fmt("INFO: task hung in %[1]v").alt("hang in %[1]v")
                        .stack(done(stackB(CALL_TRACE, PARSE_STACK_TRACE).extractor(FrameExtractor.HUNG_TASK))).build(),
                format("INFO: task {{TASK}} can't die for more than .* seconds").fmt("INFO: task can't die in %[1]v")
                        .alt("hang in %[1]v").stack(callTrace("schedule")).build(),
                // Corrupted old-style KASAN reports end up here.
                format("INFO: (Freed|Allocated) in (.*)").fmt("INFO: %[1]v in %[2]v").corrupted().build(),
                format("INFO:[[:space:]]*(?:\\n|$)").fmt("INFO: corrupted").corrupted().build()),
                rules("INFO: lockdep is turned off", "INFO: Stall ended before state dump start", "INFO: NMI handler",
                        "INFO: recovery required on readonly filesystem", "(handler|interrupt).*took too long",
                        "INFO: sys_.* is not present in /proc/kallsyms", "INFO: no syscalls can create resource",
                        "rmt_storage:INFO:", "_INFO:")));

        t.add(group("Unable to handle kernel", List.of(
                format("Unable to handle kernel (paging request|NULL pointer dereference|access to user memory)")
                        .fmt("BUG: unable to handle kernel %[1]v in %[2]v").alt("bad-access in %[2]v")
                        .stack(ripCallTrace()).build()),
                List.of()));

        t.add(group("general protection fault", List.of(
                format("general protection fault.*:").fmt("general protection fault in %[1]v").alt("bad-access in %[1]v")
                        .stack(ripCallTrace()).build()),
                rules("general protection fault .* error:\\d+ in ")));

        t.add(group("stack segment: ", List.of(
                format("stack segment: ").fmt("stack segment fault in %[1]v").stack(ripCallTrace()).build()),
                List.of()));

        t.add(group("Kernel panic", List.of(
                // The kernel may fail to print the function of a corrupted stack, or to unwind it.
                format("Kernel panic - not syncing: stack-protector:")
                        .report("Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: {{FUNC}}")
                        .fmt("kernel panic: stack is corrupted in %[1]v").noStackTrace().build(),
                format("Kernel panic - not syncing: stack-protector:")
                        .report("Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+")
                        .fmt("kernel panic: stack is corrupted in %[1]v").stack(callTrace("stack_chk")).build(),
                format("Kernel panic - not syncing: corrupted stack end")
                        .report("Kernel panic - not syncing: corrupted stack end detected inside scheduler")
                        .fmt("kernel panic: corrupted stack end in %[1]v").alt("stack-overflow in %[1]v")
                        .stack(done(stackB(CALL_TRACE, PARSE_STACK_TRACE).skip("schedule", "retint_kernel")
                                .extractor(FrameExtractor.STALL))).build(),
                format("Kernel panic - not syncing: kernel stack overflow").fmt("kernel stack overflow in %[1]v")
                        .alt("stack-overflow in %[1]v")
                        .stack(done(stackB(CALL_TRACE, PARSE_STACK_TRACE).skip("bad_stack").extractor(FrameExtractor.STALL)))
                        .build(),
                format("Kernel panic - not syncing: Attempted to kill init!").fmt("kernel panic: Attempted to kill init!").build(),
                format("Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+")
                        .fmt("kernel panic: Couldn't open N_TTY ldisc").build(),
                // Usually printed after a BUG: seeing it as the title means the BUG header was lost.
                format("Kernel panic - not syncing: Fatal exception").fmt("kernel panic: Fatal exception").corrupted().build(),
                format("Kernel panic - not syncing: panic_on_warn set").fmt("kernel panic: panic_on_warn set").corrupted().build(),
                format("Kernel panic - not syncing: hung_task: blocked tasks").fmt("kernel panic: hung_task: blocked tasks")
                        .corrupted().build(),
                format("Kernel panic - not syncing: (.*)").fmt("kernel panic: %[1]v").build()),
                List.of()));

        t.add(group("PANIC: double fault", List.of(
                format("PANIC: double fault").fmt("PANIC: double fault in %[1]v").stack(stack(RIP_FRAME)).build()),
                List.of()));

        t.add(group("rust_kernel: panicked", List.of(
                format("rust_kernel: panicked").report("rust_kernel: panicked at [^\n]*?\n(.+?)\n").fmt("%[1]v in %[2]v")
                        .stack(callTrace("__rustc::rust_begin_unwind")).build()),
                List.of()));

        t.add(group("kernel BUG", List.of(
                format("kernel BUG at mm/usercopy.c").fmt("BUG: bad usercopy in %[1]v").stack(callTrace("usercopy", "__check"))
                        .build(),
                format("kernel BUG at lib/list_debug.c").fmt("BUG: corrupted list in %[1]v")
                        .alt("bad-access in %[1]v").stack(callTrace()).build(),
                // skb wrappers have lots of BUG_ONs, but the bug is almost always in the caller.
                format("kernel BUG at (.*)").fmt("kernel BUG in %[2]v").stack(ripCallTrace("^skb_")).build()),
                List.of()));

        t.add(group("Kernel BUG", List.of(format("Kernel BUG (.*)").fmt("kernel BUG %[1]v").build()), List.of()));

        t.add(group("BUG kmalloc-", List.of(
                format("BUG kmalloc-.*: Object already free").fmt("BUG: Object already free").build()), List.of()));

        t.add(group("divide error:", List.of(
                format("divide error: ").fmt("divide error in %[1]v").stack(stack(RIP_FRAME)).build()), List.of()));
        // A misspelling of the above (kernel commit 9d06c4027f21).
        t.add(group("divide_error:", List.of(
                format("divide_error: ").fmt("divide error in %[1]v").stack(stack(RIP_FRAME)).build()), List.of()));

        t.add(group("invalid opcode:", List.of(
                format("invalid opcode: ").fmt("invalid opcode in %[1]v").stack(stack(RIP_FRAME)).build()), List.of()));

        t.add(group("int3:", List.of(
                format("int3: ").fmt("int3 in %[1]v").stack(ripCallTrace()).build()), List.of()));

        t.add(group("UBSAN:", List.of(
                format("UBSAN:").report("UBSAN: Undefined behaviour in").fmt("UBSAN: undefined-behaviour in %[1]v")
                        .stack(callTrace("ubsan", "overflow")).build(),
                format("UBSAN: array-index-out-of-bounds in").fmt("UBSAN: array-index-out-of-bounds in %[1]v")
                        .alt("bad-access in %[1]v").stack(callTrace("ubsan", "overflow")).build(),
                format("UBSAN:").report("UBSAN: (.*?) in").fmt("UBSAN: %[1]v in %[2]v")
                        .stack(callTrace("ubsan", "overflow")).build()),
                List.of()));

        t.add(group("Booting the kernel.", List.of(
                format("^Booting the kernel").fmt("unexpected kernel reboot").noStackTrace().build()),
                // The fuzzer may echo boot messages back as bogus mount options.
                rules("Parsing ELF|Decompressing Linux|Unknown parameter '")));

        t.add(group("unregister_netdevice: waiting for", List.of(
                format("unregister_netdevice: waiting for (?:.*) to become free")
                        .fmt("unregister_netdevice: waiting for DEV to become free").noStackTrace().build()),
                List.of()));

        // Custom VFS errors of older kernels (syzkaller issue #3621).
        t.add(group("VFS: Close: file count is 0", List.of(
                format("VFS: Close: file count is 0").fmt("VFS: Close: file count is zero (use-after-free)").noStackTrace()
                        .build()),
                List.of()));
        t.add(group("VFS: Busy inodes after unmount", List.of(
                format("VFS: Busy inodes after unmount").fmt("VFS: Busy inodes after unmount (use-after-free)").noStackTrace()
                        .build()),
                List.of()));

        // arm64 "Internal error: synchronous external abort" is arm's "Unable to handle kernel paging request".
        t.add(group("Internal error:", List.of(
                format("Internal error:").fmt("Internal error in %[1]v").alt("bad-access in %[1]v").stack(ripCallTrace())
                        .build()),
                List.of()));
        // arm's "Unhandled fault: page domain fault" is x86's NULL-deref general protection fault.
        t.add(group("Unhandled fault:", List.of(
                format("Unhandled fault:").fmt("Unhandled fault in %[1]v").alt("bad-access in %[1]v").stack(ripCallTrace())
                        .build()),
                List.of()));
        t.add(group("Alignment trap:", List.of(
                format("Alignment trap:").fmt("Alignment trap in %[1]v").stack(ripCallTrace()).build()),
                List.of()));

        t.add(group("trusty: panic", List.of(
                format("trusty: panic.* ASSERT FAILED")
                        .report("trusty: panic \\(.*?\\):(?: DEBUG)? ASSERT FAILED at \\(.*?\\): (.+)")
                        .fmt("trusty: ASSERT FAILED: %[1]v").noStackTrace().build(),
                format("trusty: panic.* ASSERT FAILED.*: *(.*)").fmt("trusty: ASSERT FAILED: %[1]v").corrupted().build(),
                format("trusty: panic").report("trusty: panic \\(.*?\\): (.+)").fmt("trusty: panic: %[1]v").noStackTrace()
                        .build()),
                List.of()));

        // Go runtime errors (syzkaller's own tools, gVisor...).
        t.add(group("fatal error:", List.of(
                format("fatal error:").fmt("go runtime error").noStackTrace().build()),
                rules("ALSA", "fatal error: cannot create timer")));

        // Produced by syzkaller itself (report.go commonOopses).
        t.add(group("SYZFAIL:", List.of(
                format("SYZFAIL:(.*)").fmt("SYZFAIL:%[1]v").noStackTrace().build()),
                List.of()));
        t.add(group("SYZFATAL:", List.of(
                format("SYZFATAL:(.*)()").alt("SYZFATAL%[2]s").fmt("SYZFATAL:%[1]v").noStackTrace().build()),
                List.of()));
        t.add(group("panic:", List.of(
                format("panic: Sentry detected .* stuck task").fmt("panic: Sentry detected stuck tasks").noStackTrace().build(),
                format("panic:(.*)").fmt("panic:%[1]v").noStackTrace().build()),
                // "_panic:" is in kernel functions (skb_panic...); Android prints the others during boot.
                rules("_panic:", "xlog_status:", "ddb\\.onpanic:", "evtlog_status:")));
        return List.copyOf(t);
    }
}
