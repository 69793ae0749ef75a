package kdive.dump;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kdive.dump.internal.ByteSource;
import kdive.dump.internal.DumpNotes;
import kdive.dump.internal.ElfLoads;
import kdive.elf.ElfFile;
import kdive.elf.ElfHeader;
import kdive.elf.ProgramHeader;
import kdive.io.BinaryReader;
import kdive.io.FormatException;

/**
 * An ELF core of a whole machine (/proc/vmcore, makedumpfile -E, QEMU dump-guest-memory):
 * PT_LOAD segments hold physical memory, PT_NOTE the CPU states and VMCOREINFO.
 */
public final class ElfCore implements DumpFile {
    private static final int EM_X86_64 = 62;
    private final ByteSource src;
    private final List<ProgramHeader> phdrs;
    private final ElfLoads loads;
    private final List<DumpNote> notes;
    private final Optional<VmcoreInfo> vmcoreInfo;

    private ElfCore(ByteSource src) {
        this.src = src;
        ElfHeader h;
        try (ElfFile headers = ElfFile.of(headerBytes(src), src.name())) {
            h = headers.header();
            this.phdrs = headers.programHeaders();
        }
        if (h.type() != ElfHeader.ET_CORE) {
            throw new FormatException(src.name(), 16, "an ELF core file (e_type 4), got e_type %d".formatted(h.type()));
        }
        if (h.machine() != EM_X86_64 || !h.is64()) {
            throw new FormatException(src.name(), 18,
                    "an x86-64 ELF64 core (e_machine 62), got e_machine %d; other architectures are not supported"
                            .formatted(h.machine()));
        }
        this.loads = new ElfLoads(src, phdrs);
        var all = new ArrayList<DumpNote>();
        for (ProgramHeader p : phdrs) {
            if (p.isNote()) {
                if (p.offset() < 0 || p.filesz() < 0 || p.offset() > src.size() - p.filesz()) {
                    throw new FormatException(src.name(), p.offset(),
                            "a PT_NOTE of %d bytes within the file's %d bytes".formatted(p.filesz(), src.size()));
                }
                all.addAll(DumpNotes.parse(src.slice(p.offset(), p.filesz()), src.name(), p.offset(), h.order()));
            }
        }
        this.notes = List.copyOf(all);
        this.vmcoreInfo = notes.stream().filter(n -> n.name().equals("VMCOREINFO")).findFirst()
                .map(n -> VmcoreInfo.parse(src.name(), n.offset(), new String(n.desc(), StandardCharsets.UTF_8)));
    }

    static ElfCore open(ByteSource src) {
        return new ElfCore(src);
    }

    /**
     * The ELF header, program headers and section headers (a few KiB) as their own image, so the
     * same parser serves a mapped file and a flattened one. e_shstrndx is cleared: QEMU puts the
     * section names at the very end of a file of hundreds of MiB, and nothing here needs them.
     */
    private static byte[] headerBytes(ByteSource src) {
        if (src.size() < 64) {
            throw new FormatException(src.name(), 0, "a 64-byte ELF64 header, file has %d bytes".formatted(src.size()));
        }
        var r = new BinaryReader(src.slice(0, 64), src.name(), 0, ByteOrder.LITTLE_ENDIAN);
        if (r.seek(4).u8() != 2 || r.u8() != 1) {
            throw r.error(4, "a little-endian ELF64 core (x86-64)");
        }
        long phoff = r.seek(0x20).u64();
        long shoff = r.u64();
        int phentsize = r.seek(0x36).u16();
        long phnum = r.u16();
        int shentsize = r.u16();
        long shnum = r.u16();
        if (phnum == 0xffff && shoff != 0 && shoff <= src.size() - 64) {
            // PN_XNUM (gABI): the real count is section 0's sh_info.
            phnum = new BinaryReader(src.slice(shoff + 44, 4), src.name(), shoff + 44, ByteOrder.LITTLE_ENDIAN).u32();
            shnum = Math.max(shnum, 1);
        }
        long end = Math.max(64, Math.max(phoff + phnum * phentsize, shoff == 0 ? 0 : shoff + shnum * shentsize));
        if (phoff < 0 || shoff < 0 || end > src.size() || end > Integer.MAX_VALUE - 8) {
            throw r.error(0x20, "program and section header tables within the file's %d bytes".formatted(src.size()));
        }
        byte[] bytes = src.slice(0, end).toArray(ValueLayout.JAVA_BYTE);
        MemorySegment.ofArray(bytes).set(ValueLayout.JAVA_SHORT_UNALIGNED, 0x3e, (short) 0);
        return bytes;
    }

    /** The program headers (PT_NOTE and PT_LOAD). */
    public List<ProgramHeader> programHeaders() { return phdrs; }

    @Override
    public String name() { return src.name(); }

    @Override
    public String describe() {
        long nloads = phdrs.stream().filter(ProgramHeader::isLoad).count();
        return "ELF core (%d PT_LOAD)".formatted(nloads);
    }

    @Override
    public PhysicalMemory memory() { return loads; }

    @Override
    public Optional<VmcoreInfo> vmcoreInfo() { return vmcoreInfo; }

    @Override
    public List<DumpNote> notes() { return notes; }

    @Override
    public PageStats pageStats() { return loads.stats(); }

    @Override
    public Optional<Truncation> truncation() {
        return loads.truncation();
    }

    @Override
    public void close() {
        src.close();
    }

    @Override
    public String toString() {
        return name() + ": " + describe();
    }
}
