package kdive.elf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kdive.elf.internal.Decompressor;
import kdive.elf.internal.HeaderParser;
import kdive.elf.internal.NoteParser;
import kdive.elf.internal.Relocator;
import kdive.elf.internal.SymbolParser;
import kdive.io.BinaryReader;
import kdive.io.FormatException;
import kdive.io.LookupException;

/**
 * An ELF32/ELF64 file mapped read-only into memory (System V gABI chapter 4). Headers are parsed
 * when opened; section contents are views into the mapping, except compressed or relocated
 * sections, which are produced once into native memory owned by this file's arena. Closing the
 * file unmaps everything: no segment obtained from it may be used afterwards.
 *
 * <p>Thread-safe: several threads may read sections and symbols at once.
 */
public final class ElfFile implements AutoCloseable {
    private final String name;
    private final Arena arena;
    private final MemorySegment data;
    private final ElfHeader header;
    private final List<Section> sections;
    private final Map<String, Section> byName;
    private final List<ProgramHeader> programHeaders;
    private final Map<Integer, MemorySegment> contents = new ConcurrentHashMap<>();
    private final Map<Integer, SymbolTable> symbolTables = new ConcurrentHashMap<>();
    private volatile long[] placed;

    private ElfFile(String name, Arena arena, MemorySegment data) {
        this.name = name;
        this.arena = arena;
        this.data = data;
        this.header = HeaderParser.header(data, name);
        this.sections = HeaderParser.sections(data, name, header);
        var names = new LinkedHashMap<String, Section>();
        for (Section s : sections) {
            names.putIfAbsent(s.name(), s);
        }
        this.byName = names;
        this.programHeaders = HeaderParser.programHeaders(data, name, header);
    }

