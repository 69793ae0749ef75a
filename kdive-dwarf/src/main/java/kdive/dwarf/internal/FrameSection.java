package kdive.dwarf.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kdive.dwarf.Cie;
import kdive.dwarf.Fde;
import kdive.io.BinaryReader;

/**
 * One call frame section, {@code .eh_frame} or {@code .debug_frame}: a walk over its entries
 * when opened builds a PC index of the FDEs ({@link RangeIndex}); CIEs are
 * parsed once and cached, FDE headers are re-read on demand and their programs run only when a
 * row is asked for ({@link CfaProgram}).
 *
 * <p>The two sections differ in three places (LSB "Exception Frames", DWARF 5 §6.4.1): a CIE's id
 * is 0 in .eh_frame and all ones in .debug_frame; an FDE's CIE pointer is relative to itself in
 * .eh_frame and a section offset in .debug_frame; a zero length ends .eh_frame. FDE addresses
 * use the CIE's DW_EH_PE_* encoding in .eh_frame and plain target addresses in .debug_frame.
 */
public final class FrameSection {
    /** DW_EH_PE_* application (high nibble) and format (low nibble) values, LSB §10.5. */
    static final int PE_ABSPTR = 0x00, PE_ULEB128 = 0x01, PE_UDATA2 = 0x02, PE_UDATA4 = 0x03, PE_UDATA8 = 0x04,
            PE_SIGNED = 0x08, PE_SLEB128 = 0x09, PE_SDATA2 = 0x0a, PE_SDATA4 = 0x0b, PE_SDATA8 = 0x0c;
    static final int PE_PCREL = 0x10, PE_TEXTREL = 0x20, PE_DATAREL = 0x30, PE_ALIGNED = 0x50;
    static final int PE_INDIRECT = 0x80;

    private final String name;
    private final boolean eh;
    private final MemorySegment data;
    private final String file;
    private final ByteOrder order;
    private final Bases bases;
    private final Map<Long, Cie> cies = new ConcurrentHashMap<>();
    private final RangeIndex index; // FDE offsets by PC range (empty ranges left out)
    private final long[] entries; // every FDE's offset, in section order
    private final long[] cieOffsets;

    /**
     * Where DW_EH_PE_* relative encodings count from.
     *
     * @param section address of the section's first byte (pcrel); 0 for relocatable objects, whose
     *     relocations kdive-elf applies as if every section sat at 0
     * @param text address of .text (textrel)
     * @param data the data base (datarel): the GOT, as glibc's unwinder uses on i386
     * @param addressSize target address size from the ELF class (absptr; CIE version 4 may override)
     */
    public record Bases(long section, long text, long data, int addressSize) {}

    public FrameSection(String file, String name, MemorySegment data, ByteOrder order, Bases bases) {
        this.name = name;
        this.eh = name.equals(".eh_frame");
        this.data = data;
        this.file = file;
        this.order = order;
        this.bases = bases;
        var index = new RangeIndex.Builder();
        var allFdes = new LongList();
        var allCies = new LongList();
        long pos = 0;
        long size = data.byteSize();
        // Each entry is at least 4 bytes, so this loop runs at most size / 4 times.
        while (pos < size) {
            Header h = header(pos);
            if (h == null) {
                if (eh) {
                    break; // the zero terminator
                }
                pos += 4;
                continue;
            }
            if (h.isCie) {
                cie(pos, -1);
                allCies.add(pos);
            } else {
                Fde f = fde(h);
                allFdes.add(pos);
                index.add(f.pcBegin(), f.pcEnd(), pos);
            }
            pos = h.end;
        }
        this.index = index.build();
        this.entries = allFdes.toArray();
        this.cieOffsets = allCies.toArray();
    }

    public String name() { return name; }

    public boolean isEh() { return eh; }

    public Bases bases() { return bases; }

    /** Number of FDEs in the section (including empty ones, which the index leaves out). */
    public int fdeCount() { return entries.length; }

    /** The FDE covering {@code pc}: binary search for the last start at or below it, then back over overlaps. */
    public Optional<Fde> fdeAt(long pc) {
        long offset = index.find(pc);
        return offset < 0 ? Optional.empty() : Optional.of(fde(header(offset)));
    }

