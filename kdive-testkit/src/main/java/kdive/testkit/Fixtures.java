package kdive.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The newest complete {@code <kind>/<release>/} directory in the cache, if any. */
    public static Optional<Path> latest(String kind) {
        Path dir = cache().resolve(kind);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.exists(p.resolve(".complete"))).max(Path::compareTo);
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
                + ": run scripts/make-vmcores.sh (root, Debian, ~2 min)"));
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
