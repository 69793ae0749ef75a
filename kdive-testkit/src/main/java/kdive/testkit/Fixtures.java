package kdive.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's fixtures, made by its own scripts into {@code ${KDIVE_CACHE:-~/.cache/kdive}}:
 * {@code kernel/<release>/} (scripts/fetch-kernel.sh) and {@code vmcores/<release>/}
 * (scripts/make-vmcores.sh), each marked complete by a {@code .complete} file. A test whose
 * fixture is absent is skipped with the command that makes it, or fails when
 * {@code KDIVE_REQUIRE_FIXTURES=1} (CI, where the scripts ran first).
 */
public final class Fixtures {

    /** Marks a release directory made from another Debian release ({@code KDIVE_DEBIAN}). */
    public static final String OTHER_SUITE = "debian-suite";

    private Fixtures() {}

    public static Path cache() {
        String env = System.getenv("KDIVE_CACHE");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "kdive");
    }

    /** The repository root (system property {@code kdive.root}, set by the build). */
    public static Path root() {
        return Path.of(System.getProperty("kdive.root", "."));
    }

    /** The read-only {@code shared/} data beside the repository (system property {@code kdive.shared}). */
    public static Path shared() {
        return Path.of(System.getProperty("kdive.shared", "../shared"));
    }

    /**
     * The complete {@code <kind>/<release>/} directory of the kernel under test, if any: the
     * newest release made from this machine's own apt sources or, when {@code KDIVE_SUITE} names
     * another Debian release ({@code bullseye}, {@code trixie}: the build runs the
     * {@code every-kernel} tests once more for each), the newest made from that suite (its
     * directories carry a {@code debian-suite} file, see scripts/fetch-kernel.sh).
     */
    public static Optional<Path> latest(String kind) {
        String suite = suite();
        return releases(kind).stream().filter(p -> suite.equals(suiteOf(p))).max(Path::compareTo);
    }

    /** {@code KDIVE_SUITE}, or "" for this machine's own sources. */
    public static String suite() {
        String s = System.getenv("KDIVE_SUITE");
        return s == null ? "" : s.strip();
    }

    /** The Debian suite a fixture directory was made from ("" for this machine's own sources). */
    private static String suiteOf(Path dir) {
        Path f = dir.resolve(OTHER_SUITE);
        if (!Files.exists(f)) {
            return "";
        }
        try {
            String[] words = Files.readString(f).strip().split("\\s+"); // "ARCHIVE SUITE"
            return words[words.length - 1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every complete {@code <kind>/<release>/} directory in the cache, in name order. */
    public static List<Path> releases(String kind) {
        Path dir = cache().resolve(kind);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.exists(p.resolve(".complete"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The debug kernel's directory (vmlinux, vmlinuz, debug/, headers/); skips or fails when absent. */
    public static Path kernel() {
        return latest("kernel").orElseGet(() -> missing("no kernel at " + cache().resolve("kernel")
                + ": run scripts/fetch-kernel.sh"));
    }

    /** The crash dumps' directory ({@code <scenario>/<file>}); skips or fails when absent. */
    public static Path vmcores() {
        return latest("vmcores").orElseGet(() -> missing("no vmcore fixtures at " + cache().resolve("vmcores")
                + (suite().isEmpty() ? "" : " from Debian " + suite())
                + ": run " + (suite().isEmpty() ? "" : "KDIVE_DEBIAN=\"http://deb.debian.org/debian " + suite() + "\" ")
                + "scripts/make-vmcores.sh (root, Debian, ~2 min; scripts/ci/31-other-kernels.sh for the others)"));
    }

    /**
     * A scenario's directory of {@link #vmcores()}. A fixture set made without it on purpose (its
     * {@code scenarios} file does not list it: trixie's kernel gets no module, see
     * scripts/make-vmcores.sh) skips the calling test, even under {@code KDIVE_REQUIRE_FIXTURES=1}.
     */
    public static Path scenario(String name) {
        Path dir = vmcores();
        Path listed = dir.resolve("scenarios");
        try {
            if (Files.exists(listed) && !List.of(Files.readString(listed).strip().split("\\s+")).contains(name)) {
                Assumptions.abort(dir.getFileName() + " has no " + name + " scenario (made without it: " + listed + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.resolve(name);
    }

    /**
     * The lines of a "=== kdive-truth: NAME ===" section of a fixture's console log
     * (scripts/crashlab/init.sh prints them before the crash), without the kernel's own lines
     * ("[   1.234567] ...") that the console interleaves.
     */
    public static List<String> truth(Path console, String section) {
        try {
            var out = new java.util.ArrayList<String>();
            boolean in = false;
            for (String raw : Files.readAllLines(console, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                String line = raw.replace("\r", "");
                if (line.startsWith("=== kdive-truth: ")) {
                    in = line.equals("=== kdive-truth: " + section + " ===");
                } else if (in && !line.matches("\\[ *\\d+\\.\\d+\\] .*")) {
                    out.add(line);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lines crash printed on a fixture dump (make-vmcores.sh's {@code crash-*.txt}). crash
     * 8.0.2 cannot open every kernel (on 6.12 it says the vmlinux and the dump "do not match!",
     * prints its usage and exits, or exits without a word): then the calling test has no reference
     * and is skipped, even under {@code KDIVE_REQUIRE_FIXTURES=1}.
     */
    public static List<String> crashOutput(Path file) {
        return crashOutputIfAny(file).orElseGet(() -> {
            Assumptions.abort("crash could not read " + file.getParent() + " (see " + file + ")");
            return List.of();
        });
    }

    /** {@link #crashOutput}, empty where crash could not read the dump (for tests with other truth too). */
    public static Optional<List<String>> crashOutputIfAny(Path file) {
        require(Files.exists(file), "no crash reference output at " + file + ": run scripts/make-vmcores.sh");
        try {
            List<String> lines = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
            boolean refused = lines.stream().allMatch(String::isBlank) || lines.contains("Usage:");
            return refused ? Optional.empty() : Optional.of(lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips the calling test, or fails it under {@code KDIVE_REQUIRE_FIXTURES=1}, unless {@code present}. */
    public static void require(boolean present, String what) {
        if (!present) {
            missing(what);
        }
    }

    private static <T> T missing(String message) {
        if ("1".equals(System.getenv("KDIVE_REQUIRE_FIXTURES"))) {
            Assertions.fail(message + " (KDIVE_REQUIRE_FIXTURES=1)");
        }
        Assumptions.abort(message);
        throw new AssertionError(message); // abort always throws
    }
}
