package kdive.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kdive.dump.VmcoreInfo;
import kdive.dwarf.Type;
import kdive.dwarf.Types;
import kdive.elf.ElfFile;

/**
 * The vmcoreinfo entries the log readers use, completed from a vmlinux: SYMBOL()s from its
 * symbol table (moved by the KASLR offset), SIZE()s and OFFSET()s from its DWARF. Entries the
 * dump's own vmcoreinfo has always win; this only fills gaps, such as a QEMU dump taken without
 * -device vmcoreinfo, or an old kernel that exported fewer entries.
 */
final class DwarfVmcoreInfo {
    private static final List<String> SYMBOLS =
            List.of("prb", "log_buf", "log_buf_len", "log_first_idx", "log_next_idx", "log_end", "logged_chars");
    /** Each struct the readers walk and the members they use; the last of printk_log/log/printk_info is optional. */
    private static final Map<String, List<String>> STRUCTS = structs();

    private DwarfVmcoreInfo() {}

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

    static VmcoreInfo complete(Optional<VmcoreInfo> have, ElfFile vmlinux, Types types, long kernelOffset, String dumpName) {
        var entries = new LinkedHashMap<String, String>();
        for (String sym : SYMBOLS) {
            vmlinux.symbols().findByName(sym).ifPresent(s ->
                    entries.put("SYMBOL(" + sym + ")", Long.toHexString(s.value() + kernelOffset)));
        }
        boolean printkLog = false;
        for (var e : STRUCTS.entrySet()) {
            if (e.getKey().equals("log") && printkLog) {
                continue; // struct log is the pre-3.11 name of printk_log; never both
            }
            if (types.findType("struct " + e.getKey()).orElse(null) instanceof Type.Struct s && !s.declaration()) {
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
        var text = new StringBuilder(have.map(VmcoreInfo::raw).orElse(""));
        if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
            text.append('\n');
        }
        entries.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        // parse() keeps the first value of a key: the dump's own entries come first and win.
        return VmcoreInfo.parse(have.map(VmcoreInfo::file).orElse(dumpName), have.map(VmcoreInfo::offset).orElse(0L),
                text.toString());
    }
}
