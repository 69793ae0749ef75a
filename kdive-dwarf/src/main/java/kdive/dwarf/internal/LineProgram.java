package kdive.dwarf.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kdive.dwarf.AttrValue;
import kdive.dwarf.DwarfSections;
import kdive.dwarf.Form;
import kdive.dwarf.LineTable;
import kdive.dwarf.Unit;
import kdive.io.BinaryReader;

/** Decodes a line number program (DWARF 5 §6.2; versions 2-5). */
public final class LineProgram {
    private static final int DW_LNCT_PATH = 1;
    private static final int DW_LNCT_DIRECTORY_INDEX = 2;

    private LineProgram() {}

    private record Header(int version, int offsetSize, int addressSize, int minInst, int maxOps,
                          boolean defaultIsStmt, int lineBase, int lineRange, int opcodeBase, int[] opLengths) {}

    public static LineTable decode(DwarfSections s, long offset, int cuAddressSize, String compDir) {
        BinaryReader r = s.reader(s.line(), ".debug_line").seek(offset);
        long length = r.u32();
        int offsetSize = 4;
        if (length == 0xffffffffL) {
            length = r.u64();
            offsetSize = 8;
        }
        if (length > r.remaining()) {
            throw r.error(offset, "a line program length within the %d bytes remaining, got %d".formatted(r.remaining(), length));
        }
        long end = r.position() + length;
        BinaryReader p = r.slice(0, end);
        p.seek(r.position());
        int version = p.u16();
        if (version < 2 || version > 5) {
            throw p.error(offset + (offsetSize == 8 ? 12 : 4), "a line table version 2-5, got %d".formatted(version));
        }
        int addressSize = cuAddressSize;
        if (version >= 5) {
            addressSize = p.u8();
            int segSel = p.u8();
            if (segSel != 0) {
                throw p.error(p.position() - 1, "segment_selector_size 0, got %d".formatted(segSel));
            }
        }
        long headerLength = offsetSize == 8 ? p.u64() : p.u32();
        long programStart = p.position() + headerLength;
        int minInst = p.u8();
        int maxOps = version >= 4 ? p.u8() : 1;
        boolean defaultIsStmt = p.u8() != 0;
        int lineBase = p.s8();
        int lineRange = p.u8();
        int opcodeBase = p.u8();
        int[] opLengths = new int[Math.max(opcodeBase, 1)];
        for (int i = 1; i < opcodeBase; i++) {
            opLengths[i] = p.u8();
        }
        if (maxOps == 0) {
            throw p.error(p.position(), "maximum_operations_per_instruction > 0");
        }
        var h = new Header(version, offsetSize, addressSize, minInst, maxOps, defaultIsStmt, lineBase, lineRange, opcodeBase, opLengths);
        var dirs = new ArrayList<String>();
        var files = new ArrayList<LineTable.FileEntry>();
        if (version >= 5) {
            var pseudo = new Unit(-1, offset, version, 0, addressSize, offsetSize, 0, 0, 0);
            readEntries(p, s, pseudo, (name, dir) -> dirs.add(name));
            readEntries(p, s, pseudo, (name, dir) -> files.add(new LineTable.FileEntry(name, dir)));
        } else {
            while (true) {
                String d = p.cstring();
                if (d.isEmpty()) {
                    break;
                }
                dirs.add(d);
            }
            while (true) {
                String f = p.cstring();
                if (f.isEmpty()) {
                    break;
                }
                long dir = p.uleb128();
                p.uleb128();
                p.uleb128();
                files.add(new LineTable.FileEntry(f, dir));
            }
        }
        if (programStart > end || programStart < p.position()) {
            throw p.error(p.position(), "a header_length ending within the line program");
        }
        p.seek(programStart);
        var rows = new Rows();
        run(p, end, h, files, rows);
        return new LineTable(offset, version, compDir, java.util.Collections.unmodifiableList(dirs), List.copyOf(files),
                Arrays.copyOf(rows.address, rows.n), Arrays.copyOf(rows.file, rows.n), Arrays.copyOf(rows.line, rows.n),
                Arrays.copyOf(rows.column, rows.n), Arrays.copyOf(rows.discriminator, rows.n), Arrays.copyOf(rows.flags, rows.n));
    }

    private interface EntrySink {
        void add(String name, long dir);
    }

    /** Directory/file entry formats and entries (DWARF 5 §6.2.4 items 14-20). */
    private static void readEntries(BinaryReader p, DwarfSections s, Unit pseudo, EntrySink sink) {
        int formatCount = p.u8();
        long[] types = new long[formatCount];
        Form[] forms = new Form[formatCount];
        for (int i = 0; i < formatCount; i++) {
            types[i] = p.uleb128();
            long at = p.position();
            forms[i] = Form.ofCode(p.uleb128());
            if (forms[i] == null) {
                throw p.error(at, "a known form in a line table entry format");
            }
        }
        long count = p.uleb128();
        if (count > p.remaining()) {
            throw p.error(p.position(), "an entry count within the %d bytes remaining, got %d".formatted(p.remaining(), count));
        }
        for (long e = 0; e < count; e++) {
            String name = null;
            long dir = 0;
            for (int i = 0; i < formatCount; i++) {
                AttrValue v = FormReader.read(p, forms[i], 0, pseudo, s);
                if (types[i] == DW_LNCT_PATH && v instanceof AttrValue.Str str) {
                    name = Strings.at(s, str);
                } else if (types[i] == DW_LNCT_DIRECTORY_INDEX && v.isIntegral()) {
                    dir = v.asLong();
                }
            }
            sink.add(name, dir);
        }
    }

