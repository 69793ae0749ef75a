package kdive.debuginfo.internal;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import kdive.elf.BuildId;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.elf.Symbol;
import kdive.io.FormatException;
import kdive.io.UsageException;

/** Checks that a candidate file is the one wanted: its build-id, or for an old kernel its linux_banner. */
public final class BuildIds {

    /** linux_banner is "Linux version <release> (<builder>) ..."; 512 bytes is far more than any banner. */
    private static final int BANNER_MAX = 512;
    private static final String BANNER_PREFIX = "Linux version ";

    private BuildIds() {}

    /**
     * The hex of {@code id}, refused unless it is an even number of lowercase hex digits: it becomes a
     * URL path and a directory name, so "../" or "/" must never get through.
     */
    public static String checked(BuildId id) {
        String hex = id.hex();
        if (hex.length() < 2 || hex.length() > 128 || hex.length() % 2 != 0 || !hex.matches("[0-9a-f]+")) {
            throw new UsageException(hex + ": not a build-id (an even number of lowercase hex digits)");
        }
        return hex;
    }

    /** Empty when {@code file} is an ELF file with build-id {@code want}, else why not (one line). */
    public static Optional<String> mismatch(Path file, BuildId want) {
        try (ElfFile elf = ElfFile.open(file)) {
            Optional<BuildId> have = elf.buildId();
            if (have.isEmpty()) {
                return Optional.of("no build-id note");
            }
            return have.get().equals(want) ? Optional.empty() : Optional.of("build-id " + have.get() + ", not " + want);
        } catch (FormatException e) {
            return Optional.of("not an ELF file (" + e.getMessage() + ")");
        } catch (UncheckedIOException e) {
            return Optional.of("cannot read: " + e.getCause().getMessage());
        }
    }

    /**
     * Empty when the vmlinux {@code elf} is the kernel of {@code release} with build-id {@code want}
     * (when the dump gives one, vmcoreinfo BUILD-ID since Linux 5.9), else why not. Without a
     * build-id on either side, the release in the vmlinux's linux_banner must equal the dump's.
     */
    public static Optional<String> vmlinuxMismatch(ElfFile elf, String release, Optional<BuildId> want) {
        Optional<BuildId> have = elf.buildId();
        if (want.isPresent() && have.isPresent()) {
            return have.get().equals(want.get()) ? Optional.empty()
                    : Optional.of("build-id " + have.get() + ", not " + want.get());
        }
        Optional<String> banner = bannerRelease(elf);
        if (banner.isEmpty()) {
            return Optional.of("no build-id to compare and no linux_banner");
        }
        return banner.get().equals(release) ? Optional.empty()
                : Optional.of("linux_banner release " + banner.get() + ", not " + release);
    }

    /** The release in {@code linux_banner}, read from the section holding the symbol. */
    public static Optional<String> bannerRelease(ElfFile elf) {
        Optional<Symbol> sym = elf.symbols().findByName("linux_banner");
        if (sym.isEmpty()) {
            return Optional.empty();
        }
        Optional<Section> sec = elf.sectionContaining(sym.get().value());
        if (sec.isEmpty() || sec.get().type() == Section.SHT_NOBITS) {
            return Optional.empty();
        }
        long at = sym.get().value() - sec.get().addr();
        var data = elf.contents(sec.get());
        long end = Math.min(data.byteSize(), at + BANNER_MAX);
        var text = new StringBuilder();
        for (long i = at; i < end; i++) {
            byte b = data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i);
            if (b == 0) {
                break;
            }
            text.append((char) (b & 0xff));
        }
        String s = new String(text.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        if (!s.startsWith(BANNER_PREFIX)) {
            return Optional.empty();
        }
        String rest = s.substring(BANNER_PREFIX.length());
        int space = rest.indexOf(' ');
        return Optional.of(space < 0 ? rest.strip() : rest.substring(0, space));
    }
}
