package kdive.kernel.internal;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kdive.dwarf.Dwarf;
import kdive.dwarf.NameScanner;
import kdive.dwarf.Types;
import kdive.elf.ElfFile;

/**
 * The names a kernel program looks up: one DIE per C type name ("struct task_struct", typedefs,
 * base types) and per global variable, the first complete definition winning over declarations.
 * A kernel has one layout per type name, so one DIE is enough, where {@link Types#index} keeps
 * every copy of every unit. Building it reads the whole .debug_info once; the result is also kept
 * on disk keyed by build-id, as kdive-symbolize's unit index is: a later open reads some 2 MB.
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

    /** One pass over .debug_info (kdive-dwarf's {@link NameScanner}: compiled abbreviations, names kept as offsets). */
    static Names build(Dwarf dwarf) {
        NameScanner.Names n = NameScanner.scan(dwarf);
        var vars = new HashMap<String, Variable>(n.variables().size() * 2);
        n.variables().forEach((k, v) -> vars.put(k, new Variable(v.type(), v.address())));
        return new Names(n.types(), vars);
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
