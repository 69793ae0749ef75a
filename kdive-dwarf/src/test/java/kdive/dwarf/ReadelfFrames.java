package kdive.dwarf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code readelf --debug-dump=frames-interp} (binutils 2.40) parsed: per section, each CIE and
 * FDE header and its table. A table's columns are the registers the CIE's and the FDE's
 * instructions mention, by name ({@code ra} for the return address column); cells are {@code u}
 * (undefined or no rule), {@code s}, {@code c±N} (offset), {@code v±N} (val_offset), {@code rN (name)}
 * (register), {@code exp}, {@code vexp}; the CFA is {@code reg±N} or {@code exp}. readelf prints a
 * row before each advance and one at the end, and no table when the FDE has only DW_CFA_nop.
 */
final class ReadelfFrames {
    record Row(long loc, String cfa, List<String> cells) {}

    /** One entry; {@code cie} is the CIE offset of an FDE, -1 for a CIE. */
    record Entry(long offset, long length, boolean isCie, long cie, String augmentation, long codeAlign, long dataAlign,
            int ra, long pcBegin, long pcEnd, List<String> columns, List<Row> rows) {}

    private static final Pattern SECTION = Pattern.compile("^Contents of the (\\S+) section");
    private static final Pattern CIE = Pattern.compile(
            "^([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) CIE \"(.*)\" cf=(\\d+) df=(-?\\d+) ra=(\\d+)$");
    private static final Pattern FDE = Pattern.compile(
            "^([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) FDE cie=(\\S+)\\s+pc=([0-9a-f]+)\\.\\.([0-9a-f]+)$");
    private static final Pattern HEADER = Pattern.compile("^\\s+LOC\\s+CFA\\s*(.*)$");
    private static final Pattern ROW = Pattern.compile("^([0-9a-f]+) (\\S+)\\s*(.*)$");
    private static final Pattern CELL = Pattern.compile("r\\d+ \\([^)]*\\)|\\S+");

    private ReadelfFrames() {}

    /** Section name to its entries, in output order. */
    static Map<String, List<Entry>> parse(String output) {
        var out = new LinkedHashMap<String, List<Entry>>();
        List<Entry> current = null;
        Entry pending = null;
        List<String> columns = null;
        List<Row> rows = null;
        for (String line : output.split("\n")) {
            Matcher m;
            if ((m = SECTION.matcher(line)).find()) {
                current = out.computeIfAbsent(m.group(1), k -> new ArrayList<>());
            } else if ((m = CIE.matcher(line)).matches()) {
                rows = new ArrayList<>();
                columns = new ArrayList<>();
                pending = new Entry(hex(m.group(1)), hex(m.group(2)), true, -1, m.group(4), Long.parseLong(m.group(5)),
                        Long.parseLong(m.group(6)), Integer.parseInt(m.group(7)), 0, 0, columns, rows);
                current.add(pending);
            } else if ((m = FDE.matcher(line)).matches()) {
                rows = new ArrayList<>();
                columns = new ArrayList<>();
                long cie = m.group(4).equals("invalid") ? -2 : hex(m.group(4));
                pending = new Entry(hex(m.group(1)), hex(m.group(2)), false, cie, null, 0, 0, 0, hex(m.group(5)),
                        hex(m.group(6)), columns, rows);
                current.add(pending);
            } else if (pending != null && (m = HEADER.matcher(line)).matches()) {
                columns.addAll(List.of(m.group(1).strip().split("\\s+")));
                columns.removeIf(String::isEmpty);
            } else if (pending != null && (m = ROW.matcher(line)).matches() && !line.contains("ZERO terminator")) {
                var cells = new ArrayList<String>();
                Matcher c = CELL.matcher(m.group(3));
                while (c.find()) {
                    cells.add(c.group());
                }
                rows.add(new Row(hex(m.group(1)), m.group(2), cells));
            }
        }
        return out;
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }

