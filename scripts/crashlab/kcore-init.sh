#!/bin/busybox sh
# /init of the kcore initramfs (scripts/make-kcore.sh): copies the running kernel's /proc/kcore
# onto the virtio disk /dev/vda: its first MiB (ELF header, program headers, notes) at disk
# offset 0, and every segment with a physical address (RAM, the kernel text) at 1 MiB + p_paddr,
# because kcore's own file offsets (the kernel's virtual layout, ~128 TiB) fit no disk image.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk; do insmod /$m.ko; done
n=0
while [ ! -b /dev/vda ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
echo "=== kdive-kcore: uname ==="
uname -r
sleep 1
echo "=== kdive-kcore: copy ==="
dd if=/proc/kcore of=/dev/vda bs=65536 count=16 conv=notrunc 2>/dev/null
phnum=$(od -A n -t u2 -j 56 -N 2 /proc/kcore | tr -d ' ')
i=0
while [ "$i" -lt "$phnum" ]; do
    # type|flags<<32, offset, vaddr, paddr, filesz, memsz, align (ELF64 program header)
    set -- $(od -A n -t x8 -j $((64 + 56 * i)) -N 56 /proc/kcore)
    if [ "$(( 0x$1 & 0xffffffff ))" = 1 ] && [ "$4" != ffffffffffffffff ]; then
        echo "kcore PT_LOAD $i: offset 0x$2 vaddr 0x$3 paddr 0x$4 filesz 0x$5"
        dd if=/proc/kcore of=/dev/vda bs=1048576 iflag=skip_bytes,count_bytes,fullblock oflag=seek_bytes \
            skip=$((0x$2)) seek=$((1048576 + 0x$4)) count=$((0x$5)) conv=notrunc,noerror 2>/dev/null
    fi
    i=$((i + 1))
done
sync
echo "=== kdive-kcore: done ==="
sleep 1
echo o > /proc/sysrq-trigger
sleep 3600
