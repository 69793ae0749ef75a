#!/usr/bin/python3
"""Turns the disk image written by kcore-init.sh into an ELF core kdive can open: the real
/proc/kcore headers and notes, each PT_LOAD with a physical address pointing at its copy
(1 MiB + p_paddr); the other PT_LOADs (vmalloc, vmemmap, modules: p_paddr -1) keep their
original, now meaningless, offsets and sizes, as kdive ignores segments without a physical address.

usage: kcore-compact.py DISK_IMAGE OUT
"""
import shutil, struct, sys

disk, out = sys.argv[1], sys.argv[2]
shutil.copyfile(disk, out)
with open(out, "r+b") as f:
    head = f.read(64)
    if head[:4] != b"\x7fELF" or head[4] != 2:
        sys.exit("kcore-compact: the disk holds no ELF64 header (did the guest copy /proc/kcore?)")
    phoff, = struct.unpack_from("<Q", head, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", head, 0x36)
    moved = 0
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        p_type, _flags, p_offset, _vaddr, p_paddr, p_filesz = struct.unpack("<IIQQQQ", f.read(40))
        if p_type == 1 and p_paddr != 0xffffffffffffffff:
            f.seek(phoff + i * phentsize + 8)
            f.write(struct.pack("<Q", (1 << 20) + p_paddr))
            moved += 1
    if moved == 0:
        sys.exit("kcore-compact: no PT_LOAD with a physical address")
