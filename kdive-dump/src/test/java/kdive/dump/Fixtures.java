package kdive.dump;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real dumps of scripts/make-vmcores.sh: ${KDIVE_CACHE:-~/.cache/kdive}/vmcores/<release>/
 * (or KDIVE_VMCORES=<that directory>). Absent fixtures skip the test with the command that makes
 * them, or fail it when KDIVE_REQUIRE_FIXTURES=1 (CI).
 */
final class Fixtures {
    /** sysrq and skb crash a 4-level guest; la57 is sysrq on a CPU with 5-level paging. */
    static final List<String> SCENARIOS = List.of("sysrq", "skb", "la57");
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

    /** The vmcores directory of the newest complete fixture set (or KDIVE_VMCORES). */
    static Path dir() {
        String explicit = System.getenv("KDIVE_VMCORES");
        if (explicit == null) {
            return kdive.testkit.Fixtures.vmcores();
        }
        Path dir = Path.of(explicit);
        kdive.testkit.Fixtures.require(Files.exists(dir.resolve(".complete")),
                "no vmcore fixtures at " + dir + ": run scripts/make-vmcores.sh (root, Debian, ~2 min)");
        return dir;
    }

    static Path file(String scenario, String name) {
        if (System.getenv("KDIVE_VMCORES") == null) {
            return kdive.testkit.Fixtures.scenario(scenario).resolve(name);
        }
        return dir().resolve(scenario).resolve(name);
    }

    /** The lines of a "=== kdive-truth: NAME ===" section of the scenario's console log. */
    static List<String> truth(String scenario, String section) {
        return kdive.testkit.Fixtures.truth(file(scenario, "console.log"), section);
    }
}
