package kdive.kernel.helpers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kdive.dump.KernelLog;
import kdive.dump.LogRecord;
import kdive.dump.VmcoreInfo;
import kdive.dwarf.Type;
import kdive.io.MissingDebugInfoException;
import kdive.kernel.Program;

/**
 * The kernel log of a program. The log readers (kdive.dump.KernelLog) find the buffer and its
 * layout through vmcoreinfo; when the program has the vmlinux's DWARF, the entries they use are
 * completed from it: SYMBOL()s from the symbol table (KASLR applied), SIZE()s and OFFSET()s from
 * the types. Entries the dump's own vmcoreinfo has always win; this only fills gaps, such as a
 * QEMU dump taken without -device vmcoreinfo, or an old kernel that exported fewer entries.
 */
public final class Printk {
    private static final List<String> SYMBOLS =
            List.of("prb", "log_buf", "log_buf_len", "log_first_idx", "log_next_idx", "log_end", "logged_chars");
    /** Each struct the readers walk and the members they use; the last of printk_log/log/printk_info is optional. */
    private static final Map<String, List<String>> STRUCTS = structs();

    private Printk() {}

    private static Map<String, List<String>> structs() {
        var m = new LinkedHashMap<String, List<String>>();
        m.put("printk_ringbuffer", List.of("desc_ring", "text_data_ring"));
        m.put("prb_desc_ring", List.of("count_bits", "descs", "infos", "head_id", "tail_id"));
        m.put("prb_data_ring", List.of("size_bits", "data"));
        m.put("prb_desc", List.of("state_var", "text_blk_lpos"));
        m.put("prb_data_blk_lpos", List.of("begin", "next"));
        m.put("printk_info", List.of("seq", "ts_nsec", "text_len", "caller_id"));
        m.put("printk_log", List.of("ts_nsec", "len", "text_len", "dict_len", "caller_id"));
        m.put("log", List.of("ts_nsec", "len", "text_len", "dict_len", "caller_id"));
        return m;
    }

    /** Every record still in the buffer, oldest first, read through the program's address space. */
    public static List<LogRecord> records(Program prog) {
        return records(prog, layout(prog));
    }

    /** The records with what looked wrong in the ring while reading them (see {@link KernelLog.Listing}). */
    public static KernelLog.Listing listing(Program prog) {
        return KernelLog.list(layout(prog), prog.memory(), prog.name());
    }

    /** The records as {@code layout} (a vmcoreinfo) describes the buffer. */
    public static List<LogRecord> records(Program prog, VmcoreInfo layout) {
        return KernelLog.read(layout, prog.memory(), prog.name());
    }

    /** The vmcoreinfo the log readers use: the dump's, completed from the DWARF when the program has it. */
    public static VmcoreInfo layout(Program prog) {
        Optional<VmcoreInfo> have = prog.vmcoreInfo();
        if (!prog.hasDebugInfo()) {
            return have.orElseThrow(() -> new MissingDebugInfoException(("%s: no vmcoreinfo, so the kernel log cannot be "
                    + "found without the vmlinux (log --vmlinux FILE)").formatted(prog.name())));
        }
        // The dump's own entries first: they win over the DWARF's.
        var merged = new LinkedHashMap<String, String>(have.map(VmcoreInfo::entries).orElse(Map.of()));
        dwarfEntries(prog).forEach(merged::putIfAbsent);
        return new VmcoreInfo(have.map(VmcoreInfo::file).orElse(prog.name()), have.map(VmcoreInfo::offset).orElse(0L),
                have.map(VmcoreInfo::raw).orElse(""), merged);
    }

    /**
     * The vmcoreinfo entries of the log's buffer and layout as the vmlinux gives them, written as
     * the kernel writes them (SYMBOL in hex, OFFSET and SIZE in decimal) because the log readers
     * take vmcoreinfo.
     */
    public static Map<String, String> dwarfEntries(Program prog) {
        var entries = new LinkedHashMap<String, String>();
        for (String sym : SYMBOLS) {
            prog.findSymbol(sym).ifPresent(a -> entries.put("SYMBOL(" + sym + ")", Long.toHexString(a)));
        }
        boolean printkLog = false;
        for (var e : STRUCTS.entrySet()) {
            if (e.getKey().equals("log") && printkLog) {
                continue; // struct log is the pre-3.11 name of printk_log; never both
            }
            if (prog.findType("struct " + e.getKey()).orElse(null) instanceof Type.Struct s && !s.declaration()) {
                var found = new LinkedHashMap<String, String>();
                for (String member : e.getValue()) {
                    s.members().stream().filter(m -> member.equals(m.name())).findFirst().ifPresent(m ->
                            found.put("OFFSET(" + e.getKey() + "." + member + ")", Long.toString(m.byteOffset())));
                }
                boolean optionalLast = e.getKey().equals("printk_log") || e.getKey().equals("log")
                        || e.getKey().equals("printk_info");
                if (found.size() >= e.getValue().size() - (optionalLast ? 1 : 0)) {
                    entries.put("SIZE(" + e.getKey() + ")", Long.toString(s.size()));
                    entries.putAll(found);
                    printkLog |= e.getKey().equals("printk_log");
                }
            }
        }
        return entries;
    }
}
