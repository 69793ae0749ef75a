package kdive.kernel;

import kdive.elf.Symbol;

/**
 * A kernel symbol at its runtime address (KASLR applied), with the nm-style type letter crash
 * prints ('T' global text, 't' local text, 'D'/'d' data, 'R'/'r' read-only, 'B'/'b' bss, 'A'
 * absolute, 'V' per-CPU) and the offset of the looked-up address from it.
 */
public record SymbolHit(Symbol symbol, long address, char letter, long offset) {
    public String name() { return symbol.name(); }

    /** crash's "name" or "name+offset" (decimal, as crash's sym prints it). */
    public String nameAndOffset() {
        return offset == 0 ? name() : name() + "+" + Long.toUnsignedString(offset);
    }
}
