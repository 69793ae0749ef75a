package kdive.debuginfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import kdive.debuginfo.internal.BuildIds;
import kdive.elf.BuildId;
import kdive.elf.ElfFile;
import kdive.io.FormatException;
import kdive.io.Printable;
import kdive.io.Progress;

/**
 * Finds a dump's debug files the way crash and drgn do: first on disk by the dump's release (each
 * candidate's build-id, or linux_banner for kernels before 5.9, checked against the dump), then by
 * build-id through debuginfod. Every place looked at is kept for the message when nothing fits.
 */
public final class DebugFiles {

    /**
     * Where to look. {@code root} prefixes the system paths ({@code /boot}, {@code /lib/modules}; "/" in
     * real use, a scratch tree in tests); {@code debugDirs} are trees laid out like {@code /usr/lib/debug};
     * {@code plainDirs} hold a {@code vmlinux*} directly (a kdump directory, a --debug-dir).
     */
    public record Locations(Path root, List<Path> debugDirs, List<Path> plainDirs) {
        public Locations {
            debugDirs = List.copyOf(debugDirs);
            plainDirs = List.copyOf(plainDirs);
        }

        /** The system's directories under {@code root}, after {@code plainDirs}. */
        public static Locations under(Path root, List<Path> plainDirs) {
            return new Locations(root, List.of(root.resolve("usr/lib/debug")), plainDirs);
        }
    }

    /** A kdump directory is small; a directory with more entries than this is not searched past them. */
    private static final int MAX_DIR_ENTRIES = 4096;

    private final Locations where;
    private final Optional<Debuginfod> debuginfod;

    public DebugFiles(Locations where, Optional<Debuginfod> debuginfod) {
        this.where = where;
        this.debuginfod = debuginfod;
    }

    /** The system's directories and the debuginfod servers of {@code env} (DEBUGINFOD_URLS...). */
    public static DebugFiles standard(List<Path> plainDirs, Map<String, String> env, Progress progress) {
        return new DebugFiles(Locations.under(Path.of("/"), plainDirs), Debuginfod.fromEnvironment(env, progress));
    }

    public Locations locations() {
        return where;
    }

    public Optional<Debuginfod> debuginfod() {
        return debuginfod;
    }

    private record Candidate(Path path, Found.Source source) {}

    /**
     * The debug vmlinux of the kernel {@code release} (vmcoreinfo OSRELEASE) with {@code buildId}
     * (vmcoreinfo BUILD-ID) when known. Only a vmlinux with DWARF ({@code .debug_info}) is taken.
     */
    public Search vmlinux(String release, Optional<BuildId> buildId) {
        String wanted = "vmlinux for " + Printable.escape(release) + buildId.map(b -> " (build-id " + b + ")").orElse("");
        var looked = new ArrayList<String>();
        for (Candidate c : vmlinuxCandidates(release, buildId, looked)) {
            Optional<String> why = checkVmlinux(c.path(), release, buildId);
            if (why.isEmpty()) {
                return new Search(wanted, Optional.of(new Found(c.path(), c.source())), looked);
            }
            looked.add(c.path() + " (" + why.get() + ")");
        }
        if (buildId.isEmpty()) {
            looked.add("debuginfod (the dump has no BUILD-ID to ask for)");
            return new Search(wanted, Optional.empty(), looked);
        }
        return new Search(wanted, fromDebuginfod(buildId.get(), looked), looked);
    }

    /** A module's (or any file's) separate debug file by its build-id: {@code .build-id/xx/rest.debug}, then debuginfod. */
    public Search debugFile(BuildId buildId) {
        String hex = BuildIds.checked(buildId);
        String wanted = "debug file with build-id " + hex;
        var looked = new ArrayList<String>();
        for (Path dir : where.debugDirs()) {
            Path p = buildIdPath(dir, hex);
            if (!Files.isRegularFile(p)) {
                looked.add(p + " (absent)");
                continue;
            }
            Optional<String> why = BuildIds.mismatch(p, buildId);
            if (why.isEmpty()) {
                return new Search(wanted, Optional.of(new Found(p, new Found.Source.ByBuildIdPath())), looked);
            }
            looked.add(p + " (" + why.get() + ")");
        }
        return new Search(wanted, fromDebuginfod(buildId, looked), looked);
    }

