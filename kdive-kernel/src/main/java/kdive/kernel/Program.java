package kdive.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import kdive.dump.DumpFile;
import kdive.dump.Kaslr;
import kdive.dump.KernelLocation;
import kdive.dump.X86Paging;
import kdive.dwarf.Dwarf;
import kdive.dwarf.Type;
import kdive.dwarf.Types;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.elf.Symbol;
import kdive.io.FaultException;
import kdive.io.LookupException;
import kdive.io.MissingDebugInfoException;
import kdive.kernel.internal.NameIndex;

/**
 * A crashed kernel as drgn's Program sees it: a dump's memory read through the kernel's page
 * tables, plus the debug vmlinux's symbols (slid by the KASLR offset) and DWARF types. The
 * vmlinux is checked against the dump first: a vmlinux of another build is refused in one
 * line. Thread-safe (every part below is); closing it closes what it opened.
 */
public final class Program implements Memory, AutoCloseable {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DumpFile dump;
    private final ElfFile vmlinux;
    private final Types types;
    private final Map<String, NameIndex.Variable> variables;
    private final KernelLocation location;
    private final X86Paging paging;
    private final boolean owns;
    private static final long PAGE = 4096;
    private static final int TLB_MAX = 1 << 14;
    private final java.util.concurrent.ConcurrentHashMap<Long, Long> tlb = new java.util.concurrent.ConcurrentHashMap<>();
    /** Member lookups by (struct DIE, name): a helper asks for the same dozen members of every task. */
    private final java.util.concurrent.ConcurrentHashMap<String, Optional<Obj.Found>> members =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Program(DumpFile dump, ElfFile vmlinux, boolean owns) {
        this.dump = dump;
        this.vmlinux = vmlinux;
        this.owns = owns;
        this.location = Kaslr.locate(dump, Optional.of(vmlinux));
        Kaslr.checkVmlinux(dump, vmlinux, location);
        this.paging = location.paging(dump.memory());
        if (vmlinux.findSection(".debug_info").isEmpty()) {
            throw new MissingDebugInfoException(vmlinux.name()
                    + ": no .debug_info: give the debug vmlinux (e.g. /usr/lib/debug/boot/vmlinux-RELEASE)");
        }
        NameIndex.Index index = NameIndex.of(vmlinux, Dwarf.of(vmlinux));
        this.types = index.types();
        this.variables = index.variables();
    }

    /** Opens both files; the program owns and closes them. */
    public static Program open(Path dumpFile, Path vmlinuxFile) {
        DumpFile d = DumpFile.open(dumpFile);
        ElfFile e = null;
        try {
            e = ElfFile.open(vmlinuxFile);
            return new Program(d, e, true);
        } catch (RuntimeException ex) {
            if (e != null) {
                e.close();
            }
            d.close();
            throw ex;
        }
    }

    /** A program over files the caller keeps open (and closes). */
    public static Program of(DumpFile dump, ElfFile vmlinux) {
        return new Program(dump, vmlinux, false);
    }

    public DumpFile dump() { return dump; }

    public ElfFile vmlinux() { return vmlinux; }

    public Types types() { return types; }

    public KernelLocation location() { return location; }

    /** The KASLR slide of kernel-image addresses. */
    public long kaslrOffset() { return location.kernelOffset(); }

    // ---- memory ----

