package kdive.kernel.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kdive.dwarf.AttrValue;
import kdive.dwarf.Die;
import kdive.dwarf.DieReader;
import kdive.dwarf.DwAt;
import kdive.dwarf.DwTag;
import kdive.dwarf.Dwarf;
import kdive.dwarf.Types;
import kdive.elf.ElfFile;

/**
 * The names a kernel program looks up: one DIE per C type name ("struct task_struct", typedefs,
 * base types) and per global variable, the first complete definition winning over declarations.
 * A kernel has one layout per type name, so one DIE is enough, where {@link Types#index} keeps
 * every copy of every unit. Building it reads every DIE header of a 600 MB vmlinux (about a
 * second on two cores, and a large transient heap), so the result is kept on disk keyed by
 * build-id, as kdive-symbolize's unit index is: a later open reads some 2 MB instead.
 */
public final class NameIndex {
    private static final int MAGIC = 0x4b444e31; // "KDN1"
    private static final long CACHE_THRESHOLD = 16 << 20;

    private NameIndex() {}

    /** Per name, the chosen DIE offset; variables and types in separate maps. */
    record Names(Map<String, Long> types, Map<String, Long> variables) {}

    /** Types of {@code elf}'s DWARF over the cached (or freshly built and saved) name index. */
    public static Types types(ElfFile elf, Dwarf dwarf) {
        Names n = cached(elf, dwarf);
        return Types.of(dwarf, lists(n.types()), lists(n.variables()));
    }

    private static Map<String, List<Long>> lists(Map<String, Long> m) {
        var out = new HashMap<String, List<Long>>(m.size() * 2);
        m.forEach((k, v) -> out.put(k, List.of(v)));
        return out;
    }

    private static Names cached(ElfFile elf, Dwarf dwarf) {
        var id = elf.buildId();
        if (id.isEmpty() || dwarf.infoSize() < CACHE_THRESHOLD || "off".equals(System.getProperty("kdive.cache"))) {
            return build(dwarf);
        }
        String base = System.getenv().getOrDefault("KDIVE_CACHE", System.getProperty("user.home") + "/.cache/kdive");
        Path file = Path.of(base, "index", id.get().hex() + ".names");
        Names loaded = load(file, dwarf.infoSize());
        if (loaded != null) {
            return loaded;
        }
        Names built = build(dwarf);
        save(built, file, dwarf.infoSize());
        return built;
    }

    /** Scans every unit in parallel; only named types (any depth) and unit-level variables are decoded. */
    static Names build(Dwarf dwarf) {
        record Found(String key, long offset, boolean variable, boolean complete) {}
        List<List<Found>> perUnit = dwarf.units().parallelStream().<List<Found>>map(u -> {
            var out = new ArrayList<Found>();
            DieReader r = dwarf.dies(u);
            while (r.hasNext()) {
                int depth = r.depth();
                int tag = r.nextEntry();
                if (tag == 0) {
                    continue;
                }
                String prefix = prefix(tag);
                boolean variable = tag == DwTag.VARIABLE && depth == 1;
                if (prefix == null && !variable) {
                    r.skipAttributes();
                    continue;
                }
                Die d = r.readAttributes();
                AttrValue name = d.get(DwAt.NAME);
                if (name instanceof AttrValue.Str || name instanceof AttrValue.Index) {
                    boolean complete = variable ? d.get(DwAt.TYPE) != null : d.get(DwAt.DECLARATION) == null;
                    out.add(new Found(variable ? dwarf.string(u, name) : prefix + dwarf.string(u, name),
                            d.offset(), variable, complete));
                }
            }
            return out;
        }).toList();
        var types = new HashMap<String, Long>();
        var vars = new HashMap<String, Long>();
        var complete = new java.util.HashSet<String>();
        for (List<Found> l : perUnit) {
            for (Found f : l) {
                Map<String, Long> m = f.variable() ? vars : types;
                String key = (f.variable() ? "v " : "t ") + f.key();
                if (!m.containsKey(f.key()) || f.complete() && !complete.contains(key)) {
                    m.put(f.key(), f.offset());
                    if (f.complete()) {
                        complete.add(key);
                    }
                }
            }
        }
        return new Names(types, vars);
    }

    private static String prefix(int tag) {
        return switch (tag) {
            case DwTag.STRUCTURE_TYPE -> "struct ";
            case DwTag.UNION_TYPE -> "union ";
            case DwTag.ENUMERATION_TYPE -> "enum ";
            case DwTag.TYPEDEF, DwTag.BASE_TYPE -> "";
            default -> null;
        };
    }

    private static Names load(Path file, long infoSize) {
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readLong() != infoSize) {
                return null;
            }
            Map<String, Long> types = readMap(in, infoSize);
            Map<String, Long> vars = readMap(in, infoSize);
            return types == null || vars == null ? null : new Names(types, vars);
        } catch (IOException e) {
            return null; // no cache yet, or unreadable: rebuild
        }
    }

    private static Map<String, Long> readMap(DataInputStream in, long infoSize) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > infoSize / 4) {
            return null;
        }
        var m = new HashMap<String, Long>(n * 2);
        for (int i = 0; i < n; i++) {
            String k = in.readUTF();
            long off = in.readLong();
            if (off < 0 || off >= infoSize) {
                return null;
            }
            m.put(k, off);
        }
        return m;
    }

    private static void save(Names n, Path file, long infoSize) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "names", ".tmp");
            try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeLong(infoSize);
                for (Map<String, Long> m : List.of(n.types(), n.variables())) {
                    out.writeInt(m.size());
                    for (var e : m.entrySet()) {
                        out.writeUTF(e.getKey());
                        out.writeLong(e.getValue());
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // A read-only or full cache directory only costs speed next time.
        }
    }
}