    /** Every FDE in section order (headers re-read: the index keeps only offsets). */
    public List<Fde> fdes() {
        var out = new ArrayList<Fde>(entries.length);
        for (long e : entries) {
            out.add(fde(header(e)));
        }
        return out;
    }

    public List<Cie> cies() {
        var out = new ArrayList<Cie>(cieOffsets.length);
        for (long c : cieOffsets) {
            out.add(cie(c, -1));
        }
        return out;
    }

    /** A reader over the whole section; error offsets are section offsets. */
    BinaryReader reader() {
        return new BinaryReader(data, file + " [" + name + "]", 0, order);
    }

    /** An entry: {@code idSize} is the width of its CIE id / CIE pointer field at {@code idOffset}. */
    private record Header(long offset, long end, int idSize, long id, long idOffset, boolean isCie) {}

    /** The entry at {@code offset}, or null for a zero length (terminator or padding). */
    private Header header(long offset) {
        BinaryReader r = reader().seek(offset);
        long length = r.u32();
        int offsetSize = 4;
        if (length == 0xffffffffL) {
            length = r.u64();
            offsetSize = 8;
        }
        if (length == 0) {
            return null;
        }
        if (Long.compareUnsigned(length, r.remaining()) > 0) {
            throw r.error(offset, "an entry length within the %d bytes left, got %s".formatted(r.remaining(), Long.toUnsignedString(length)));
        }
        long idOffset = r.position();
        long end = idOffset + length;
        BinaryReader e = reader().slice(idOffset, length);
        // In .eh_frame the CIE id/pointer is 4 bytes even after a 64-bit length (LSB "Extended
        // Length"; GCC's and LLVM's unwinders agree), in .debug_frame it follows the offset size.
        int idSize = eh ? 4 : offsetSize;
        long id = idSize == 4 ? e.u32() : e.u64();
        long cieId = eh ? 0 : idSize == 4 ? 0xffffffffL : -1L;
        return new Header(offset, end, idSize, id, idOffset, id == cieId);
    }

    /** The entry's bytes after its id field, bounded by its length. */
    private BinaryReader body(Header h) {
        long start = h.idOffset + h.idSize;
        return reader().slice(start, h.end - start);
    }

    /** The CIE at {@code offset}; {@code from} is the FDE pointing at it (for the message), or -1. */
    Cie cie(long offset, long from) {
        Cie c = cies.get(offset);
        if (c != null) {
            return c;
        }
        Header h = offset >= 0 && offset < data.byteSize() ? header(offset) : null;
        if (h == null || !h.isCie) {
            throw reader().error(from >= 0 ? from : offset, from >= 0
                    ? "an FDE whose CIE pointer leads to a CIE, but offset 0x%x holds none".formatted(offset)
                    : "a CIE");
        }
        c = parseCie(h);
        cies.put(offset, c);
        return c;
    }

