package kdive.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kdive.elf.ElfFile;
import kdive.testkit.Fixtures;

/**
 * The real dumps of scripts/make-vmcores.sh and the debug vmlinux of scripts/fetch-kernel.sh,
 * with the truth the guest printed on its console before crashing.
 */
public final class Dumps {
    /** sysrq and skb crash a 4-level guest; la57 is sysrq on a CPU with 5-level paging. */
    public static final List<String> SCENARIOS = List.of("sysrq", "skb", "la57");
    /** Every format of a scenario; qemu.elf (every page, no filtering) first. */
    public static final List<String> FILES = List.of("qemu.elf", "qemu-kdump-zlib.flat", "kdump-zlib", "kdump-lzo",
            "kdump-raw", "kdump-elf", "kdump-zlib.flat", "kdump-elf.flat");

    private Dumps() {}

    public static Path file(String scenario, String name) {
        return Fixtures.scenario(scenario).resolve(name);
    }

    public static Path vmlinux() {
        Path p = Fixtures.kernel().resolve("vmlinux");
        Fixtures.require(Files.exists(p), "no vmlinux at " + p + ": run scripts/fetch-kernel.sh");
        return p;
    }

    public static ElfFile openVmlinux() {
        return ElfFile.open(vmlinux());
    }

    /** The lines of the console's "=== kdive-truth: NAME ===" section. */
    public static List<String> truth(String scenario, String section) {
        return Fixtures.truth(file(scenario, "console.log"), section);
    }

    public static List<String> console(String scenario) {
        return lines(file(scenario, "console.log"));
    }

    public static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
