package kdive.elf.internal;

import java.util.ArrayList;
import java.util.List;
import kdive.elf.Symbol;
import kdive.io.BinaryReader;

/** Decodes a symbol table section (gABI "Symbol Table") with its string table. */
public final class SymbolParser {
    private SymbolParser() {}

    public static List<Symbol> parse(BinaryReader table, BinaryReader strtab, boolean is64, long entsize) {
        int min = is64 ? 24 : 16;
        long step = entsize >= min ? entsize : min;
        long count = table.size() / step;
        var out = new ArrayList<Symbol>((int) Math.min(count, 1 << 20));
        for (long i = 0; i < count; i++) {
            var r = table.seek(i * step);
            long nameOff = r.u32();
            long value;
            long size;
            int info;
            int other;
            int shndx;
            if (is64) {
                info = r.u8();
                other = r.u8();
                shndx = r.u16();
                value = r.u64();
                size = r.u64();
            } else {
                value = r.u32();
                size = r.u32();
                info = r.u8();
                other = r.u8();
                shndx = r.u16();
            }
            String name = nameOff == 0 ? "" : HeaderParser.stringAt(strtab, nameOff);
            out.add(new Symbol(name, value, size, info & 0xf, info >>> 4, other & 0x3, shndx));
        }
        return out;
    }
}
