package kdive.symbolize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import kdive.dwarf.Dwarf;
import kdive.dwarf.LineTable;
import kdive.dwarf.Unit;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.elf.Symbol;
import kdive.io.FormatException;
import kdive.io.LookupException;
import kdive.io.MissingDebugInfoException;
import kdive.symbolize.internal.ElfFunctionFinder;
import kdive.symbolize.internal.FuncInfo;
import kdive.symbolize.internal.FunctionTable;
import kdive.symbolize.internal.LineLookup;
import kdive.symbolize.internal.UnitIndex;
import kdive.symbolize.internal.VariableTable;

/**
 * Resolves addresses of one ELF file to function, file:line and inline chain with the rules of
 * binutils' addr2line (bfd/dwarf2.c, binutils 2.40), so {@link Addr2line#format} reproduces its
 * output. Units are decoded lazily and cached; {@link #symbolizeAll} decodes the units it needs
 * in parallel and then answers in input order, because addr2line's answers depend on the order
 * of queries in two places (its ELF symbol cache and names it fixes after the first lookup).
 */
public final class Symbolizer implements AutoCloseable {
    private final ElfFile elf;
    private final Dwarf dwarf;
    private final UnitIndex index;
    /** Decoded units by index; one lock per unit so threads decoding different units never wait on each other. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<UnitState> states;
    private final Object[] unitLocks;
    private kdive.elf.SymbolTable symbols;
    private ElfFunctionFinder finder;

    /** A decoded unit, or a unit binutils would reject ({@code error}). */
    private record UnitState(FunctionTable functions, LineLookup lines, boolean error) {}

    /** The DWARF part of an answer, computed without touching shared mutable state. */
    private record Match(Section section, FuncInfo function, LineLookup.Row row) {}

    private Symbolizer(ElfFile elf) {
        this.elf = elf;
        Dwarf d;
        try {
            d = Dwarf.of(elf);
        } catch (MissingDebugInfoException e) {
            d = null; // addr2line still answers from the symbol table
        }
        this.dwarf = d;
        this.index = d == null ? null : UnitIndex.cached(elf, d);
        int n = d == null ? 0 : d.units().size();
        this.states = new java.util.concurrent.atomic.AtomicReferenceArray<>(n);
        this.unitLocks = new Object[n];
        for (int i = 0; i < n; i++) {
            unitLocks[i] = new Object();
        }
    }

    /** The symbol table, parsed on first need: DWARF answers most lookups without it. */
    private synchronized kdive.elf.SymbolTable symbols() {
        if (symbols == null) {
            symbols = elf.symbols();
        }
        return symbols;
    }

    /** The ELF symbol at or below {@code address} (for "symbol+offset" displays). */
    public Optional<Symbol> nearestSymbol(long address) {
        return symbols().findNearestBelow(address);
    }

    /** binutils' symbol fallback, built the first time DWARF names no function. */
    private ElfFunctionFinder finder() {
        if (finder == null) {
            finder = new ElfFunctionFinder(symbols().all());
        }
        return finder;
    }

    public static Symbolizer open(Path file) {
        ElfFile elf = ElfFile.open(file);
        try {
            return new Symbolizer(elf);
        } catch (RuntimeException e) {
            elf.close();
            throw e;
        }
    }

    private kdive.io.Progress progress = kdive.io.Progress.NONE;

    /** Reports the progress of long lookups ({@link #symbolizeAll}) to {@code p}. */
    public synchronized Symbolizer withProgress(kdive.io.Progress p) {
        this.progress = p;
        return this;
    }

    /** A symbolizer over an already open file; closing the symbolizer closes {@code elf}. */
    public static Symbolizer of(ElfFile elf) {
        return new Symbolizer(elf);
    }

    public ElfFile elf() {
        return elf;
    }

    /** {@code SYMBOL}, {@code SYMBOL+0xOFF} (or decimal) or a hex address, to an address. */
    public long resolve(String spec) {
        String s = spec.strip();
        int plus = s.indexOf('+');
        String name = plus < 0 ? s : s.substring(0, plus);
        if (plus < 0 && isHex(s)) {
            return Long.parseUnsignedLong(s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s, 16);
        }
        long offset = 0;
        if (plus >= 0) {
            String off = s.substring(plus + 1);
            int slash = off.indexOf('/');
            if (slash >= 0) {
                off = off.substring(0, slash); // func+0x1a/0x40 as oopses print it
            }
            try {
                offset = off.startsWith("0x") || off.startsWith("0X") ? Long.parseUnsignedLong(off.substring(2), 16) : Long.parseLong(off);
            } catch (NumberFormatException e) {
                throw new FormatException("address", -1, "an offset like 0x1a after '+', got \"" + off + "\"");
            }
        }
        Symbol sym = symbols().findByName(name)
                .orElseThrow(() -> new LookupException(elf.name() + ": no symbol " + name));
        return sym.value() + offset;
    }

