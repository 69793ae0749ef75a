package kdive.elf.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import kdive.elf.ElfHeader;
import kdive.elf.Symbol;
import kdive.io.BinaryReader;

/**
 * Applies REL/RELA relocations to a copy of a non-allocated (debug) section of a relocatable
 * object, as binutils does before reading DWARF from a {@code .o} or {@code .ko}: every section
 * sits at address 0, so S is the symbol's {@code st_value} (0 for section symbols) and offsets
 * into other debug sections come out right. Only the absolute and PC-relative types that
 * compilers emit in debug sections are handled; other types leave the bytes untouched.
 */
public final class Relocator {
    private Relocator() {}

    /**
     * @param target writable copy of the section to patch
     * @param rel reader over the SHT_REL/SHT_RELA section
     * @param rela true for SHT_RELA (explicit addends)
     * @param sectionBase address given to the section a symbol is defined in (0 unless laid out)
     */
    public static void apply(ElfHeader h, MemorySegment target, BinaryReader rel, boolean rela, List<Symbol> symbols,
            java.util.function.ToLongFunction<Symbol> sectionBase) {
        boolean w = h.is64();
        int entsize = (w ? 16 : 8) + (rela ? (w ? 8 : 4) : 0);
        long count = rel.size() / entsize;
        for (long i = 0; i < count; i++) {
            var r = rel.slice(i * entsize, entsize);
            long offset = w ? r.u64() : r.u32();
            long info = w ? r.u64() : r.u32();
            int type = (int) (w ? info & 0xffffffffL : info & 0xff);
            long symIndex = w ? info >>> 32 : info >>> 8;
            if (symIndex >= symbols.size()) {
                throw r.error(0, "a relocation symbol index below %d, got %d".formatted(symbols.size(), symIndex));
            }
            Symbol sym = symbols.get((int) symIndex);
            long s = sym.value() + sectionBase.applyAsLong(sym);
            int width = width(h.machine(), type);
            if (width == 0) {
                continue;
            }
            if (offset < 0 || offset > target.byteSize() - width) {
                throw r.error(0, "a relocation offset within the section's %d bytes, got 0x%x".formatted(target.byteSize(), offset));
            }
            long a = rela ? (w ? r.u64() : r.u32()) : read(target, offset, width, h.order());
            long value = s + a - (isPcRelative(h.machine(), type) ? offset : 0);
            write(target, offset, width, value, h.order());
        }
    }

    /** Bytes patched by relocation {@code type}, or 0 for a type left alone. */
    private static int width(int machine, int type) {
        return switch (machine) {
            case ElfHeader.EM_X86_64 -> switch (type) {
                case 1, 24 -> 8; // R_X86_64_64, R_X86_64_PC64
                case 2, 10, 11 -> 4; // R_X86_64_PC32, R_X86_64_32, R_X86_64_32S
                default -> 0;
            };
            case ElfHeader.EM_AARCH64 -> switch (type) {
                case 257, 260 -> 8; // R_AARCH64_ABS64, R_AARCH64_PREL64
                case 258, 261 -> 4; // R_AARCH64_ABS32, R_AARCH64_PREL32
                default -> 0;
            };
            case ElfHeader.EM_386 -> switch (type) {
                case 1, 2 -> 4; // R_386_32, R_386_PC32
                default -> 0;
            };
            default -> 0;
        };
    }

    private static boolean isPcRelative(int machine, int type) {
        return switch (machine) {
            case ElfHeader.EM_X86_64 -> type == 2 || type == 24;
            case ElfHeader.EM_AARCH64 -> type == 260 || type == 261;
            case ElfHeader.EM_386 -> type == 2;
            default -> false;
        };
    }

    private static long read(MemorySegment m, long offset, int width, ByteOrder order) {
        return width == 8
                ? m.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), offset)
                : Integer.toUnsignedLong(m.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), offset));
    }

    private static void write(MemorySegment m, long offset, int width, long value, ByteOrder order) {
        if (width == 8) {
            m.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), offset, value);
        } else {
            m.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), offset, (int) value);
        }
    }
}