    /**
     * Copies kernel virtual memory, a page at a time. Translations are remembered (a software
     * TLB of at most {@link #TLB_MAX} pages, emptied when full): a helper reads a dozen fields of
     * each task, and walking four table levels for each costs more than the reads themselves.
     */
    public void read(long vaddr, byte[] dst, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, dst.length);
        int done = 0;
        while (done < length) {
            long va = vaddr + done;
            long page = va & ~(PAGE - 1);
            Long pa = tlb.get(page);
            if (pa == null) {
                X86Paging.Translation t = paging.walk(page);
                if (t.paddr().isEmpty()) {
                    throw new FaultException(vaddr, length, "0x%016x: %s".formatted(va, t.fault()));
                }
                pa = t.paddr().get();
                if (tlb.size() >= TLB_MAX) {
                    tlb.clear();
                }
                tlb.put(page, pa);
            }
            int n = (int) Math.min(length - done, PAGE - (va & (PAGE - 1)));
            dump.memory().read(pa + (va & (PAGE - 1)), dst, offset + done, n);
            done += n;
        }
    }

    public byte[] read(long vaddr, int length) {
        byte[] out = new byte[length];
        read(vaddr, out, 0, length);
        return out;
    }

    @Override
    public long u64(long vaddr) {
        return MemorySegment.ofArray(read(vaddr, 8)).get(U64, 0);
    }

    public long u32(long vaddr) {
        return Integer.toUnsignedLong(MemorySegment.ofArray(read(vaddr, 4)).get(U32, 0));
    }

    /** An unsigned little-endian integer of 1 to 8 bytes. */
    public long unsigned(long vaddr, int size) {
        byte[] b = read(vaddr, size);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    /** Physical address of {@code vaddr} ({@link kdive.io.FaultException} when unmapped). */
    public long toPhysical(long vaddr) {
        return paging.toPhysical(vaddr);
    }

    // ---- symbols ----

    /**
     * Runtime address of a link-time one: kernel-image addresses move by the KASLR offset;
     * per-CPU symbols (offsets into .data..percpu, linked at 0) and absolute ones do not.
     */
    public long runtime(long linked) {
        return Long.compareUnsigned(linked, X86Paging.START_KERNEL_MAP) >= 0 ? linked + kaslrOffset() : linked;
    }

    /** The runtime address of symbol {@code name}. */
    public OptionalLong findSymbol(String name) {
        return vmlinux.symbols().findByName(name).map(s -> OptionalLong.of(runtime(s.value()))).orElse(OptionalLong.empty());
    }

    public long symbol(String name) {
        return findSymbol(name).orElseThrow(() -> new LookupException("%s: no symbol %s".formatted(vmlinux.name(), name)));
    }

    /** Every symbol named {@code name} (static functions may repeat), with crash's type letters. */
    public List<SymbolHit> symbols(String name) {
        var out = new ArrayList<SymbolHit>();
        for (Symbol s : vmlinux.symbols().allByName(name)) {
            if (s.isDefined() && s.type() != Symbol.STT_FILE && s.type() != Symbol.STT_SECTION) {
                out.add(new SymbolHit(s, runtime(s.value()), letter(s), 0));
            }
        }
        out.sort((a, b) -> Long.compareUnsigned(a.address(), b.address()));
        return out;
    }

    /** The symbol at or below runtime address {@code vaddr}, as crash's sym finds it. */
    public Optional<SymbolHit> symbolize(long vaddr) {
        long linked = Long.compareUnsigned(vaddr, X86Paging.START_KERNEL_MAP + kaslrOffset()) >= 0
                ? vaddr - kaslrOffset() : vaddr;
        if (Long.compareUnsigned(linked, X86Paging.START_KERNEL_MAP) < 0) {
            return Optional.empty(); // direct map, vmalloc, modules: no vmlinux symbol covers them
        }
        return vmlinux.symbols().findNearestBelow(linked).filter(s -> withinImage(s, linked))
                .map(s -> new SymbolHit(s, runtime(s.value()), letter(s), linked - s.value()));
    }

    /** A nearest-below match counts only inside the symbol's section (past _end is nothing). */
    private boolean withinImage(Symbol s, long linked) {
        if (s.shndx() <= 0 || s.shndx() >= vmlinux.sections().size()) {
            return false;
        }
        Section sec = vmlinux.section(s.shndx());
        return Long.compareUnsigned(linked - sec.addr(), Math.max(sec.size(), 1)) < 0;
    }

    /** nm's letter (binutils nm.c decode_symbol_class): by the section's flags, upper case when global. */
    private char letter(Symbol s) {
        char c;
        if (s.shndx() == Symbol.SHN_ABS) {
            c = 'a';
        } else if (s.shndx() <= 0 || s.shndx() >= vmlinux.sections().size()) {
            c = '?';
        } else {
            Section sec = vmlinux.section(s.shndx());
            if (sec.name().equals(".data..percpu")) {
                c = 'v';
            } else if ((sec.flags() & Section.SHF_EXECINSTR) != 0) {
                c = 't';
            } else if (sec.type() == Section.SHT_NOBITS) {
                c = 'b';
            } else if ((sec.flags() & Section.SHF_WRITE) != 0) {
                c = 'd';
            } else {
                c = 'r';
            }
        }
        return s.bind() == Symbol.STB_LOCAL ? c : Character.toUpperCase(c);
    }

    // ---- types and objects ----

    /** The type named {@code name} ("struct task_struct", "unsigned long", a typedef). */
    public Type type(String name) {
        return types.findType(name).orElseThrow(() -> new LookupException("%s: no type %s in the DWARF"
                .formatted(vmlinux.name(), name)));
    }

    public Optional<Type> findType(String name) {
        return types.findType(name);
    }

    /**
     * Global variable {@code name}: type and address from its DWARF definition (the name index
     * keeps both, so no symbol table is parsed), else the address from the symbol table.
     */
    public Obj object(String name) {
        NameIndex.Variable v = variables.get(name);
        if (v == null || v.type() == -1) {
            throw new LookupException("%s: no DWARF for variable %s".formatted(vmlinux.name(), name));
        }
        return Obj.reference(this, v.type(), v.address() != -1 ? runtime(v.address()) : symbol(name));
    }

    public boolean hasObject(String name) {
        NameIndex.Variable v = variables.get(name);
        return v != null && v.type() != -1 && (v.address() != -1 || findSymbol(name).isPresent());
    }

    /** An object of type {@code typeName} at {@code address} (drgn's Object(prog, type, address=)). */
    public Obj object(String typeName, long address) {
        return Obj.reference(this, type(typeName).offset(), address);
    }

    /** A pointer-typed value: {@code typeName *} holding {@code address}. */
    public Obj pointer(String typeName, long address) {
        return Obj.pointerTo(this, type(typeName).offset(), address);
    }

    Optional<Obj.Found> member(long structType, String name) {
        return members.computeIfAbsent(structType + "." + name, k -> Obj.tryFind(types, structType, name, 0));
    }

    @Override
    public void close() {
        if (owns) {
            try {
                vmlinux.close();
            } finally {
                dump.close();
            }
        }
    }
}
