package kdive.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import kdive.dump.DumpFile;
import kdive.dump.Kaslr;
import kdive.dump.KernelLocation;
import kdive.dump.VmcoreInfo;
import kdive.dwarf.Dwarf;
import kdive.dwarf.Type;
import kdive.dwarf.Types;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.elf.Symbol;
import kdive.io.LookupException;
import kdive.io.MissingDebugInfoException;
import kdive.kernel.arch.Arch;
import kdive.kernel.arch.PageTable;
import kdive.kernel.arch.X86_64;
import kdive.kernel.internal.NameIndex;
import kdive.kernel.types.KType;
import kdive.kernel.types.TypeParser;

/**
 * A crashed kernel as drgn's Program sees it: the one session every command works in. It opens a
 * dump alone (memory, vmcoreinfo, KASLR, page tables with the SME mask: enough for rd, vtop, log
 * and vmcoreinfo symbols) and adds the debug vmlinux when given: its symbols (slid by the KASLR
 * offset) and DWARF types, indexed on first use. A vmlinux is checked against the dump first: one
 * of another build is refused in one line. This is the only place that locates the kernel, checks
 * a vmlinux and builds the page tables. Thread-safe (every part below is); closing it closes what
 * it opened.
 */
public final class Program implements Memory, AutoCloseable {
    private final Arch arch;
    private final Optional<DumpFile> dump;
    private final Optional<ElfFile> vmlinux;
    /** Null when the kernel could not be located; {@link #unlocated} says why. */
    private final KernelLocation location;
    private final RuntimeException unlocated;
    private final AddressSpace memory;
    private final List<AutoCloseable> owned;
    /** The vmlinux's DWARF index: built or loaded from the on-disk cache when a type or variable is first asked for. */
    private volatile NameIndex.Index debug;
    /** Member lookups by (struct DIE, name): a helper asks for the same dozen members of every task. */
    private final ConcurrentHashMap<String, Optional<Obj.Found>> members = new ConcurrentHashMap<>();
    /** drgn's prog.cache: what a helper probed once about this kernel (a member's existence, a layout). */
    private final ConcurrentHashMap<String, Object> probes = new ConcurrentHashMap<>();

    private Program(Arch arch, Optional<DumpFile> dump, Optional<ElfFile> vmlinux, KernelLocation location,
                    AddressSpace memory, List<AutoCloseable> owned, RuntimeException unlocated) {
        this.arch = arch;
        this.dump = dump;
        this.vmlinux = vmlinux;
        this.location = location;
        this.unlocated = unlocated;
        this.memory = memory;
        this.owned = List.copyOf(owned);
    }

    /**
     * The one wiring of a dump: where the kernel is (vmcoreinfo, else derived with the vmlinux from
     * QEMU's CPU note), the vmlinux checked against the dump, the page tables over its memory.
     */
    private static Program over(DumpFile dump, Optional<ElfFile> vmlinux, List<AutoCloseable> owned) {
        Arch arch = new X86_64();
        KernelLocation where;
        try {
            where = Kaslr.locate(dump, vmlinux);
        } catch (MissingDebugInfoException e) {
            // A dump without vmcoreinfo and no vmlinux: its physical memory still reads (rd -p);
            // virtual reads and the location say why they cannot.
            return new Program(arch, Optional.of(dump), vmlinux, null,
                    new AddressSpace(dump.memory(), PageTable.unavailable(e)), owned, e);
        }
        vmlinux.ifPresent(v -> Kaslr.checkVmlinux(dump, v, where));
        var memory = new AddressSpace(dump.memory(), arch.pageTable(dump.memory(), where));
        return new Program(arch, Optional.of(dump), vmlinux, where, memory, owned, null);
    }

