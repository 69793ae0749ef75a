package kdive.dwarf.internal;

import kdive.dwarf.AttrValue;
import kdive.dwarf.DwarfSections;
import kdive.dwarf.Form;
import kdive.dwarf.Unit;
import kdive.io.BinaryReader;

/** Decodes one attribute value by form (DWARF 5 §7.5.5, §7.5.6). */
public final class FormReader {
    private FormReader() {}

    /** @param r reader over .debug_info positioned at the value */
    public static AttrValue read(BinaryReader r, Form form, long implicitConst, Unit u, DwarfSections s) {
        return switch (form) {
            case ADDR -> new AttrValue.Address(form, r.unsigned(u.addressSize()));
            case DATA1 -> new AttrValue.Constant(form, r.u8());
            case DATA2 -> new AttrValue.Constant(form, r.u16());
            case DATA4 -> new AttrValue.Constant(form, r.u32());
            case DATA8 -> new AttrValue.Constant(form, r.u64());
            case SDATA -> new AttrValue.Constant(form, r.sleb128());
            case UDATA -> new AttrValue.Constant(form, r.uleb128());
            case IMPLICIT_CONST -> new AttrValue.Constant(form, implicitConst);
            case DATA16 -> block(r, form, 16);
            case BLOCK1 -> block(r, form, r.u8());
            case BLOCK2 -> block(r, form, r.u16());
            case BLOCK4 -> block(r, form, r.u32());
            case BLOCK, EXPRLOC -> block(r, form, r.uleb128());
            case FLAG -> new AttrValue.Flag(form, r.u8() != 0);
            case FLAG_PRESENT -> new AttrValue.Flag(form, true);
            case STRING -> {
                long at = r.position();
                r.cstring();
                yield new AttrValue.Str(form, s.info(), at);
            }
            case STRP -> new AttrValue.Str(form, s.str(), offset(r, u));
            case LINE_STRP -> new AttrValue.Str(form, s.lineStr(), offset(r, u));
            case STRP_SUP, GNU_STRP_ALT, GNU_REF_ALT -> new AttrValue.SectionOffset(form, offset(r, u));
            case REF_SUP4 -> new AttrValue.SectionOffset(form, r.u32());
            case REF_SUP8 -> new AttrValue.SectionOffset(form, r.u64());
            case SEC_OFFSET -> new AttrValue.SectionOffset(form, offset(r, u));
            // DWARF 2 encoded DW_FORM_ref_addr with the address size (DWARF 3 §7.5.4 changed it).
            case REF_ADDR -> new AttrValue.Reference(form, u.version() <= 2 ? r.unsigned(u.addressSize()) : offset(r, u));
            case REF1 -> new AttrValue.Reference(form, u.offset() + r.u8());
            case REF2 -> new AttrValue.Reference(form, u.offset() + r.u16());
            case REF4 -> new AttrValue.Reference(form, u.offset() + r.u32());
            case REF8 -> new AttrValue.Reference(form, u.offset() + r.u64());
            case REF_UDATA -> new AttrValue.Reference(form, u.offset() + r.uleb128());
            case REF_SIG8 -> new AttrValue.Signature(form, r.u64());
            case STRX, ADDRX, LOCLISTX, RNGLISTX, GNU_ADDR_INDEX, GNU_STR_INDEX -> new AttrValue.Index(form, r.uleb128());
            case STRX1, ADDRX1 -> new AttrValue.Index(form, r.u8());
            case STRX2, ADDRX2 -> new AttrValue.Index(form, r.u16());
            case STRX3, ADDRX3 -> new AttrValue.Index(form, r.u16() | (long) r.u8() << 16);
            case STRX4, ADDRX4 -> new AttrValue.Index(form, r.u32());
            case INDIRECT -> {
                long at = r.position();
                Form actual = Form.ofCode(r.uleb128());
                if (actual == null || actual == Form.INDIRECT || actual == Form.IMPLICIT_CONST) {
                    throw r.error(at, "a form for DW_FORM_indirect (DWARF 5 §7.5.5)");
                }
                yield read(r, actual, 0, u, s);
            }
        };
    }

    /**
     * The size in bytes of every value of {@code form} in unit {@code u} (DWARF 5 §7.5.6), or -1
     * when the value carries its own length (LEB128, strings, blocks, indirect).
     */
    public static int fixedSize(Form form, Unit u) {
        return switch (form) {
            case FLAG_PRESENT, IMPLICIT_CONST -> 0;
            case DATA1, REF1, FLAG, STRX1, ADDRX1 -> 1;
            case DATA2, REF2, STRX2, ADDRX2 -> 2;
            case STRX3, ADDRX3 -> 3;
            case DATA4, REF4, STRX4, ADDRX4, REF_SUP4 -> 4;
            case DATA8, REF8, REF_SIG8, REF_SUP8 -> 8;
            case DATA16 -> 16;
            case ADDR -> u.addressSize();
            case STRP, LINE_STRP, SEC_OFFSET, STRP_SUP, GNU_STRP_ALT, GNU_REF_ALT -> u.offsetSize();
            case REF_ADDR -> u.version() <= 2 ? u.addressSize() : u.offsetSize();
            default -> -1;
        };
    }

    /** Skips one value of {@code form} without decoding it (the fast path of a DIE scan). */
    public static void skip(BinaryReader r, Form form, Unit u) {
        int size = fixedSize(form, u);
        if (size >= 0) {
            r.skip(size);
            return;
        }
        switch (form) {
            case UDATA, REF_UDATA, STRX, ADDRX, LOCLISTX, RNGLISTX, GNU_ADDR_INDEX, GNU_STR_INDEX -> r.uleb128();
            case SDATA -> r.sleb128();
            case STRING -> {
                while (r.u8() != 0) {
                    // bounded by the reader: running off the end is a FormatException
                }
            }
            case BLOCK1 -> r.skip(r.u8());
            case BLOCK2 -> r.skip(r.u16());
            case BLOCK4 -> r.skip(r.u32());
            case BLOCK, EXPRLOC -> r.skip(r.uleb128());
            case INDIRECT -> {
                long at = r.position();
                Form actual = Form.ofCode(r.uleb128());
                if (actual == null || actual == Form.INDIRECT || actual == Form.IMPLICIT_CONST) {
                    throw r.error(at, "a form for DW_FORM_indirect (DWARF 5 §7.5.5)");
                }
                skip(r, actual, u);
            }
            default -> throw new IllegalStateException("fixed-size form " + form + " reached the variable-size switch");
        }
    }

    private static long offset(BinaryReader r, Unit u) {
        return u.offsetSize() == 8 ? r.u64() : r.u32();
    }

    private static AttrValue block(BinaryReader r, Form form, long length) {
        long at = r.position();
        if (length < 0 || length > r.remaining()) {
            throw r.error(at, "a block of %d bytes within the %d remaining".formatted(length, r.remaining()));
        }
        r.skip(length);
        return new AttrValue.Block(form, r.segment().asSlice(at, length));
    }
}
