package kdive.kernel.internal;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import kdive.dwarf.AttrValue;
import kdive.dwarf.Die;
import kdive.dwarf.DwAt;
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
    private static final int MAGIC = 0x4b444e32; // "KDN2"
    private static final long CACHE_THRESHOLD = 16 << 20;

    private NameIndex() {}

    /**
     * A global variable: its type's DIE offset (-1 when only declared without a type) and its
     * link-time address from a DW_OP_addr location (-1 when no DIE gives one).
     */
    public record Variable(long type, long address) {}

    /** Per name, the chosen type DIE; per variable name, its type and address. */
    record Names(Map<String, Long> types, Map<String, Variable> variables) {}

    /** The types and variables of a vmlinux. */
    public record Index(Types types, Map<String, Variable> variables) {}

    /** The index of {@code elf}'s DWARF, from the on-disk cache or freshly built and saved. */
    public static Index of(ElfFile elf, Dwarf dwarf) {
        Names n = cached(elf, dwarf);
        var lists = new HashMap<String, List<Long>>(n.types().size() * 2);
        n.types().forEach((k, v) -> lists.put(k, List.of(v)));
        return new Index(Types.of(dwarf, lists, Map.of()), n.variables());
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

    /**
     * Scans every unit in parallel; only named types (any depth) and unit-level variables are
     * decoded. A variable defined apart from its declaration (DW_AT_specification, no name of its
     * own, GCC's way for an extern defined in a .c file) takes the declaration's name.
     */
    static Names build(Dwarf dwarf) {
        // Candidates merge into shared maps as the units are read (holding every unit's copies
        // until the end took 900 MB). Each merge keeps a minimum, so the result does not depend
        // on the order threads finish in: the first complete definition in .debug_info order.
        var types = new ConcurrentHashMap<String, Long>();
        var vars = new ConcurrentHashMap<String, Candidate>();
        dwarf.units().parallelStream().forEach(u -> Types.scanNames(dwarf, u, new Types.NameVisitor() {
            @Override
            public void type(String keyword, Die d) {
                if (Types.isString(d.get(DwAt.NAME))) {
                    long rank = d.get(DwAt.DECLARATION) == null ? 0 : INCOMPLETE;
                    types.merge(keyword + dwarf.string(u, d.get(DwAt.NAME)), rank | d.offset(), Math::min);
                }
            }

            @Override
            public void variable(Die d) {
                AttrValue name = d.get(DwAt.NAME);
                long addr = Types.staticAddress(dwarf, d);
                long type = Types.typeRef(d);
                String key = null;
                if (!Types.isString(name) && addr != -1 && d.get(DwAt.SPECIFICATION) instanceof AttrValue.Reference spec) {
                    Die decl = dwarf.die(spec.offset());
                    type = type == -1 ? Types.typeRef(decl) : type;
                    key = Types.isString(decl.get(DwAt.NAME)) ? dwarf.string(decl.unit(), decl.get(DwAt.NAME)) : null;
                } else if (Types.isString(name)) {
                    key = dwarf.string(u, name);
                }
                if (key != null) {
                    vars.merge(key, Candidate.of(d.offset(), type, addr), Candidate::min);
                }
            }
        }));
        var outTypes = new HashMap<String, Long>(types.size() * 2);
        types.forEach((k, v) -> outTypes.put(k, v & ~INCOMPLETE));
        var outVars = new HashMap<String, Variable>(vars.size() * 2);
        vars.forEach((k, v) -> outVars.put(k, new Variable(v.type(), v.address())));
        return new Names(outTypes, outVars);
    }

    /** Ranks a declaration after every definition in a minimum over DIE offsets (offsets are below 2^62). */
    private static final long INCOMPLETE = 1L << 62;

    /**
     * What the DIEs of one variable say, each part with its rank: the address from the first
     * definition (DW_OP_addr), the type from the first definition that has one (it may be complete
     * where the declaration's is not: "node_data[MAX_NUMNODES]" vs "node_data[]"), else from the
     * first declaration.
     */
    private record Candidate(long typeRank, long type, long addressRank, long address) {
        static Candidate of(long die, long type, long address) {
            long typeRank = type == -1 ? Long.MAX_VALUE : (address != -1 ? 0 : INCOMPLETE) | die;
            return new Candidate(typeRank, type, address == -1 ? Long.MAX_VALUE : die, address);
        }

        static Candidate min(Candidate a, Candidate b) {
            Candidate t = a.typeRank() <= b.typeRank() ? a : b;
            Candidate ad = a.addressRank() <= b.addressRank() ? a : b;
            return new Candidate(t.typeRank(), t.type(), ad.addressRank(), ad.address());
        }
    }



    private static Names load(Path file, long infoSize) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return null; // no cache yet, or unreadable: rebuild
        }
        // One buffer parsed by hand: a DataInputStream per entry costs more than the disk.
        var in = java.nio.ByteBuffer.wrap(bytes);
        try {
            if (in.getInt() != MAGIC || in.getLong() != infoSize) {
                return null;
            }
            int nt = in.getInt();
            if (nt < 0 || nt > bytes.length) {
                return null;
            }
            var types = new HashMap<String, Long>(nt * 2);
            for (int i = 0; i < nt; i++) {
                types.put(string(in, bytes), in.getLong());
            }
            int nv = in.getInt();
            if (nv < 0 || nv > bytes.length) {
                return null;
            }
            var vars = new HashMap<String, Variable>(nv * 2);
            for (int i = 0; i < nv; i++) {
                vars.put(string(in, bytes), new Variable(in.getLong(), in.getLong()));
            }
            return in.hasRemaining() ? null : new Names(types, vars);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            return null; // truncated or foreign file: rebuild
        }
    }

    private static String string(java.nio.ByteBuffer in, byte[] bytes) {
        int n = Short.toUnsignedInt(in.getShort());
        String s = new String(bytes, in.position(), n, java.nio.charset.StandardCharsets.ISO_8859_1);
        in.position(in.position() + n);
        return s;
    }

    private static void save(Names n, Path file, long infoSize) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "names", ".tmp");
            try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeLong(infoSize);
                out.writeInt(n.types().size());
                for (var e : n.types().entrySet()) {
                    writeString(out, e.getKey());
                    out.writeLong(e.getValue());
                }
                out.writeInt(n.variables().size());
                for (var e : n.variables().entrySet()) {
                    writeString(out, e.getKey());
                    out.writeLong(e.getValue().type());
                    out.writeLong(e.getValue().address());
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // A read-only or full cache directory only costs speed next time.
        }
    }

    /** C identifiers are ASCII: one byte per char, length-prefixed. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        out.writeShort(b.length);
        out.write(b);
    }
}
