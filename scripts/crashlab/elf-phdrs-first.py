#!/usr/bin/python3
"""Copies an ELF core with its program headers moved to offset 64 (right after the ELF header).

usage: elf-phdrs-first.py IN OUT

QEMU 7.2 writes two section headers at 0x40 and the program headers after them (0xc0);
makedumpfile 1.7.2 then fails with "Can't get the number of PT_LOAD". The copy drops the
section headers (they only matter when there are more than 0xffff program headers, which a
small guest never has) and keeps every other byte at its offset.
"""
import shutil, struct, sys

src, dst = sys.argv[1], sys.argv[2]
shutil.copyfile(src, dst)
with open(dst, "r+b") as f:
    ehdr = bytearray(f.read(64))
    if ehdr[:4] != b"\x7fELF" or ehdr[4] != 2 or ehdr[5] != 1:
        sys.exit(f"{src}: not a little-endian ELF64 file")
    phoff, = struct.unpack_from("<Q", ehdr, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", ehdr, 0x36)
    if phnum == 0xffff:
        sys.exit(f"{src}: PN_XNUM program headers are not supported")
    f.seek(phoff)
    phdrs = f.read(phentsize * phnum)
    first_data = min(struct.unpack_from("<Q", phdrs, i * phentsize + 8)[0] for i in range(phnum))
    if 64 + len(phdrs) > first_data:
        sys.exit(f"{src}: no room for the program headers before the first segment")
    struct.pack_into("<Q", ehdr, 0x20, 64)        # e_phoff
    struct.pack_into("<Q", ehdr, 0x28, 0)         # e_shoff
    struct.pack_into("<HHH", ehdr, 0x3a, 0, 0, 0)  # e_shentsize, e_shnum, e_shstrndx
    f.seek(0)
    f.write(ehdr)
    f.write(phdrs)
    f.write(b"\0" * (phoff + len(phdrs) - 64 - len(phdrs)) if phoff > 64 else b"")
