package kdive.elf.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import kdive.elf.ElfHeader;
import kdive.elf.ProgramHeader;
import kdive.elf.Section;
import kdive.io.BinaryReader;
import kdive.io.FormatException;

/** Parses the ELF header, section headers and program headers (System V gABI chapter 4). */
public final class HeaderParser {
    private static final int SHN_XINDEX = 0xffff;
    private static final int PN_XNUM = 0xffff;

    private HeaderParser() {}

    public static ElfHeader header(MemorySegment data, String file) {
        var r = new BinaryReader(data, file, 0, ByteOrder.LITTLE_ENDIAN);
        if (data.byteSize() < 16) {
            throw new FormatException(file, 0, "an ELF file (at least 16 bytes of e_ident), got %d bytes".formatted(data.byteSize()));
        }
        if (r.u8() != 0x7f || r.u8() != 'E' || r.u8() != 'L' || r.u8() != 'F') {
            throw new FormatException(file, 0, "the ELF magic \\x7fELF");
        }
        int elfClass = r.u8();
        int dataEnc = r.u8();
        if (elfClass != 1 && elfClass != 2) {
            throw new FormatException(file, 4, "EI_CLASS 1 (ELF32) or 2 (ELF64), got %d".formatted(elfClass));
        }
        if (dataEnc != 1 && dataEnc != 2) {
            throw new FormatException(file, 5, "EI_DATA 1 (little-endian) or 2 (big-endian), got %d".formatted(dataEnc));
        }
        r.u8(); // EI_VERSION
        int osAbi = r.u8();
        boolean is64 = elfClass == 2;
        ByteOrder order = dataEnc == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        var h = new BinaryReader(data, file, 0, order).seek(16);
        int type = h.u16();
        int machine = h.u16();
        h.u32(); // e_version
        long entry = is64 ? h.u64() : h.u32();
        long phoff = is64 ? h.u64() : h.u32();
        long shoff = is64 ? h.u64() : h.u32();
        int flags = h.s32();
        h.u16(); // e_ehsize
        int phentsize = h.u16();
        int phnum = h.u16();
        int shentsize = h.u16();
        int shnum = h.u16();
        int shstrndx = h.u16();
        int expectedSh = is64 ? 64 : 40;
        int expectedPh = is64 ? 56 : 32;
        if (shoff != 0 && shentsize < expectedSh) {
            throw new FormatException(file, is64 ? 58 : 46, "e_shentsize >= %d, got %d".formatted(expectedSh, shentsize));
        }
        if (phoff != 0 && phnum != 0 && phentsize < expectedPh) {
            throw new FormatException(file, is64 ? 54 : 42, "e_phentsize >= %d, got %d".formatted(expectedPh, phentsize));
        }
        // Extended numbering (gABI "Sections", "Program Header"): the real counts live in section 0.
        if (shoff != 0 && (shnum == 0 || shstrndx == SHN_XINDEX || phnum == PN_XNUM)) {
            var s0 = sectionReader(data, file, order, shoff, shentsize, 0);
            s0.u32();
            s0.u32();
            if (is64) { s0.u64(); s0.u64(); s0.u64(); } else { s0.u32(); s0.u32(); s0.u32(); }
            long size = is64 ? s0.u64() : s0.u32();
            int link = s0.s32();
            int info = s0.s32();
            if (shnum == 0) {
                shnum = (int) Math.min(size, Integer.MAX_VALUE);
            }
            if (shstrndx == SHN_XINDEX) {
                shstrndx = link;
            }
            if (phnum == PN_XNUM) {
                phnum = info;
            }
        }
        if (shoff == 0) {
            shnum = 0;
        }
        if (phoff == 0) {
            phnum = 0;
        }
        checkTable(data, file, shoff, shnum, shentsize, "section header table");
        checkTable(data, file, phoff, phnum, phentsize, "program header table");
        return new ElfHeader(is64, order, osAbi, type, machine, entry, phoff, shoff, flags,
                phentsize, phnum, shentsize, shnum, shstrndx);
    }

