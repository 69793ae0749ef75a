#!/usr/bin/env bash
# A copy of a running kernel's /proc/kcore, for kdive's kcore tests (this project's machines
# have no /proc/kcore of their own): boots Debian's cloud kernel in QEMU (TCG, 256 MB) with a
# busybox initramfs whose /init (crashlab/kcore-init.sh) copies /proc/kcore's headers and every
# physical segment onto a virtio disk, then powers off; crashlab/kcore-compact.py points the
# program headers at the copies. Needs root on Debian (as make-vmcores.sh). Idempotent; prints
# the output directory $KDIVE_CACHE/kcore/<release>/ (KDIVE_CACHE defaults to ~/.cache/kdive):
#   kcore.elf     the real headers and notes (VMCOREINFO among them), RAM at 1 MiB + p_paddr
#   console.log   serial console: the kernel's log up to the copy, the PT_LOADs copied
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
"$here/make-vmcores.sh" >/dev/null   # installs QEMU, busybox-static, cpio; fetches the kernel
kdir=$("$here/fetch-kernel.sh")
release=$(cat "$kdir/release")
out="${KDIVE_CACHE:-$HOME/.cache/kdive}/kcore/$release"
version=1
if [ -f "$out/.complete" ] && [ "$(cat "$out/.complete")" = "$version" ]; then
    echo "$out"
    exit 0
fi
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
work="$out.tmp/work"
root="$work/root"
mkdir -p "$root"/{bin,dev,proc,sys}
trap '[ -n "${qemu_pid:-}" ] && kill "$qemu_pid" 2>/dev/null; true' EXIT
cp /bin/busybox "$root/bin/busybox"
cp "$here/crashlab/kcore-init.sh" "$root/init"
chmod +x "$root/init"
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk; do
    cp "$(find "$kdir/modules/kernel" -name "$m.ko" | head -1)" "$root/"
done
mknod "$root/dev/console" c 5 1
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"
truncate -s 300M "$work/disk.img"
timeout 900 qemu-system-x86_64 -machine pc -accel tcg -m 256 -smp 2 \
    -kernel "$kdir/vmlinuz" -initrd "$work/initrd.gz" \
    -append "console=ttyS0 ignore_loglevel panic=0 nmi_watchdog=0 tsc=unstable" \
    -drive "file=$work/disk.img,format=raw,if=virtio" \
    -display none -monitor none -serial "file:$out.tmp/console.log" -no-reboot 2>"$work/qemu.log" &
qemu_pid=$!
wait "$qemu_pid" || true
qemu_pid=
grep -q "=== kdive-kcore: done ===" "$out.tmp/console.log" \
    || { cat "$work/qemu.log" >&2; tail -30 "$out.tmp/console.log" >&2; echo "make-kcore: the guest did not finish" >&2; exit 1; }
python3 "$here/crashlab/kcore-compact.py" "$work/disk.img" "$out.tmp/kcore.elf"
rm -rf "$work"
echo "$version" > "$out.tmp/.complete"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out"
