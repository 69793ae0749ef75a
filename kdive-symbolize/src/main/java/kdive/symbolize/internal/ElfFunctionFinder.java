package kdive.symbolize.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kdive.elf.Section;
import kdive.elf.Symbol;

/**
 * The ELF symbol fallback binutils uses when DWARF names no function
 * (_bfd_elf_find_function, bfd/dwarf2.c, with _bfd_elf_maybe_function_sym): the symbol of the
 * same section with the greatest address at or below the target (ties: the larger, then the
 * earlier), and the STT_FILE symbol before it for local symbols. Like binutils it remembers the
 * last answer and reuses it while later addresses stay inside that symbol, so results depend on
 * the order of queries exactly as addr2line's do. Not thread-safe: call it in query order.
 */
public final class ElfFunctionFinder {
    /** A candidate: symbol, binutils' size (0 becomes 1), and the file name binutils would report. */
    public record Hit(Symbol symbol, long size, String file) {}

    private final Map<Integer, Hit[]> bySection = new HashMap<>();
    private int cacheSection = -1;
    private Hit cache;

    public ElfFunctionFinder(List<Symbol> all) {
        var lists = new HashMap<Integer, List<Hit>>();
        String file = null;
        int state = 0; // 0 nothing seen, 1 symbol seen, 2 file after symbol seen
        for (int i = 1; i < all.size(); i++) {
            Symbol s = all.get(i);
            if (s.type() == Symbol.STT_FILE) {
                file = s.name();
                if (state == 1) {
                    state = 2;
                }
                continue;
            }
            if (isCandidate(s)) {
                String f = file != null && (s.bind() == Symbol.STB_LOCAL || state != 2) ? file : null;
                lists.computeIfAbsent(s.shndx(), k -> new ArrayList<>()).add(new Hit(s, s.size() == 0 ? 1 : s.size(), f));
            }
            if (state == 0) {
                state = 1;
            }
        }
        for (var e : lists.entrySet()) {
            // Sorted by address, then size; equal ones keep table order reversed so the last
            // qualifying entry is the earliest, matching binutils' strict comparisons.
            List<Hit> l = e.getValue();
            var idx = new ArrayList<Integer>();
            for (int i = 0; i < l.size(); i++) {
                idx.add(i);
            }
            idx.sort((x, y) -> {
                Hit a = l.get(x);
                Hit b = l.get(y);
                int c = Long.compareUnsigned(a.symbol().value(), b.symbol().value());
                if (c == 0) {
                    c = Long.compareUnsigned(a.size(), b.size());
                }
                return c != 0 ? c : Integer.compare(y, x);
            });
            bySection.put(e.getKey(), idx.stream().map(l::get).toArray(Hit[]::new));
        }
    }

    private static boolean isCandidate(Symbol s) {
        if (s.type() == Symbol.STT_SECTION || s.type() == Symbol.STT_OBJECT || s.type() == Symbol.STT_TLS) {
            return false;
        }
        if (s.shndx() == Symbol.SHN_UNDEF || s.shndx() >= 0xff00) {
            return false;
        }
        // Hidden local zero-size NOTYPE symbols are annobin markers, not functions.
        return !(s.size() == 0 && s.bind() == Symbol.STB_LOCAL && s.type() == Symbol.STT_NOTYPE && s.visibility() == 2);
    }

    /** The function symbol for {@code address} in {@code section}, or null. */
    public Hit find(Section section, long address) {
        if (cache != null && cacheSection == section.index()
                && Long.compareUnsigned(address, cache.symbol().value()) >= 0
                && Long.compareUnsigned(address - cache.symbol().value(), cache.size()) < 0) {
            return cache;
        }
        cacheSection = section.index();
        cache = null;
        Hit[] hits = bySection.get(section.index());
        if (hits == null) {
            return null;
        }
        long offset = address - section.addr();
        int lo = 0;
        int hi = hits.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(hits[mid].symbol().value() - section.addr(), offset) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        cache = lo == 0 ? null : hits[lo - 1];
        return cache;
    }
}