    private static void checkTable(MemorySegment data, String file, long off, long count, long entsize, String what) {
        if (count < 0 || Long.compareUnsigned(off, data.byteSize()) > 0 || count * entsize > data.byteSize() - off) {
            throw new FormatException(file, off, "a %s of %d entries of %d bytes within the file's %d bytes"
                    .formatted(what, count, entsize, data.byteSize()));
        }
    }

    private static BinaryReader sectionReader(MemorySegment data, String file, ByteOrder order, long shoff, int entsize, int i) {
        return new BinaryReader(data, file, 0, order).slice(shoff + (long) i * entsize, entsize);
    }

    public static List<Section> sections(MemorySegment data, String file, ElfHeader h) {
        var raw = new ArrayList<long[]>(h.shnum());
        for (int i = 0; i < h.shnum(); i++) {
            var r = sectionReader(data, file, h.order(), h.shoff(), h.shentsize(), i);
            boolean w = h.is64();
            long nameOff = r.u32();
            long type = r.u32();
            long flags = w ? r.u64() : r.u32();
            long addr = w ? r.u64() : r.u32();
            long offset = w ? r.u64() : r.u32();
            long size = w ? r.u64() : r.u32();
            long link = r.u32();
            long info = r.u32();
            long align = w ? r.u64() : r.u32();
            long entsize = w ? r.u64() : r.u32();
            raw.add(new long[] {nameOff, type, flags, addr, offset, size, link, info, align, entsize});
        }
        BinaryReader strtab = null;
        if (h.shstrndx() > 0 && h.shstrndx() < raw.size()) {
            long[] s = raw.get(h.shstrndx());
            strtab = fileSlice(data, file, h.order(), s[4], s[5], "section name table (e_shstrndx %d)".formatted(h.shstrndx()));
        }
        var out = new ArrayList<Section>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            long[] s = raw.get(i);
            String name = strtab == null ? "" : stringAt(strtab, s[0]);
            out.add(new Section(i, name, (int) s[1], s[2], s[3], s[4], s[5], (int) s[6], (int) s[7], s[8], s[9]));
        }
        return List.copyOf(out);
    }

    public static List<ProgramHeader> programHeaders(MemorySegment data, String file, ElfHeader h) {
        var out = new ArrayList<ProgramHeader>(h.phnum());
        for (int i = 0; i < h.phnum(); i++) {
            var r = new BinaryReader(data, file, 0, h.order()).slice(h.phoff() + (long) i * h.phentsize(), h.phentsize());
            if (h.is64()) {
                int type = r.s32();
                int flags = r.s32();
                out.add(new ProgramHeader(i, type, flags, r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64()));
            } else {
                int type = r.s32();
                long offset = r.u32();
                long vaddr = r.u32();
                long paddr = r.u32();
                long filesz = r.u32();
                long memsz = r.u32();
                int flags = r.s32();
                out.add(new ProgramHeader(i, type, flags, offset, vaddr, paddr, filesz, memsz, r.u32()));
            }
        }
        return List.copyOf(out);
    }

    /** A reader over file bytes {@code [offset, offset+size)}, or a FormatException naming {@code what}. */
    public static BinaryReader fileSlice(MemorySegment data, String file, ByteOrder order, long offset, long size, String what) {
        if (offset < 0 || size < 0 || offset > data.byteSize() || size > data.byteSize() - offset) {
            throw new FormatException(file, offset, "%s: %d bytes at offset 0x%x within the file's %d bytes"
                    .formatted(what, size, offset, data.byteSize()));
        }
        return new BinaryReader(data.asSlice(offset, size), file, offset, order);
    }

    /** The NUL-terminated string at {@code offset} of a string table. */
    public static String stringAt(BinaryReader strtab, long offset) {
        if (offset < 0 || offset >= strtab.size()) {
            throw strtab.error(0, "a string table offset below %d, got %d".formatted(strtab.size(), offset));
        }
        return strtab.seek(offset).cstring();
    }
}