    private Optional<Found> fromDebuginfod(BuildId id, List<String> looked) {
        if (debuginfod.isEmpty()) {
            looked.add("debuginfod (DEBUGINFOD_URLS not set)");
            return Optional.empty();
        }
        return switch (debuginfod.get().fetch(id, Debuginfod.Kind.DEBUGINFO)) {
            case Debuginfod.Result.Hit h -> Optional.of(h.found());
            case Debuginfod.Result.Miss m -> {
                looked.addAll(m.reasons());
                yield Optional.empty();
            }
        };
    }

    /** Existing candidates in order of preference; absent ones go straight to {@code looked}. */
    private List<Candidate> vmlinuxCandidates(String release, Optional<BuildId> buildId, List<String> looked) {
        var paths = new ArrayList<Candidate>();
        var byRelease = new Found.Source.ByRelease();
        boolean usable = usableRelease(release);
        for (Path dir : where.plainDirs()) {
            if (usable) {
                paths.add(new Candidate(dir.resolve("vmlinux-" + release), byRelease));
            }
            paths.add(new Candidate(dir.resolve("vmlinux"), byRelease));
            for (Path other : otherVmlinuxes(dir)) {
                paths.add(new Candidate(other, byRelease));
            }
        }
        for (Path dir : where.debugDirs()) {
            if (usable) {
                paths.add(new Candidate(dir.resolve("boot/vmlinux-" + release), byRelease));
                paths.add(new Candidate(dir.resolve("lib/modules/" + release + "/vmlinux"), byRelease));
                paths.add(new Candidate(dir.resolve("vmlinux-" + release), byRelease)); // Debian's -dbg has this link too
            }
            if (buildId.isPresent()) {
                paths.add(new Candidate(buildIdPath(dir, BuildIds.checked(buildId.get())), new Found.Source.ByBuildIdPath()));
            }
        }
        if (usable) {
            Path root = where.root();
            paths.add(new Candidate(root.resolve("boot/vmlinux-" + release), byRelease));
            paths.add(new Candidate(root.resolve("lib/modules/" + release + "/build/vmlinux"), byRelease));
            paths.add(new Candidate(root.resolve("lib/modules/" + release + "/vmlinux"), byRelease));
        } else {
            looked.add("paths named after the release (" + Printable.quote(release) + " is not a file name)");
        }
        var present = new ArrayList<Candidate>();
        for (Candidate c : paths) {
            if (present.stream().anyMatch(p -> p.path().equals(c.path()))) {
                continue;
            }
            if (Files.isRegularFile(c.path())) {
                present.add(c);
            } else {
                looked.add(c.path() + " (absent)");
            }
        }
        return present;
    }

    /**
     * Whether OSRELEASE, which comes from the dump, can name a file: utsname's release is at most 64
     * printable characters. It must not walk out of the directories it is joined to ("/", ".."),
     * and a NUL or other control byte would make {@link Path#resolve} throw InvalidPathException.
     */
    static boolean usableRelease(String release) {
        return !release.isEmpty() && release.length() <= 64 && !release.equals("..") && !release.equals(".")
                && release.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/');
    }

    /** {@code vmlinux*} files in {@code dir} other than vmlinux and vmlinux-RELEASE, sorted by name. */
    private static List<Path> otherVmlinuxes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.limit(MAX_DIR_ENTRIES)
                    .filter(p -> p.getFileName().toString().startsWith("vmlinux"))
                    .filter(p -> !p.getFileName().toString().equals("vmlinux"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Empty when {@code path} is the kernel wanted and has DWARF, else why not. */
    private static Optional<String> checkVmlinux(Path path, String release, Optional<BuildId> buildId) {
        try (ElfFile elf = ElfFile.open(path)) {
            Optional<String> why = BuildIds.vmlinuxMismatch(elf, release, buildId);
            if (why.isPresent()) {
                return why;
            }
            return elf.findSection(".debug_info").isPresent() ? Optional.empty() : Optional.of("no .debug_info");
        } catch (FormatException e) {
            return Optional.of("not an ELF file");
        } catch (UncheckedIOException e) {
            return Optional.of("cannot read: " + e.getCause().getMessage());
        }
    }

    /** The GDB/elfutils convention: {@code <debugdir>/.build-id/<first 2 hex digits>/<the rest>.debug}. */
    static Path buildIdPath(Path debugDir, String hex) {
        return debugDir.resolve(".build-id").resolve(hex.substring(0, 2)).resolve(hex.substring(2) + ".debug");
    }
}