    /** Opens both files; the program owns and closes them. */
    public static Program open(Path dumpFile, Path vmlinuxFile) {
        DumpFile d = DumpFile.open(dumpFile);
        ElfFile e = null;
        try {
            e = ElfFile.open(vmlinuxFile);
            return over(d, Optional.of(e), List.of(e, d));
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
        return over(dump, Optional.of(vmlinux), List.of());
    }

    /** A program over a dump alone or with its vmlinux, files the caller keeps open (and closes). */
    public static Program of(DumpFile dump, Optional<ElfFile> vmlinux) {
        return over(dump, vmlinux, List.of());
    }

    /**
     * A program over memory that is no dump, with a debug file's symbols and types at their link
     * addresses (no KASLR): a test's image of a compiled program, drgn's mock program.
     */
    public static Program ofMemory(AddressSpace memory, ElfFile debugFile) {
        var where = new KernelLocation(0, 0, memory.pageTable().rootPaddr(), false, 0, "given memory");
        return new Program(new X86_64(), Optional.empty(), Optional.of(debugFile), where, memory, List.of(), null);
    }

    /** The dump; {@link LookupException} for a program over other memory. */
    public DumpFile dump() {
        return dump.orElseThrow(() -> new LookupException("this program reads no dump"));
    }

    public Optional<VmcoreInfo> vmcoreInfo() {
        return dump.flatMap(DumpFile::vmcoreInfo);
    }

    /** The vmlinux; {@link MissingDebugInfoException} when the program was opened without one. */
    public ElfFile vmlinux() {
        return vmlinux.orElseThrow(() -> new MissingDebugInfoException(
                "%s: no vmlinux given: this needs the kernel's symbols (--vmlinux FILE)".formatted(name())));
    }

    public Optional<ElfFile> findVmlinux() { return vmlinux; }

    /** The dump's name, for messages. */
    public String name() {
        return dump.map(DumpFile::name).orElse("memory");
    }

    public Arch arch() { return arch; }

    /** Where the kernel is; the reason it could not be found (no vmcoreinfo, no vmlinux) is thrown. */
    public KernelLocation location() {
        if (location == null) {
            throw unlocated;
        }
        return location;
    }

    /** The KASLR slide of kernel-image addresses. */
    public long kaslrOffset() { return location().kernelOffset(); }

    /** The vmlinux has DWARF (types and variables can be asked for). */
    public boolean hasDebugInfo() {
        return vmlinux.isPresent() && vmlinux.get().findSection(".debug_info").isPresent();
    }

    private NameIndex.Index debug() {
        NameIndex.Index d = debug;
        if (d == null) {
            synchronized (this) {
                d = debug;
                if (d == null) {
                    ElfFile elf = vmlinux();
                    if (elf.findSection(".debug_info").isEmpty()) {
                        throw new MissingDebugInfoException(elf.name()
                                + ": no .debug_info: give the debug vmlinux (e.g. /usr/lib/debug/boot/vmlinux-RELEASE)");
                    }
                    d = NameIndex.of(elf, Dwarf.of(elf));
                    debug = d;
                }
            }
        }
        return d;
    }

    public Types types() { return debug().types(); }

    /**
     * What a helper probed about this kernel, computed once per program (drgn's prog.cache): a
     * member's existence, a structure's layout. {@code key} names the probe.
     */
    @SuppressWarnings("unchecked")
    public <T> T probe(String key, java.util.function.Supplier<T> compute) {
        Object v = probes.get(key);
        if (v == null) {
            v = compute.get();
            Object prev = probes.putIfAbsent(key, v);
            v = prev != null ? prev : v;
        }
        return (T) v;
    }

    // ---- memory ----

    /** Kernel virtual memory, and the physical memory under it. */
    public AddressSpace memory() { return memory; }

    public void read(long vaddr, byte[] dst, int offset, int length) {
        memory.read(vaddr, dst, offset, length);
    }

    public byte[] read(long vaddr, int length) {
        return memory.read(vaddr, length);
    }

    @Override
    public long u64(long vaddr) {
        return memory.u64(vaddr);
    }

    public long u32(long vaddr) {
        return memory.u32(vaddr);
    }

    /** An unsigned little-endian integer of 1 to 8 bytes. */
    public long unsigned(long vaddr, int size) {
        return memory.unsigned(vaddr, size);
    }

    /** Physical address of {@code vaddr} ({@link kdive.io.FaultException} when unmapped). */
    public long toPhysical(long vaddr) {
        return memory.toPhysical(vaddr);
    }

    // ---- symbols ----

    /**
     * Runtime address of a link-time one: kernel-image addresses move by the KASLR offset;
     * per-CPU symbols (offsets into .data..percpu, linked at 0) and absolute ones do not.
     */
    public long runtime(long linked) {
        return Long.compareUnsigned(linked, arch.kernelImageStart()) >= 0 ? linked + kaslrOffset() : linked;
    }

    /**
     * The runtime address of symbol {@code name}: from the vmlinux's symbol table, or without a
     * vmlinux from vmcoreinfo's SYMBOL(name) (the kernel wrote those with KASLR applied).
     */
    public OptionalLong findSymbol(String name) {
        if (vmlinux.isPresent()) {
            return vmlinux.get().symbols().findByName(name).map(s -> OptionalLong.of(runtime(s.value())))
                    .orElse(OptionalLong.empty());
        }
        return vmcoreInfo().map(vi -> vi.findSymbol(name)).orElse(OptionalLong.empty());
    }

    public long symbol(String name) {
        return findSymbol(name).orElseThrow(() -> new LookupException("%s: no symbol %s".formatted(
                vmlinux.map(ElfFile::name).orElse(name() + "'s vmcoreinfo"), name)));
    }

    /** Every symbol named {@code name} (static functions may repeat), with crash's type letters. */
    public List<SymbolHit> symbols(String name) {
        var out = new ArrayList<SymbolHit>();
        for (Symbol s : vmlinux().symbols().allByName(name)) {
            if (s.isDefined() && s.type() != Symbol.STT_FILE && s.type() != Symbol.STT_SECTION) {
                out.add(new SymbolHit(s, runtime(s.value()), letter(s), 0));
            }
        }
        out.sort((a, b) -> Long.compareUnsigned(a.address(), b.address()));
        return out;
    }

    /** The symbol at or below runtime address {@code vaddr}, as crash's sym finds it. */
    public Optional<SymbolHit> symbolize(long vaddr) {
        long linked = Long.compareUnsigned(vaddr, arch.kernelImageStart() + kaslrOffset()) >= 0
                ? vaddr - kaslrOffset() : vaddr;
        if (Long.compareUnsigned(linked, arch.kernelImageStart()) < 0) {
            return Optional.empty(); // direct map, vmalloc, modules: no vmlinux symbol covers them
        }
        return vmlinux().symbols().findNearestBelow(linked).filter(s -> withinImage(s, linked))
                .map(s -> new SymbolHit(s, runtime(s.value()), letter(s), linked - s.value()));
    }

    /** A nearest-below match counts only inside the symbol's section (past _end is nothing). */
    private boolean withinImage(Symbol s, long linked) {
        ElfFile vmlinux = vmlinux();
        if (s.shndx() <= 0 || s.shndx() >= vmlinux.sections().size()) {
            return false;
        }
        Section sec = vmlinux.section(s.shndx());
        return Long.compareUnsigned(linked - sec.addr(), Math.max(sec.size(), 1)) < 0;
    }

    /** nm's letter (binutils nm.c decode_symbol_class): by the section's flags, upper case when global. */
    private char letter(Symbol s) {
        ElfFile vmlinux = vmlinux();
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
        return types().findType(name).orElseThrow(() -> new LookupException("%s: no type %s in the DWARF"
                .formatted(vmlinux().name(), name)));
    }

    public Optional<Type> findType(String name) {
        return types().findType(name);
    }

    /**
     * Global variable {@code name}: type and address from its DWARF definition (the name index
     * keeps both, so no symbol table is parsed), else the address from the symbol table.
     */
    public Obj object(String name) {
        NameIndex.Variable v = debug().variables().get(name);
        if (v == null || v.type() == -1) {
            throw new LookupException("%s: no DWARF for variable %s".formatted(vmlinux().name(), name));
        }
        return Obj.reference(this, v.type(), v.address() != -1 ? runtime(v.address()) : symbol(name));
    }

    public boolean hasObject(String name) {
        NameIndex.Variable v = debug().variables().get(name);
        return v != null && v.type() != -1 && (v.address() != -1 || findSymbol(name).isPresent());
    }

    /** An object of type {@code typeName} at {@code address} (drgn's Object(prog, type, address=)). */
    public Obj object(String typeName, long address) {
        return Obj.reference(this, type(typeName).offset(), address);
    }

    /**
     * A type as written in a cast: "struct sock *", "unsigned long", "char [16]" (a C integer name
     * the DWARF lacks is made on the fly).
     */
    public KType ktype(String text) {
        return TypeParser.parse(text, name -> findType(name).map(t -> KType.of(types(), t.offset())));
    }

    /** A value of scalar type {@code typeName} ("struct sock *", "int"): drgn's Object(prog, type, value). */
    public Obj value(String typeName, long value) {
        return Obj.value(this, ktype(typeName), value);
    }

    /** A pointer-typed value: {@code typeName *} holding {@code address}. */
    public Obj pointer(String typeName, long address) {
        return Obj.pointerTo(this, type(typeName).offset(), address);
    }

    Optional<Obj.Found> member(long structType, String name) {
        return members.computeIfAbsent(structType + "." + name, k -> Obj.tryFind(types(), structType, name, 0));
    }

    @Override
    public void close() {
        RuntimeException failed = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                failed = failed != null ? failed : e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