    private Cie parseCie(Header h) {
        BinaryReader r = body(h);
        int version = r.u8();
        if (version != 1 && version != 3 && version != 4) {
            throw r.error(0, "a CIE version of 1, 3 or 4, got %d".formatted(version));
        }
        long augAt = r.position();
        String aug = r.cstring();
        int addressSize = bases.addressSize();
        int segmentSize = 0;
        if (aug.equals("eh")) {
            r.skip(addressSize); // GCC before 3.0: the address of the exception table, unused since
        } else if (!aug.isEmpty() && aug.charAt(0) != 'z' && !aug.chars().allMatch(ch -> ch == 'S' || ch == 'B' || ch == 'G')) {
            // Without 'z' nothing says how long the augmentation data is: only data-less letters
            // can be skipped (gas writes "S" into .debug_frame for .cfi_signal_frame).
            throw r.error(augAt, "a CIE augmentation \"\", \"eh\", one starting with 'z' or of S/B/G only, got %s".formatted(quoted(aug)));
        }
        if (version == 4) {
            addressSize = r.u8();
            segmentSize = r.u8();
            if (addressSize != 1 && addressSize != 2 && addressSize != 4 && addressSize != 8) {
                throw r.error(r.position() - 2, "an address size of 1, 2, 4 or 8, got %d".formatted(addressSize));
            }
            if (segmentSize != 0 && segmentSize != 1 && segmentSize != 2 && segmentSize != 4 && segmentSize != 8) {
                throw r.error(r.position() - 1, "a segment selector size of 0, 1, 2, 4 or 8, got %d".formatted(segmentSize));
            }
        }
        long codeAlignment = r.uleb128();
        long dataAlignment = r.sleb128();
        long ra = version == 1 ? r.u8() : r.uleb128();
        int raRegister = CfaProgram.register(r, ra, r.position() - 1);
        int fdeEncoding = PE_ABSPTR;
        int lsdaEncoding = Cie.DW_EH_PE_OMIT;
        Optional<Cie.Pointer> personality = Optional.empty();
        boolean signal = !aug.startsWith("z") && aug.indexOf('S') >= 0;
        if (!aug.isEmpty() && aug.charAt(0) == 'z') {
            long augLength = r.uleb128();
            if (Long.compareUnsigned(augLength, r.remaining()) > 0) {
                throw r.error(r.position(), "augmentation data within the CIE's %d bytes left, got %d".formatted(r.remaining(), augLength));
            }
            long augEnd = r.position() + augLength;
            BinaryReader a = r.slice(r.position(), augLength);
            letters:
            for (int i = 1; i < aug.length(); i++) {
                switch (aug.charAt(i)) {
                    case 'R' -> fdeEncoding = encoding(a);
                    case 'L' -> lsdaEncoding = encoding(a);
                    case 'P' -> personality = Optional.of(pointer(a, encoding(a), addressSize));
                    case 'S' -> signal = true;
                    // AArch64: 'B' marks BTI-protected frames, 'G' MTE-tagged stack frames; no data.
                    case 'B', 'G' -> { }
                    // GCC's unwinder stops at an unknown letter after 'z' and skips the rest of the
                    // data by its length; so does this reader (the letters before it still apply).
                    default -> {
                        break letters;
                    }
                }
            }
            r.seek(augEnd);
        }
        long instructions = r.fileOffset();
        return new Cie(name, h.offset, version, aug, addressSize, segmentSize, codeAlignment, dataAlignment, raRegister,
                fdeEncoding, lsdaEncoding, personality, signal, instructions, h.end - instructions);
    }

