#!/usr/bin/env bash
# Builds kdive's real crash-dump fixtures: boots Debian's cloud kernel in QEMU (TCG, 256 MB,
# 2 CPUs, KASLR on, -device vmcoreinfo), crashes it two ways, captures QEMU's dumps through QMP
# and derives every makedumpfile format from them. Needs root on Debian (apt-get, mknod).
# Idempotent: a complete cache is reused. Prints the output directory.
#
#   scripts/make-vmcores.sh        # kernel from scripts/fetch-kernel.sh
#   KDIVE_DEBIAN="http://deb.debian.org/debian bullseye" scripts/make-vmcores.sh   # another release's
#   KDIVE_DEBIAN="http://deb.debian.org/debian trixie" KDIVE_SCENARIOS="sysrq novmcoreinfo" scripts/make-vmcores.sh
#
# KDIVE_SCENARIOS (default "sysrq skb la57 novmcoreinfo") leaves scenarios out: skb needs a module built
# against the kernel's headers, which trixie's kbuild tools (glibc 2.38, gcc-14 flags) cannot do
# on bookworm. The file "scenarios" lists what was made; tests skip the others.
# KDIVE_DUMP_LEVEL (default 31) is makedumpfile's -d for the derived dumps. Bookworm's makedumpfile
# 1.7.2 misreads 6.12's page flags (page types moved in 6.8) and at -d 31 drops live slab pages
# (task_structs, signal_structs); -d 1 (zero pages only) judges by content and is right on any kernel.
#
# $KDIVE_CACHE/vmcores/<release>/<scenario>/ (KDIVE_CACHE defaults to ~/.cache/kdive), scenarios
# "sysrq" (echo c > /proc/sysrq-trigger), "skb" (crashlab_skb: NULL write in __skb_insert) and
# "la57" (sysrq on a CPU with 5-level paging, which the kernel then uses):
#   console.log            serial console; "=== kdive-truth: NAME ===" sections (uname, stext, ps,
#                          modules, modsyms: the modules' /proc/kallsyms lines, slabinfo,
#                          meminfo, cmdline, threads: "leader PID" and the
#                          TIDs of crashlab/threads.c) printed by /init before the crash
#   qemu.elf               QMP dump-guest-memory, ELF (program headers after two section headers)
#   qemu-kdump-zlib.flat   QMP dump-guest-memory format kdump-zlib (makedumpfile's flattened format)
#   kdump-zlib kdump-lzo kdump-raw   makedumpfile -d 31 -c / -l / no compression (kdump compressed)
#   kdump-elf              makedumpfile -d 31 -E (ELF)
#   kdump-zlib.flat        makedumpfile -d 31 -c -F (flattened kdump)
#   kdump-elf.flat         makedumpfile -d 31 -E -F (flattened ELF)
#   crash-*.txt drgn.txt   what crash and drgn print on these dumps (for later comparison);
#                          crash-log-kdump-zlib.txt: crash's "log -T" and "log -m"
#   crashlab_skb.ko        (skb only) the module, with debug info
# and "novmcoreinfo" (sysrq without the qemu_fw_cfg driver): console.log, qemu-kdump-zlib.flat only.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
need=()
for p in qemu-system-x86:qemu-system-x86_64 makedumpfile:makedumpfile \
         cpio:cpio python3:python3 gcc:gcc make:make kmod:modinfo xz-utils:xz; do
    command -v "${p#*:}" >/dev/null 2>&1 || need+=("${p%%:*}")
