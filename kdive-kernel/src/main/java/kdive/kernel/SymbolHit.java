package kdive.kernel;

import kdive.elf.Symbol;

/**
 * A kernel symbol at its runtime address (KASLR applied), with the nm-style type letter crash
 * prints ('T' global text, 't' local text, 'D'/'d' data, 'R'/'r' read-only, 'B'/'b' bss, 'A'
 * absolute, 'V' per-CPU), the offset of the looked-up address from it, and for a loaded module's
 * symbol (read from the module's own kallsyms in the dump) the module's name.
 */
public record SymbolHit(Symbol symbol, long address, char letter, long offset, String module) {

    /** A symbol of the vmlinux. */
    public SymbolHit(Symbol symbol, long address, char letter, long offset) {
        this(symbol, address, letter, offset, "");
    }

    public String name() { return symbol.name(); }

    /** The module the symbol is in, "" for the kernel image. */
    public boolean inModule() { return !module.isEmpty(); }

    /** crash's "name" or "name+offset" (decimal, as crash's sym prints it). */
    public String nameAndOffset() {
        return offset == 0 ? name() : name() + "+" + Long.toUnsignedString(offset);
    }
}