    /** {@code s} quoted for a one-line message: control and non-ASCII characters escaped, at most 40 kept. */
    private static String quoted(String s) {
        var b = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '"' ? String.valueOf(c) : "\\x%02x".formatted((int) c & 0xff));
        }
        return b.append(s.length() > 40 ? "...\"" : "\"").toString();
    }

    private static int encoding(BinaryReader a) {
        long at = a.position();
        int enc = a.u8();
        if (enc != Cie.DW_EH_PE_OMIT && !validFormat(enc & 0x0f)) {
            throw a.error(at, "a DW_EH_PE_* pointer encoding, got 0x%02x".formatted(enc));
        }
        return enc;
    }

    private static boolean validFormat(int format) {
        return switch (format) {
            case PE_ABSPTR, PE_ULEB128, PE_UDATA2, PE_UDATA4, PE_UDATA8, PE_SIGNED, PE_SLEB128, PE_SDATA2, PE_SDATA4,
                    PE_SDATA8 -> true;
            default -> false;
        };
    }

    Fde fde(Header h) {
        long ciePointerAt = h.idOffset;
        long cieOffset = eh ? ciePointerAt - h.id : h.id;
        if (eh && Long.compareUnsigned(h.id, ciePointerAt) > 0) {
            throw reader().error(ciePointerAt, "a CIE pointer at most %d (back to the section start), got %d"
                    .formatted(ciePointerAt, h.id));
        }
        Cie c = cie(cieOffset, ciePointerAt);
        BinaryReader r = body(h);
        if (c.segmentSize() > 0) {
            r.skip(c.segmentSize()); // the segment selector: flat address spaces only here
        }
        long begin;
        long range;
        if (eh) {
            long at = r.position();
            int enc = c.fdeEncoding();
            if (enc == Cie.DW_EH_PE_OMIT || (enc & PE_INDIRECT) != 0) {
                throw r.error(at, "an FDE address encoding that is present and direct, got 0x%02x".formatted(enc));
            }
            begin = pointer(r, enc, c.addressSize()).address();
            range = value(r, enc & 0x0f, c.addressSize());
        } else {
            begin = r.unsigned(c.addressSize());
            range = r.unsigned(c.addressSize());
        }
        long mask = c.addressSize() == 8 ? -1L : (1L << (8 * c.addressSize())) - 1;
        begin &= mask;
        long end = begin + range;
        if (Long.compareUnsigned(range, mask - begin) > 0) {
            throw r.error(r.position() - 1, "an FDE range that ends within the address space: 0x%x + 0x%x"
                    .formatted(begin, range));
        }
        Optional<Cie.Pointer> lsda = Optional.empty();
        if (c.augmentation().startsWith("z")) {
            long augLength = r.uleb128();
            if (Long.compareUnsigned(augLength, r.remaining()) > 0) {
                throw r.error(r.position(), "augmentation data within the FDE's %d bytes left, got %d".formatted(r.remaining(), augLength));
            }
            long augEnd = r.position() + augLength;
            if (c.lsdaEncoding() != Cie.DW_EH_PE_OMIT) {
                Cie.Pointer p = pointer(r.slice(r.position(), augLength), c.lsdaEncoding(), c.addressSize());
                lsda = p.address() == 0 && !p.indirect() ? Optional.empty() : Optional.of(p);
            }
            r.seek(augEnd);
        }
        long instructions = r.fileOffset();
        return new Fde(h.offset, c, begin, end, lsda, instructions, h.end - instructions);
    }

    /**
     * A pointer in DW_EH_PE_{@code enc} at the reader's position (LSB §10.5.1): the format gives
     * the size, the application the base. As in GCC's unwinder, an encoded 0 stays 0 (a null
     * personality or LSDA) rather than becoming the base, except for FDE addresses (readelf adds
     * the base there too).
     */
    Cie.Pointer pointer(BinaryReader r, int enc, int addressSize) {
        long at = r.position();
        int application = enc & 0x70;
        if (application == PE_ALIGNED) {
            long abs = bases.section() + r.fileOffset();
            long pad = (addressSize - Long.remainderUnsigned(abs, addressSize)) % addressSize;
            r.skip(pad);
        }
        long fieldAddress = bases.section() + r.fileOffset();
        long raw = value(r, enc & 0x0f, addressSize);
        long base = switch (application) {
            case PE_ABSPTR, PE_ALIGNED -> 0;
            case PE_PCREL -> fieldAddress;
            case PE_TEXTREL -> bases.text();
            case PE_DATAREL -> bases.data();
            // funcrel (0x40) counts from the start of a function, which an FDE header or CIE does not have.
            default -> throw r.error(at, "a pointer encoding absptr, pcrel, textrel, datarel or aligned, got 0x%02x".formatted(enc));
        };
        long mask = addressSize == 8 ? -1L : (1L << (8 * addressSize)) - 1;
        return new Cie.Pointer((base + raw) & mask, (enc & PE_INDIRECT) != 0);
    }

    /** An unsigned or sign-extended value of DW_EH_PE_* {@code format}. */
    static long value(BinaryReader r, int format, int addressSize) {
        return switch (format) {
            case PE_ABSPTR -> r.unsigned(addressSize);
            case PE_SIGNED -> signExtend(r.unsigned(addressSize), addressSize);
            case PE_ULEB128 -> r.uleb128();
            case PE_SLEB128 -> r.sleb128();
            case PE_UDATA2 -> r.u16();
            case PE_UDATA4 -> r.u32();
            case PE_UDATA8 -> r.u64();
            case PE_SDATA2 -> r.s16();
            case PE_SDATA4 -> r.s32();
            case PE_SDATA8 -> r.u64();
            default -> throw r.error(r.position(), "a DW_EH_PE_* value format, got 0x%x".formatted(format));
        };
    }

    private static long signExtend(long v, int size) {
        int shift = 64 - 8 * size;
        return (v << shift) >> shift;
    }

    /** Growable arrays for the index (entries are at least 4 bytes: bounded by the section size). */
    private static final class LongList {
        long[] a = new long[64];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