    /** Maps {@code path} read-only; a malformed header is a {@link FormatException} naming the file. */
    public static ElfFile open(Path path) {
        kdive.io.InputFiles.checkRegular(path);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new ElfFile(path.toString(), arena, seg);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** An ELF image already in memory (tests, embedded images); {@code name} is used in messages. */
    public static ElfFile of(byte[] bytes, String name) {
        Arena arena = Arena.ofShared();
        try {
            return new ElfFile(name, arena, MemorySegment.ofArray(bytes));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The path or name given when opening, as used in error messages. */
    public String name() { return name; }

    public ElfHeader header() { return header; }

    public ByteOrder order() { return header.order(); }

    public boolean is64() { return header.is64(); }

    /** The whole file. */
    public MemorySegment segment() { return data; }

    /** A reader over the whole file, offsets being file offsets. */
    public BinaryReader reader() {
        return new BinaryReader(data, name, 0, header.order());
    }

    public List<Section> sections() { return sections; }

    public List<ProgramHeader> programHeaders() { return programHeaders; }

    /** The first section named {@code sectionName}. */
    public Optional<Section> findSection(String sectionName) {
        return Optional.ofNullable(byName.get(sectionName));
    }

    public Section section(String sectionName) {
        return findSection(sectionName).orElseThrow(() -> new LookupException(name + ": no section " + sectionName));
    }

    /** The section at {@code index}, or a FormatException when the index is out of range. */
    public Section section(int index) {
        if (index < 0 || index >= sections.size()) {
            throw new FormatException(name, header.shoff(), "a section index below %d, got %d".formatted(sections.size(), index));
        }
        return sections.get(index);
    }

    /** The section's bytes as stored in the file (empty for SHT_NOBITS); still compressed if SHF_COMPRESSED. */
    public MemorySegment rawData(Section s) {
        if (s.type() == Section.SHT_NOBITS || s.type() == Section.SHT_NULL) {
            return MemorySegment.ofArray(new byte[0]);
        }
        return HeaderParser.fileSlice(data, name, header.order(), s.offset(), s.size(), "section " + s.name()).segment();
    }

    /** The file bytes of a segment ({@code filesz} bytes at {@code offset}). */
    public MemorySegment data(ProgramHeader p) {
        return HeaderParser.fileSlice(data, name, header.order(), p.offset(), p.filesz(),
                "segment %d (p_type %d)".formatted(p.index(), p.type())).segment();
    }

    /** The section's bytes, uncompressed (SHF_COMPRESSED or {@code .zdebug_*}); views into the file otherwise. */
    public MemorySegment contents(Section s) {
        if (!s.isCompressed() && !s.name().startsWith(".zdebug")) {
            return rawData(s);
        }
        return contents.computeIfAbsent(s.index(), i -> uncompress(s));
    }

    private MemorySegment uncompress(Section s) {
        var r = new BinaryReader(rawData(s), name, s.offset(), header.order());
        String what = "section " + s.name();
        return s.isCompressed()
                ? Decompressor.chdr(r, header.is64(), arena, what)
                : Decompressor.zdebug(r, arena, what);
    }

    /**
     * A reader over {@link #contents(Section)}. For uncompressed sections error offsets are file
     * offsets; for compressed ones they are offsets in the uncompressed section, and the file name
     * carries the section name.
     */
    public BinaryReader reader(Section s) {
        MemorySegment c = contents(s);
        if (!s.isCompressed() && !s.name().startsWith(".zdebug")) {
            return new BinaryReader(c, name, s.offset(), header.order());
        }
        return new BinaryReader(c, name + " [" + s.name() + "]", 0, header.order());
    }

    /**
     * The contents of a debug section by its standard name (e.g. {@code .debug_info}), also found
     * as {@code .zdebug_info}, uncompressed, and for relocatable objects ({@code .o}, {@code .ko})
     * with its REL/RELA relocations applied as binutils does. Empty when absent.
     */
    public Optional<MemorySegment> debugSection(String sectionName) {
        Optional<Section> s = findSection(sectionName);
        if (s.isEmpty() && sectionName.startsWith(".debug_")) {
            s = findSection(".zdebug_" + sectionName.substring(7));
        }
        if (s.isEmpty() || s.get().type() == Section.SHT_NOBITS) {
            return Optional.empty();
        }
        Section sec = s.get();
        if (!header.isRelocatable()) {
            return Optional.of(contents(sec));
        }
        return Optional.of(contents.computeIfAbsent(-1 - sec.index(), i -> relocated(sec)));
    }

    /** What binutils adds to a symbol's value in a relocatable object: its section's placed address. */
    private long symbolBase(Symbol sym) {
        int shndx = sym.shndx();
        if (shndx == Symbol.SHN_UNDEF || shndx >= 0xff00 || shndx >= sections.size()) {
            return 0;
        }
        return placedAddress(sections.get(shndx));
    }

    private MemorySegment relocated(Section target) {
        List<Section> rels = new ArrayList<>();
        for (Section r : sections) {
            if ((r.type() == Section.SHT_RELA || r.type() == Section.SHT_REL) && r.info() == target.index()) {
                rels.add(r);
            }
        }
        MemorySegment original = contents(target);
        if (rels.isEmpty()) {
            return original;
        }
        MemorySegment copy = arena.allocate(Math.max(1, original.byteSize())).asSlice(0, original.byteSize());
        copy.copyFrom(original);
        for (Section r : rels) {
            List<Symbol> syms = symbolTable(section(r.link())).all();
            Relocator.apply(header, copy, reader(r), r.type() == Section.SHT_RELA, syms, this::symbolBase);
        }
        return copy;
    }

    /**
     * The address binutils gives section {@code s} while reading DWARF: for relocatable objects,
     * whose allocated sections all sit at 0, it lays them out one after another (aligned) so
     * that code in different sections gets distinct addresses (bfd/dwarf2.c place_sections);
     * otherwise the section's own address.
     */
    public long placedAddress(Section s) {
        if (!header.isRelocatable() || s.addr() != 0) {
            return s.addr();
        }
        long[] layout = placed;
        if (layout == null) {
            layout = layout();
            placed = layout;
        }
        return s.index() < layout.length ? layout[s.index()] : 0;
    }

    private long[] layout() {
        long[] out = new long[sections.size()];
        int count = 0;
        for (Section s : sections) {
            if (s.addr() == 0 && (s.isAlloc() || s.name().equals(".debug_info"))) {
                count++;
            }
        }
        if (count <= 1) {
            return out;
        }
        long last = 0;
        for (Section s : sections) {
            if (s.addr() != 0 || !s.isAlloc()) {
                continue;
            }
            long align = Long.highestOneBit(Math.max(1, s.addralign()));
            last = (last + align - 1) & -align;
            out[s.index()] = last;
            last += s.size();
        }
        return out;
    }

    /** Notes of every PT_NOTE segment, or of every SHT_NOTE section when there are no segments. */
    public List<Note> notes() {
        var out = new ArrayList<Note>();
        boolean anySegment = false;
        for (ProgramHeader p : programHeaders) {
            if (p.isNote()) {
                anySegment = true;
                out.addAll(notes(p));
            }
        }
        if (!anySegment) {
            for (Section s : sections) {
                if (s.type() == Section.SHT_NOTE) {
                    out.addAll(notes(s));
                }
            }
        }
        return List.copyOf(out);
    }

    public List<Note> notes(ProgramHeader p) {
        var r = new BinaryReader(data(p), name, p.offset(), header.order());
        return NoteParser.parse(r, p.align() == 8 ? 8 : 4);
    }

    public List<Note> notes(Section s) {
        return NoteParser.parse(reader(s), s.addralign() == 8 ? 8 : 4);
    }

    /** The GNU build-id (NT_GNU_BUILD_ID in a note named "GNU"), if any. */
    public Optional<BuildId> buildId() {
        return notes().stream()
                .filter(n -> n.is("GNU", Note.NT_GNU_BUILD_ID))
                .findFirst()
                .map(n -> BuildId.of(n.descBytes()));
    }

    /** {@code .symtab}, or {@code .dynsym} when stripped; an empty table when neither exists. */
    public SymbolTable symbols() {
        return findSymbolTable(".symtab")
                .or(() -> findSymbolTable(".dynsym"))
                .orElseGet(() -> new SymbolTable("", List.of()));
    }

    /** The symbol table in section {@code sectionName} (SHT_SYMTAB or SHT_DYNSYM), parsed once. */
    public Optional<SymbolTable> findSymbolTable(String sectionName) {
        return findSection(sectionName)
                .filter(s -> s.type() == Section.SHT_SYMTAB || s.type() == Section.SHT_DYNSYM)
                .map(this::symbolTable);
    }

    /** The symbol table in section {@code s}, parsed once. */
    public SymbolTable symbolTable(Section s) {
        return symbolTables.computeIfAbsent(s.index(), i -> {
            var strtab = reader(section(s.link()));
            return new SymbolTable(s.name(), SymbolParser.parse(reader(s), strtab, header.is64(), s.entsize()));
        });
    }

    /** The section containing {@code vaddr} among allocated sections (SHF_ALLOC), if any. */
    public Optional<Section> sectionContaining(long vaddr) {
        for (Section s : sections) {
            if (s.isAlloc() && s.size() > 0 && s.containsAddress(vaddr)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Unmaps the file and frees uncompressed/relocated sections. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "ElfFile[" + name + "]";
    }
}
