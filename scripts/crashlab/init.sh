#!/bin/busybox sh
# /init of the crashlab initramfs: print what the running kernel says about itself (the truth
# kdive's vmcore tests compare against), then crash the way $SCENARIO says.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
SCENARIO=$(cat /scenario)
# qemu_fw_cfg hands the kernel's vmcoreinfo to QEMU's -device vmcoreinfo (etc/vmcoreinfo);
# without it QEMU's dumps carry no VMCOREINFO note and makedumpfile cannot filter them.
# Scenario "novmcoreinfo" leaves it out: a dump as older QEMU or a guest without the driver gives.
if [ "$SCENARIO" != novmcoreinfo ]; then
    insmod /qemu_fw_cfg.ko
fi
if [ "$SCENARIO" = skb ]; then
    insmod /crashlab_skb.ko
fi
# A multi-threaded process (scripts/crashlab/threads.c): wait until its three threads exist.
/threads &
threads=$!
for _ in $(seq 50); do [ "$(ls /proc/$threads/task | wc -l)" -ge 4 ] && break; sleep 0.1; done
section() { echo "=== kdive-truth: $1 ==="; }
section uname;    uname -a; echo "release $(uname -r)"
section stext;    grep -w -e _stext -e _text /proc/kallsyms
section ps;       ps -o pid,ppid,stat,comm
section modules;  cat /proc/modules
section modsyms;  grep -e '\[qemu_fw_cfg\]$' -e '\[crashlab_skb\]$' /proc/kallsyms  # name, tab, [module]
section slabinfo; cat /proc/slabinfo
section meminfo;  cat /proc/meminfo
section cmdline;  cat /proc/cmdline
section threads;  echo "leader $threads"; ls -1 /proc/$threads/task
section end
# The serial tty drains user output asynchronously, and after a panic nothing flushes it: give
# the lines above time to reach the console before the kernel stops (else "end" may be lost).
sleep 2
case "$SCENARIO" in
    sysrq|novmcoreinfo|la57) echo c > /proc/sysrq-trigger ;;
    skb)   echo 1 > /proc/crashlab_skb ;;
esac
echo "kdive-truth: still alive after the crash trigger" >&2
sleep 3600