    /** Growable parallel arrays of rows. */
    private static final class Rows {
        int n;
        long[] address = new long[64];
        int[] file = new int[64];
        int[] line = new int[64];
        int[] column = new int[64];
        int[] discriminator = new int[64];
        byte[] flags = new byte[64];

        void add(long a, int f, int l, int c, int d, byte fl) {
            if (n == address.length) {
                int cap = n * 2;
                address = Arrays.copyOf(address, cap);
                file = Arrays.copyOf(file, cap);
                line = Arrays.copyOf(line, cap);
                column = Arrays.copyOf(column, cap);
                discriminator = Arrays.copyOf(discriminator, cap);
                flags = Arrays.copyOf(flags, cap);
            }
            address[n] = a;
            file[n] = f;
            line[n] = l;
            column[n] = c;
            discriminator[n] = d;
            flags[n] = fl;
            n++;
        }
    }

    private static byte flags(boolean isStmt, boolean fileSet) {
        return (byte) ((isStmt ? LineTable.IS_STMT : 0) | (fileSet ? 0 : LineTable.DEFAULT_FILE));
    }

    /** Runs the state machine (DWARF 5 §6.2.5); every opcode consumes input, so the loop ends. */
    private static void run(BinaryReader p, long end, Header h, List<LineTable.FileEntry> files, Rows rows) {
        long address = 0;
        int opIndex = 0;
        int file = 1;
        int line = 1;
        int column = 0;
        int discriminator = 0;
        boolean isStmt = h.defaultIsStmt();
        boolean fileSet = false;
        while (p.position() < end) {
            int op = p.u8();
            if (op >= h.opcodeBase()) {
                if (h.lineRange() == 0) {
                    throw p.error(p.position() - 1, "line_range > 0 for a special opcode");
                }
                int adj = op - h.opcodeBase();
                long adv = adj / h.lineRange();
                address += (opIndex + adv) / h.maxOps() * h.minInst();
                opIndex = (int) ((opIndex + adv) % h.maxOps());
                line += h.lineBase() + adj % h.lineRange();
                rows.add(address, file, line, column, discriminator, flags(isStmt, fileSet));
                discriminator = 0;
                continue;
            }
            switch (op) {
                case 0 -> {
                    long len = p.uleb128();
                    long start = p.position();
                    if (len == 0 || len > end - start) {
                        throw p.error(start, "an extended opcode length within the program, got %d".formatted(len));
                    }
                    int ext = p.u8();
                    switch (ext) {
                        case 1 -> {
                            rows.add(address, file, line, column, discriminator,
                                    (byte) ((flags(isStmt, fileSet)) | LineTable.END_SEQUENCE));
                            address = 0;
                            opIndex = 0;
                            file = 1;
                            line = 1;
                            column = 0;
                            discriminator = 0;
                            isStmt = h.defaultIsStmt();
                            fileSet = false;
                        }
                        case 2 -> {
                            int width = (int) (len - 1);
                            address = p.unsigned(width == 4 || width == 8 || width == 2 ? width : h.addressSize());
                            opIndex = 0;
                        }
                        case 3 -> {
                            String name = p.cstring();
                            long dir = p.uleb128();
                            files.add(new LineTable.FileEntry(name, dir));
                        }
                        case 4 -> discriminator = (int) p.uleb128();
                        default -> { }
                    }
                    p.seek(start + len);
                }
                case 1 -> {
                    rows.add(address, file, line, column, discriminator, flags(isStmt, fileSet));
                    discriminator = 0;
                }
                case 2 -> {
                    long adv = p.uleb128();
                    address += (opIndex + adv) / h.maxOps() * h.minInst();
                    opIndex = (int) ((opIndex + adv) % h.maxOps());
                }
                case 3 -> line += (int) p.sleb128();
                case 4 -> {
                    file = (int) p.uleb128();
                    fileSet = true;
                }
                case 5 -> column = (int) p.uleb128();
                case 6 -> isStmt = !isStmt;
                case 7, 10, 11 -> { }
                case 8 -> {
                    if (h.lineRange() == 0) {
                        throw p.error(p.position() - 1, "line_range > 0 for DW_LNS_const_add_pc");
                    }
                    long adv = (255 - h.opcodeBase()) / h.lineRange();
                    address += (opIndex + adv) / h.maxOps() * h.minInst();
                    opIndex = (int) ((opIndex + adv) % h.maxOps());
                }
                case 9 -> {
                    address += p.u16();
                    opIndex = 0;
                }
                default -> {
                    // Unknown standard opcode: skip its ULEB128 operands (DWARF 5 §6.2.5.2).
                    for (int i = 0; i < h.opLengths()[op]; i++) {
                        p.uleb128();
                    }
                }
            }
        }
    }

}
