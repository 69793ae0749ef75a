package kdive.elf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A symbol table (.symtab or .dynsym) with lookups by name and by address. Immutable and
 * thread-safe once built. Address lookups consider only defined symbols that name code or
 * data (not STT_SECTION / STT_FILE).
 */
public final class SymbolTable {
    private final String sectionName;
    private final List<Symbol> symbols;
    // Indexes are built on first use: a caller that only walks all() pays nothing for them.
    private Symbol[] byAddress;
    private Map<String, List<Symbol>> byName;

    public SymbolTable(String sectionName, List<Symbol> symbols) {
        this.sectionName = sectionName;
        this.symbols = List.copyOf(symbols);
    }

    private synchronized Symbol[] byAddress() {
        if (byAddress == null) {
            Symbol[] a = symbols.stream()
                    .filter(s -> s.isDefined() && s.type() != Symbol.STT_SECTION && s.type() != Symbol.STT_FILE
                            && s.shndx() != Symbol.SHN_ABS && !s.name().isEmpty())
                    .toArray(Symbol[]::new);
            Arrays.sort(a, (x, y) -> Long.compareUnsigned(x.value(), y.value()));
            byAddress = a;
        }
        return byAddress;
    }

    private synchronized Map<String, List<Symbol>> byName() {
        if (byName == null) {
            var names = new HashMap<String, List<Symbol>>(symbols.size() * 2);
            for (Symbol s : symbols) {
                if (!s.name().isEmpty()) {
                    names.computeIfAbsent(s.name(), k -> new ArrayList<>(1)).add(s);
                }
            }
            byName = names;
        }
        return byName;
    }

    /** The section this table came from, e.g. {@code .symtab}. */
    public String sectionName() {
        return sectionName;
    }

    /** All entries in file order (index 0 is the null symbol). */
    public List<Symbol> all() {
        return symbols;
    }

    /** Defined code/data symbols sorted by address (unsigned). */
    public List<Symbol> sortedByAddress() {
        return Arrays.asList(byAddress().clone());
    }

    /** The first defined symbol named {@code name}, preferring global over local ones. */
    public Optional<Symbol> findByName(String name) {
        List<Symbol> found = byName().getOrDefault(name, List.of());
        return found.stream().filter(Symbol::isDefined)
                .min(Comparator.comparingInt(s -> s.bind() == Symbol.STB_LOCAL ? 1 : 0));
    }

    /** Every symbol named {@code name} (local symbols may repeat across files). */
    public List<Symbol> allByName(String name) {
        return byName().getOrDefault(name, List.of());
    }

    /**
     * The symbol whose {@code [value, value+size)} contains {@code address}; among several,
     * the one starting closest below it, preferring STT_FUNC/STT_OBJECT over STT_NOTYPE.
     */
    public Optional<Symbol> findByAddress(long address) {
        Symbol[] byAddress = byAddress();
        int i = upperBound(address) - 1;
        Symbol best = null;
        // Symbols rarely nest deeply; 64 candidates below the address is plenty and bounds the walk.
        for (int n = 0; i >= 0 && n < 64; i--, n++) {
            Symbol s = byAddress[i];
            if (s.contains(address)) {
                if (best == null || best.type() == Symbol.STT_NOTYPE && s.type() != Symbol.STT_NOTYPE) {
                    best = s;
                }
                if (best.type() != Symbol.STT_NOTYPE) {
                    break;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The symbol with the greatest address {@code <= address}, whatever its size (like crash's nearest symbol). */
    public Optional<Symbol> findNearestBelow(long address) {
        int i = upperBound(address) - 1;
        return i < 0 ? Optional.empty() : Optional.of(byAddress()[i]);
    }

    /** Index of the first symbol whose value is greater than {@code address}. */
    private int upperBound(long address) {
        Symbol[] byAddress = byAddress();
        int lo = 0;
        int hi = byAddress.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(byAddress[mid].value(), address) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