    private static boolean isHex(String s) {
        String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        return !h.isEmpty() && h.length() <= 16 && h.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** One address, as addr2line answers it after the queries made so far. */
    public synchronized Location symbolize(long address) {
        return finish(address, match(address));
    }

    /** Many addresses: the units they need are decoded in parallel, then answers are computed in input order. */
    public synchronized List<Location> symbolizeAll(long[] addresses) {
        if (index != null) {
            var done = new java.util.concurrent.atomic.AtomicLong();
            IntStream.range(0, addresses.length).parallel().forEach(i -> {
                Optional<Section> s = elf.sectionContaining(addresses[i]);
                if (s.isPresent()) {
                    for (int u : index.candidates(addresses[i] - s.get().addr() + elf.placedAddress(s.get()))) {
                        state(dwarf.units().get(u));
                    }
                }
                progress.update("reading DWARF for " + addresses.length + " addresses", done.incrementAndGet(), addresses.length);
            });
        }
        var out = new ArrayList<Location>(addresses.length);
        for (long a : addresses) {
            out.add(finish(a, match(a)));
        }
        return out;
    }

    /**
     * Units binutils has decoded so far, with their line sequences: its lookups also try these
     * ranges, so an answer can depend on earlier queries. Touched only in query order.
     */
    private final java.util.BitSet decoded = new java.util.BitSet();
    private final java.util.TreeMap<Long, long[]> decodedSequences = new java.util.TreeMap<>(Long::compareUnsigned);

    private int[] candidates(long address) {
        int[] base = index.candidates(address);
        var extra = new java.util.TreeSet<Integer>();
        // Sequences rarely overlap; look at the few starting just below the address.
        var it = decodedSequences.headMap(address, true).descendingMap().values().iterator();
        for (int n = 0; it.hasNext() && n < 8; n++) {
            long[] r = it.next();
            if (Long.compareUnsigned(address, r[1]) < 0) {
                extra.add((int) r[2]);
            }
        }
        if (extra.isEmpty()) {
            return base;
        }
        for (int u : base) {
            extra.add(u);
        }
        return extra.stream().mapToInt(Integer::intValue).toArray();
    }

    private void markDecoded(int unit, UnitState st) {
        if (!decoded.get(unit)) {
            decoded.set(unit);
            if (!st.error()) {
                for (long[] r : st.lines().sequenceRanges()) {
                    decodedSequences.merge(r[0], new long[] {r[0], r[1], unit},
                            (old, neu) -> Long.compareUnsigned(neu[1], old[1]) > 0 ? neu : old);
                }
            }
        }
    }

    /**
     * {@code symbol+offset} looked up in the symbol's own section. In a relocatable file (a
     * {@code .ko}) every section starts at 0, so a bare address is ambiguous (addr2line's rules pick
     * the first section containing it, often a note); a frame of an oops names its symbol, which
     * names the section.
     */
    public synchronized Location symbolizeSymbol(String name, long offset) {
        return symbolizeSymbol(symbols().findByName(name)
                .orElseThrow(() -> new LookupException(elf.name() + ": no symbol " + name)), offset);
    }

    /** {@code sym+offset} in the symbol's own section (see {@link #symbolizeSymbol(String, long)}). */
    public synchronized Location symbolizeSymbol(Symbol sym, long offset) {
        long address = sym.value() + offset;
        Optional<Section> own = ownSection(sym);
        return own.isEmpty() ? symbolize(address) : finish(address, match(own, address));
    }

    /**
     * The symbol an oops frame {@code name+off/printedSize} means. Static functions of several
     * files share a name (out-of-line copies of an inline, for one); kallsyms prints the distance
     * to the next symbol, which is the ELF size rounded up by at most the 64-byte function
     * alignment, so the copy whose size fits is the one. Without a fitting copy (or a size, 0),
     * the symbol {@link #resolve} would take.
     */
    public Optional<Symbol> function(String name, long printedSize) {
        Optional<Symbol> first = symbols().findByName(name);
        if (printedSize == 0) {
            return first;
        }
        return symbols().allByName(name).stream()
                .filter(x -> x.isDefined() && x.size() > 0 && sizeFits(x.size(), printedSize))
                .findFirst().or(() -> first);
    }

    /** Whether kallsyms' size {@code printed} can belong to a symbol of ELF size {@code elfSize}. */
    public static boolean sizeFits(long elfSize, long printed) {
        return printed >= elfSize && printed <= ((elfSize + 63) & ~63L);
    }

    /** The section a symbol's st_shndx names; empty for absolute, common or undefined symbols. */
    private Optional<Section> ownSection(Symbol sym) {
        return sym.shndx() > 0 && sym.shndx() < elf.sections().size() ? Optional.of(elf.section(sym.shndx())) : Optional.empty();
    }

    /** A function's machine code as the file holds it (a {@code .ko}'s relocations not applied). */
    public record Code(String symbol, long start, byte[] bytes) {
        public Code {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() { return bytes.clone(); }
    }

    /** The code of function {@code name} from its own section; empty when the symbol has no size or no bytes. */
    public Optional<Code> functionCode(String name) {
        return symbols().findByName(name).flatMap(this::functionCode);
    }

    /** The code of function {@code symbol} from its own section. */
    public Optional<Code> functionCode(Symbol symbol) {
        Optional<Symbol> sym = Optional.of(symbol).filter(s -> s.size() > 0);
        Optional<Section> own = sym.flatMap(this::ownSection);
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Section s = own.get();
        long from = sym.get().value() - s.addr();
        if (s.type() == Section.SHT_NOBITS || from < 0 || from + sym.get().size() > s.size()) {
            return Optional.empty();
        }
        byte[] bytes = elf.contents(s).asSlice(from, sym.get().size()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return Optional.of(new Code(symbol.name(), sym.get().value(), bytes));
    }

    /**
     * The parameters and variables in scope at {@code symbol+offset}, innermost inline level first,
     * each with where its value is there (DW_AT_location and location lists at that PC).
     */
    public synchronized List<ScopeVariable> variablesAt(String symbol, long offset) {
        return variablesAt(symbols().findByName(symbol)
                .orElseThrow(() -> new LookupException(elf.name() + ": no symbol " + symbol)), offset);
    }

    /** As {@link #variablesAt(String, long)} for a symbol already chosen ({@link #function}). */
    public synchronized List<ScopeVariable> variablesAt(Symbol sym, long offset) {
        if (index == null) {
            throw new MissingDebugInfoException(elf.name() + ": no DWARF debug information");
        }
        long address = sym.value() + offset;
        Optional<Section> section = ownSection(sym).or(() -> elf.sectionContaining(address));
        if (section.isEmpty()) {
            return List.of();
        }
        long pc = address - section.get().addr() + elf.placedAddress(section.get());
        for (int u : candidates(pc)) {
            List<ScopeVariable> found = kdive.symbolize.internal.ScopeWalker.at(dwarf, dwarf.units().get(u), pc);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private kdive.dwarf.Types types;

    /** Type decoding for the DIE offsets {@link ScopeVariable#type()} names (no name index is built). */
    public synchronized kdive.dwarf.Types types() {
        if (dwarf == null) {
            throw new MissingDebugInfoException(elf.name() + ": no DWARF debug information");
        }
        if (types == null) {
            types = kdive.dwarf.Types.unindexed(dwarf);
        }
        return types;
    }

    /**
     * {@code offset} bytes into {@code section} of this file (for a module placed by
     * {@link ModuleLayout}); as addr2line answers with {@code -j SECTION}.
     */
    public synchronized Location symbolizeInSection(Section section, long offset) {
        return finish(section.addr() + offset, match(Optional.of(section), section.addr() + offset));
    }

    private Match match(long address) {
        return match(elf.sectionContaining(address), address);
    }

    private Match match(Optional<Section> section, long address) {
        if (section.isEmpty()) {
            return null;
        }
        if (index != null && !section.get().isExecutable()) {
            Symbol exact = dataSymbol(section.get(), address);
            if (exact != null) {
                return new Match(section.get(), null, variableLine(exact, address - section.get().addr() + elf.placedAddress(section.get())));
            }
        }
        if (index != null) {
            // For relocatable objects binutils looks the address up at its section's placed address.
            long dwarfAddress = address - section.get().addr() + elf.placedAddress(section.get());
            for (int u : candidates(dwarfAddress)) {
                UnitState st = state(dwarf.units().get(u));
                markDecoded(u, st);
                if (st.error()) {
                    continue;
                }
                FuncInfo f = st.functions().lookup(dwarfAddress);
                LineLookup.Row row = st.lines().lookup(dwarfAddress);
                if (f != null || row != null) {
                    return new Match(section.get(), f, row);
                }
            }
        }
        return new Match(section.get(), null, null);
    }

    /**
     * binutils answers an address in a non-code section that is exactly a symbol's from the
     * variable declarations (the symbol's file:line, not the line table): the first global
     * symbol there, else the last local one.
     */
    private Symbol dataSymbol(Section section, long address) {
        Symbol found = null;
        List<Symbol> all = symbols().all();
        for (int i = 1; i < all.size(); i++) {
            Symbol s = all.get(i);
            if (s.shndx() == section.index() && s.value() == address && s.type() != Symbol.STT_SECTION) {
                found = s;
                if (s.bind() == Symbol.STB_GLOBAL) {
                    break;
                }
            }
        }
        return found;
    }

    private final java.util.concurrent.atomic.AtomicReferenceArray<VariableTable> variables =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(1 << 20);

    /** The declaration of the variable {@code sym} names, searching units in file order as a first query does. */
    private LineLookup.Row variableLine(Symbol sym, long dwarfAddress) {
        for (Unit u : dwarf.units()) {
            UnitState st = state(u);
            if (st.error() || u.index() >= variables.length()) {
                continue;
            }
            VariableTable vt = variables.get(u.index());
            if (vt == null) {
                try {
                    vt = VariableTable.scan(dwarf, u, dwarf.lineTable(u).orElseThrow());
                } catch (FormatException e) {
                    continue;
                }
                variables.set(u.index(), vt);
            }
            LineLookup.Row row = vt.find(sym.name(), dwarfAddress);
            if (row != null) {
                return row;
            }
        }
        return null;
    }

    private UnitState state(Unit u) {
        UnitState st = states.get(u.index());
        if (st != null) {
            return st;
        }
        synchronized (unitLocks[u.index()]) {
            st = states.get(u.index());
            if (st == null) {
                st = decode(u);
                states.set(u.index(), st);
            }
            return st;
        }
    }

    private UnitState decode(Unit u) {
        try {
            Optional<LineTable> lt = dwarf.lineTable(u);
            if (lt.isEmpty()) {
                return new UnitState(null, null, true); // binutils needs DW_AT_stmt_list
            }
            return new UnitState(FunctionTable.scan(dwarf, u, lt.get()), new LineLookup(lt.get()), false);
        } catch (FormatException e) {
            return new UnitState(null, null, true); // binutils marks the unit bad and skips it
        }
    }

    /** The "done:" part of _bfd_dwarf2_find_nearest_line plus addr2line's inline loop. */
    private Location finish(long address, Match m) {
        if (m == null) {
            return new Location(address, false, List.of());
        }
        boolean found = m.function() != null || m.row() != null;
        FuncInfo f = m.function();
        String file = m.row() == null ? null : m.row().file();
        long line = m.row() == null ? 0 : m.row().line();
        long disc = m.row() == null ? 0 : m.row().discriminator();
        String name = null;
        if (f != null && isLinkage(f)) {
            name = f.name();
        } else {
            ElfFunctionFinder.Hit hit = finder().find(m.section(), address);
            if (hit != null) {
                name = hit.symbol().name();
                if (file == null) {
                    file = hit.file();
                }
                found = true;
            }
            if (f != null) {
                if (hit == null) {
                    name = f.name();
                } else if (hit.symbol().value() - m.section().addr() + elf.placedAddress(m.section()) == firstLow(f)) {
                    setName(f, name);
                }
                setLinkage(f);
            }
        }
        if (!found) {
            return new Location(address, false, List.of());
        }
        var frames = new ArrayList<Frame>();
        frames.add(new Frame(name, file, line, disc));
        if (f != null && f.isInlined()) {
            // addr2line never resets its discriminator while walking the chain.
            for (FuncInfo g = f; g.caller() != null && frames.size() < 1024; g = g.caller()) {
                frames.add(new Frame(g.caller().name(), g.callFile(), g.callLine(), disc));
            }
        }
        return new Location(address, true, frames);
    }

    private static boolean isLinkage(FuncInfo f) { return f.isLinkageName(); }

    private static long firstLow(FuncInfo f) { return f.firstRangeLow(); }

    private static void setName(FuncInfo f, String name) { f.rename(name); }

    private static void setLinkage(FuncInfo f) { f.markLinkage(); }

    @Override
    public void close() {
        elf.close();
    }

}