    // binutils' DWARF register names (dwarf.c dwarf_regnames_x86_64 / _i386); readelf prints
    // "rN" for numbers without a name.
    private static final String[] X86_64 = names("rax rdx rcx rbx rsi rdi rbp rsp r8 r9 r10 r11 r12 r13 r14 r15 rip "
            + "xmm0 xmm1 xmm2 xmm3 xmm4 xmm5 xmm6 xmm7 xmm8 xmm9 xmm10 xmm11 xmm12 xmm13 xmm14 xmm15 "
            + "st0 st1 st2 st3 st4 st5 st6 st7 mm0 mm1 mm2 mm3 mm4 mm5 mm6 mm7 rflags es cs ss ds fs gs - - fs.base gs.base "
            + "- - tr ldtr mxcsr fcw fsw");
    private static final String[] I386 = names("eax ecx edx ebx esp ebp esi edi eip eflags - st0 st1 st2 st3 st4 st5 st6 st7 "
            + "- - xmm0 xmm1 xmm2 xmm3 xmm4 xmm5 xmm6 xmm7 mm0 mm1 mm2 mm3 mm4 mm5 mm6 mm7 fcw fsw mxcsr es cs ss ds fs gs - - tr ldtr");

    private static String[] names(String list) {
        return list.split(" ");
    }

    /** DWARF register number of readelf's name {@code name} on x86-64 or i386. */
    static int register(String name, boolean is64) {
        String[] table = is64 ? X86_64 : I386;
        for (int i = 0; i < table.length; i++) {
            if (table[i].equals(name)) {
                return i;
            }
        }
        Matcher m = Pattern.compile("r(\\d+)").matcher(name);
        if (m.matches()) {
            return Integer.parseInt(m.group(1));
        }
        throw new IllegalArgumentException("unknown register name " + name);
    }

    /** readelf's CFA cell as "R<number><±offset>" or "exp". */
    static String cfa(String cell, boolean is64) {
        if (cell.equals("exp")) {
            return cell;
        }
        Matcher m = Pattern.compile("(.+?)([+-]\\d+)").matcher(cell);
        if (!m.matches()) {
            throw new IllegalArgumentException("CFA cell " + cell);
        }
        return "R" + register(m.group(1), is64) + m.group(2);
    }

    /** readelf's register cell, with "rN (name)" as "RN". */
    static String cell(String cell) {
        Matcher m = Pattern.compile("r(\\d+) \\(.*\\)").matcher(cell);
        return m.matches() ? "R" + m.group(1) : cell;
    }

    /** Our CFA rule as {@link #cfa} writes readelf's. */
    static String render(CfaRule rule) {
        return switch (rule) {
            case CfaRule.RegisterOffset ro -> "R" + ro.register() + "%+d".formatted(ro.offset());
            case CfaRule.Expression e -> "exp";
            case CfaRule.Undefined u -> "undefined";
        };
    }

    /** Our register rule as {@link #cell} writes readelf's (no rule: {@code u}). */
    static String render(RegisterRule rule) {
        return switch (rule) {
            case null -> "u";
            case RegisterRule.Undefined u -> "u";
            case RegisterRule.SameValue s -> "s";
            case RegisterRule.Offset o -> "c%+d".formatted(o.offset());
            case RegisterRule.ValOffset v -> "v%+d".formatted(v.offset());
            case RegisterRule.Register r -> "R" + r.register();
            case RegisterRule.Expression e -> "exp";
            case RegisterRule.ValExpression e -> "vexp";
        };
    }

    /** Column names to register numbers ("ra" is the CIE's return address column). */
    static List<Integer> columns(List<String> names, int ra, boolean is64) {
        var out = new ArrayList<Integer>();
        for (String n : names) {
            out.add(n.equals("ra") ? ra : register(n, is64));
        }
        return out;
    }

    static Map<Long, Entry> byOffset(List<Entry> entries) {
        var out = new HashMap<Long, Entry>();
        for (Entry e : entries) {
            out.put(e.offset(), e);
        }
        return out;
    }
}