done
# The initramfs has no libc: Debian's "busybox" is dynamically linked, "busybox-static" is not.
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "install ok installed" || need+=(busybox-static)
# crash and drgn only write the reference outputs beside the fixtures (CrashReferenceTest).
command -v crash >/dev/null 2>&1 || need+=(crash)
dpkg-query -W -f='${Status}' python3-drgn 2>/dev/null | grep -q "install ok installed" || need+=(python3-drgn)
if [ ${#need[@]} -gt 0 ]; then
    apt-get install -y -q "${need[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -q "${need[@]}" >/dev/null; }
fi

kdir=$("$here/fetch-kernel.sh")
release=$(cat "$kdir/release")
out="${KDIVE_CACHE:-$HOME/.cache/kdive}/vmcores/$release"
# Bump when the fixtures change (scenarios, files, reference commands): older caches are rebuilt.
fixtures_version=8

log_references() {  # dir: crash's log -T / log -m (added after version 4; made for older caches too)
    local dir=$1
    [ -s "$dir/crash-log-kdump-zlib.txt" ] && return 0
    command -v crash >/dev/null 2>&1 || return 0
    printf 'log -T\nlog -m\nq\n' | timeout 300 crash -s "$kdir/vmlinux" "$dir/kdump-zlib" \
        >"$dir/crash-log-kdump-zlib.tmp" 2>&1 || true
    mv "$dir/crash-log-kdump-zlib.tmp" "$dir/crash-log-kdump-zlib.txt"
}

if [ -f "$out/.complete" ] && [ "$(cat "$out/.complete")" = "$fixtures_version" ]; then
    for scenario in sysrq skb la57; do [ -d "$out/$scenario" ] && log_references "$out/$scenario"; done
    echo "$out"
    exit 0
fi
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
work="$out.tmp/work"
mkdir -p "$work"
trap '[ -n "${qemu_pid:-}" ] && kill "$qemu_pid" 2>/dev/null; true' EXIT

scenarios="${KDIVE_SCENARIOS:-sysrq skb la57 novmcoreinfo}"
level="${KDIVE_DUMP_LEVEL:-31}"
wants() { case " $scenarios " in *" $1 "*) return 0 ;; esac; return 1; }

# The guest's multi-threaded process (the initramfs has no libc: static).
gcc -static -O2 -pthread -o "$work/threads" "$here/crashlab/threads.c"

# The module, built with debug info against the fetched headers. The flavour directory's
# Makefile includes the -common one by its installed (/usr/src) path, so name it with -f.
if wants skb; then
    hdr="$kdir/headers/usr/src"
    cp "$here/crashlab/crashlab_skb.c" "$here/crashlab/Kbuild" "$work/"
    # Another Debian release's headers name that release's compiler (gcc-10 for 5.10): when it is
    # not installed, the machine's gcc builds the module (these kernels' vermagic holds no compiler).
    kcc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(gcc-[0-9]*\) .*/\1/p' "$hdr/linux-headers-$release/.config" 2>/dev/null || true)
    cc_override=()
    if [ -n "$kcc" ] && ! command -v "$kcc" >/dev/null 2>&1; then cc_override=(CC=gcc); fi
    make -s "${cc_override[@]}" -f "$hdr"/linux-headers-*-common/Makefile -C "$hdr/linux-headers-$release" M="$work" \
        modules >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
    modinfo -F vermagic "$work/crashlab_skb.ko" | grep -q "^$release " \
        || { echo "make-vmcores: crashlab_skb.ko vermagic does not match $release" >&2; exit 1; }
fi

initramfs() {  # scenario -> $work/initrd-<scenario>.gz
    local root="$work/root-$1"
    rm -rf "$root"
    mkdir -p "$root"/{bin,dev,proc,sys}
    cp /bin/busybox "$root/bin/busybox"
    cp "$here/crashlab/init.sh" "$root/init"
    cp "$work/threads" "$root/threads"
    chmod +x "$root/init"
    echo "$1" > "$root/scenario"
    # Releases since 6.x (trixie) ship xz-compressed modules: busybox's insmod wants them plain.
    if [ -e "$kdir/modules/kernel/drivers/firmware/qemu_fw_cfg.ko" ]; then
        cp "$kdir/modules/kernel/drivers/firmware/qemu_fw_cfg.ko" "$root/"
    else
        xz -dc "$kdir/modules/kernel/drivers/firmware/qemu_fw_cfg.ko.xz" > "$root/qemu_fw_cfg.ko"
    fi
    if [ "$1" = skb ]; then cp "$work/crashlab_skb.ko" "$root/"; fi
    mknod "$root/dev/console" c 5 1
    mknod "$root/dev/null" c 1 3  # busybox sh starts background jobs (/threads) on /dev/null
    (cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd-$1.gz"
}

capture() {  # scenario -> $out.tmp/<scenario>/{console.log,qemu.elf,qemu-kdump-zlib.flat}
    local dir="$out.tmp/$1"
    mkdir -p "$dir"
    initramfs "$1"
    rm -f "$work/qmp.sock"
    local cpu=qemu64
    if [ "$1" = la57 ]; then cpu=qemu64,+la57; fi
    qemu-system-x86_64 -machine pc -accel tcg -cpu "$cpu" -m 256 -smp 2 -device vmcoreinfo \
        -kernel "$kdir/vmlinuz" -initrd "$work/initrd-$1.gz" \
        -append "console=ttyS0 ignore_loglevel oops=panic panic=0 nmi_watchdog=0 tsc=unstable" \
        -display none -monitor none -serial "file:$dir/console.log" \
        -qmp "unix:$work/qmp.sock,server=on,wait=off" -no-reboot 2>"$work/qemu-$1.log" &
    qemu_pid=$!
    for _ in $(seq 50); do [ -S "$work/qmp.sock" ] && break; sleep 0.2; done
    python3 "$here/crashlab/capture.py" "$work/qmp.sock" "$dir/console.log" "$dir" 600 \
        || { cat "$work/qemu-$1.log" >&2; tail -30 "$dir/console.log" >&2; exit 1; }
    wait "$qemu_pid" || true
    qemu_pid=
    grep -q "=== kdive-truth: end ===" "$dir/console.log" \
        || { echo "make-vmcores: $1: /init did not finish printing" >&2; exit 1; }
}

derive() {  # scenario: makedumpfile's formats from QEMU's ELF dump
    local dir="$out.tmp/$1" fixed="$work/$1-phdrs-first.elf"
    python3 "$here/crashlab/elf-phdrs-first.py" "$dir/qemu.elf" "$fixed"
    makedumpfile -c -d "$level" "$fixed" "$dir/kdump-zlib" >"$work/$1-mdf.log" 2>&1
    makedumpfile -l -d "$level" "$fixed" "$dir/kdump-lzo" >>"$work/$1-mdf.log" 2>&1
    makedumpfile -d "$level" "$fixed" "$dir/kdump-raw" >>"$work/$1-mdf.log" 2>&1
    makedumpfile -E -d "$level" "$fixed" "$dir/kdump-elf" >>"$work/$1-mdf.log" 2>&1
    makedumpfile -F -c -d "$level" "$fixed" >"$dir/kdump-zlib.flat" 2>>"$work/$1-mdf.log"
    makedumpfile -F -E -d "$level" "$fixed" >"$dir/kdump-elf.flat" 2>>"$work/$1-mdf.log"
    rm -f "$fixed"
}

references() {  # scenario: what crash and drgn say, when they are installed (best effort)
    local dir="$out.tmp/$1" f uts
    if command -v crash >/dev/null 2>&1; then
        # crash's vtop takes no symbol: give it the address from the dump's own vmcoreinfo.
        uts=$(grep -a -o -m1 'SYMBOL(init_uts_ns)=[0-9a-f]*' "$dir/kdump-zlib" | cut -d= -f2)
        for f in kdump-zlib qemu.elf; do
            printf 'sys\nlog\nps\nrd init_uts_ns 8\nvtop %s\nq\n' "$uts" | timeout 300 crash -s "$kdir/vmlinux" "$dir/$f" \
                >"$dir/crash-$f.txt" 2>&1 || true
        done
    fi
    log_references "$dir"
    # Debian's python3-drgn lives in the system interpreter, not in whatever python3 is first on PATH.
    if /usr/bin/python3 -c 'import drgn' 2>/dev/null; then
        timeout 300 /usr/bin/python3 "$here/crashlab/drgn-truth.py" "$kdir/vmlinux" "$dir/kdump-zlib" \
            >"$dir/drgn.txt" 2>&1 || true
    fi
}

for scenario in sysrq skb la57; do
    wants "$scenario" || continue
    capture "$scenario"
    derive "$scenario"
    references "$scenario"
done
# No vmcoreinfo at all: kdive must find KASLR from the vmlinux. QEMU's flattened kdump suffices.
if wants novmcoreinfo; then
    capture novmcoreinfo
    rm -f "$out.tmp/novmcoreinfo/qemu.elf"
fi
if wants skb; then cp "$work/crashlab_skb.ko" "$out.tmp/skb/"; fi
rm -rf "$work"
echo "$scenarios" > "$out.tmp/scenarios"
if [ -e "$kdir/debian-suite" ]; then cp "$kdir/debian-suite" "$out.tmp/"; fi
echo "$fixtures_version" > "$out.tmp/.complete"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out"
