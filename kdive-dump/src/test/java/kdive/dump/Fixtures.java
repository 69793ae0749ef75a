package kdive.dump;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real dumps of scripts/make-vmcores.sh: ${KDIVE_CACHE:-~/.cache/kdive}/vmcores/<release>/
 * (or KDIVE_VMCORES=<that directory>). Absent fixtures skip the test with the command that makes
 * them, or fail it when KDIVE_REQUIRE_FIXTURES=1 (CI).
 */
final class Fixtures {
    static final List<String> SCENARIOS = List.of("sysrq", "skb");
    /** Every dump file of a scenario, and its expected format. */
    static final Map<String, DumpFormat> FILES = files();

    private Fixtures() {}

    private static Map<String, DumpFormat> files() {
        var m = new LinkedHashMap<String, DumpFormat>();
        m.put("kdump-zlib", DumpFormat.KDUMP);
        m.put("kdump-lzo", DumpFormat.KDUMP);
        m.put("kdump-raw", DumpFormat.KDUMP);
        m.put("kdump-elf", DumpFormat.ELF);
        m.put("kdump-zlib.flat", DumpFormat.FLATTENED);
        m.put("kdump-elf.flat", DumpFormat.FLATTENED);
        m.put("qemu.elf", DumpFormat.ELF);
        m.put("qemu-kdump-zlib.flat", DumpFormat.FLATTENED);
        return m;
    }

    /** The vmcores directory of the newest complete fixture set. */
    static Path dir() {
        String explicit = System.getenv("KDIVE_VMCORES");
        if (explicit != null) {
            return require(Path.of(explicit));
        }
        String cache = System.getenv("KDIVE_CACHE");
        Path root = (cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "kdive"))
                .resolve("vmcores");
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.list(root)) {
                var found = new ArrayList<>(s.filter(p -> Files.exists(p.resolve(".complete"))).sorted().toList());
                if (!found.isEmpty()) {
                    return found.getLast();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return require(root.resolve("<release>"));
    }

    private static Path require(Path dir) {
        if (Files.exists(dir.resolve(".complete"))) {
            return dir;
        }
        String msg = "no vmcore fixtures at " + dir + ": run scripts/make-vmcores.sh (root, Debian, ~1 min)";
        if ("1".equals(System.getenv("KDIVE_REQUIRE_FIXTURES"))) {
            fail(msg);
        }
        Assumptions.abort(msg);
        throw new AssertionError(msg);
    }

    static Path file(String scenario, String name) {
        return dir().resolve(scenario).resolve(name);
    }

    /** The lines of a "=== kdive-truth: NAME ===" section of the scenario's console log. */
    static List<String> truth(String scenario, String section) {
        try {
            List<String> lines = Files.readAllLines(file(scenario, "console.log"), java.nio.charset.StandardCharsets.ISO_8859_1);
            var out = new ArrayList<String>();
            boolean in = false;
            for (String raw : lines) {
                String line = raw.replace("\r", "");
                if (line.startsWith("=== kdive-truth: ")) {
                    in = line.equals("=== kdive-truth: " + section + " ===");
                } else if (in && !line.startsWith("[")) {
                    out.add(line);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
