package kdive.debuginfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kdive.debuginfo.internal.BuildIds;
import kdive.elf.BuildId;
import kdive.elf.ElfFile;
import kdive.io.MissingDebugInfoException;
import kdive.testkit.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding the vmlinux by release in a scratch file-system root whose paths are links to the real
 * fixture vmlinux and a real module (another build-id, a wrong candidate).
 */
@Tag("vmcore")
class DebugFilesTest {

    @TempDir
    Path root;

    static String release;
    static Path vmlinux;
    static Path module;
    static BuildId id;
    static BuildId moduleId;
    static Path debugTree;

    @BeforeAll
    static void fixtures() {
        Path kernel = Fixtures.kernel();
        release = kernel.getFileName().toString();
        vmlinux = kernel.resolve("vmlinux");
        debugTree = kernel.resolve("debug/usr/lib/debug");
        module = debugTree.resolve("lib/modules/" + release + "/kernel/lib/libcrc32c.ko");
        try (ElfFile v = ElfFile.open(vmlinux); ElfFile m = ElfFile.open(module)) {
            id = v.buildId().orElseThrow();
            moduleId = m.buildId().orElseThrow();
        }
    }

    /** One case: links to make under the root ({@code "vmlinux"} or {@code "module"}), what the dump says, what is found. */
    private record Case(String name, Map<String, String> links, String release, boolean withBuildId,
            String found, Class<? extends Found.Source> source, List<String> lookedContains) {}

    private List<Case> cases() {
        String r = release;
        return List.of(
                new Case("Debian's -dbg package installed", Map.of("usr/lib/debug/boot/vmlinux-" + r, "vmlinux"), r, true,
                        "usr/lib/debug/boot/vmlinux-" + r, Found.Source.ByRelease.class, List.of()),
                new Case("a wrong file is skipped with its build-id",
                        Map.of("usr/lib/debug/boot/vmlinux-" + r, "module", "lib/modules/" + r + "/build/vmlinux", "vmlinux"),
                        r, true, "lib/modules/" + r + "/build/vmlinux", Found.Source.ByRelease.class,
                        List.of("usr/lib/debug/boot/vmlinux-" + r + " (build-id " + moduleId + ", not " + id + ")")),
                new Case("by build-id path", Map.of("usr/lib/debug/.build-id/" + id.hex().substring(0, 2) + "/"
                        + id.hex().substring(2) + ".debug", "vmlinux"), r, true,
                        "usr/lib/debug/.build-id/" + id.hex().substring(0, 2) + "/" + id.hex().substring(2) + ".debug",
                        Found.Source.ByBuildIdPath.class, List.of("usr/lib/debug/boot/vmlinux-" + r + " (absent)")),
                new Case("a dump before 5.9 has no BUILD-ID: linux_banner decides", Map.of("boot/vmlinux-" + r, "vmlinux"),
                        r, false, "boot/vmlinux-" + r, Found.Source.ByRelease.class, List.of()),
                new Case("linux_banner names another release", Map.of("boot/vmlinux-6.1.0-99-cloud-amd64", "vmlinux"),
                        "6.1.0-99-cloud-amd64", false, null, null,
                        List.of("boot/vmlinux-6.1.0-99-cloud-amd64 (linux_banner release " + r + ", not 6.1.0-99-cloud-amd64)",
                                "debuginfod (the dump has no BUILD-ID to ask for)")),
                new Case("nothing anywhere", Map.of(), r, true, null, null,
                        List.of("usr/lib/debug/boot/vmlinux-" + r + " (absent)", "lib/modules/" + r + "/build/vmlinux (absent)",
                                "debuginfod (DEBUGINFOD_URLS not set)")),
                new Case("a release that is not a file name is not joined to paths", Map.of(), "../../etc", true, null, null,
                        List.of("paths named after the release (\"../../etc\" is not a file name)")));
    }

    /** The links point into the fixture cache: remove them first, so JUnit's cleanup has nothing to warn about. */
    @AfterEach
    void unlink() throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.filter(Files::isSymbolicLink).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void byRelease() throws IOException {
        for (Case c : cases()) {
            Path caseRoot = Files.createDirectories(root.resolve(c.name().replaceAll("[^a-zA-Z0-9]+", "-")));
            for (var link : c.links().entrySet()) {
                Path at = caseRoot.resolve(link.getKey());
                Files.createDirectories(at.getParent());
                Files.createSymbolicLink(at, link.getValue().equals("vmlinux") ? vmlinux : module);
            }
            var files = new DebugFiles(DebugFiles.Locations.under(caseRoot, List.of()), Optional.empty());
            Search s = files.vmlinux(c.release(), c.withBuildId() ? Optional.of(id) : Optional.empty());
            assertThat(s.found().map(Found::path)).as(c.name())
                    .isEqualTo(Optional.ofNullable(c.found()).map(caseRoot::resolve));
            if (c.source() != null) {
                assertThat(s.found().orElseThrow().source()).as(c.name()).isInstanceOf(c.source());
            } else {
                assertThat(catchThrowable(s::orElseThrow)).as(c.name()).isInstanceOf(MissingDebugInfoException.class)
                        .hasMessageStartingWith("no vmlinux for " + c.release()).hasMessageNotContaining("\n");
            }
            for (String part : c.lookedContains()) {
                String want = part.startsWith("debuginfod") || part.startsWith("paths") ? part : caseRoot.resolve(part).toString();
                assertThat(s.looked()).as(c.name()).anyMatch(l -> l.startsWith(want));
            }
        }
    }

    @Test
    void theUnpackedDbgPackageAndAKdumpDirectory() throws IOException {
        var inDbg = new DebugFiles(new DebugFiles.Locations(root, List.of(debugTree), List.of()), Optional.empty());
        assertThat(inDbg.vmlinux(release, Optional.of(id)).orElseThrow().path())
                .isEqualTo(debugTree.resolve("boot/vmlinux-" + release));

        Path kdumpDir = Files.createDirectories(root.resolve("var/crash/host-202611251500"));
        Files.createSymbolicLink(kdumpDir.resolve("vmlinux-" + release + ".debug"), vmlinux);
        var beside = new DebugFiles(new DebugFiles.Locations(root, List.of(), List.of(kdumpDir)), Optional.empty());
        Found f = beside.vmlinux(release, Optional.of(id)).orElseThrow();
        assertThat(f.describe("vmlinux")).isEqualTo("vmlinux: " + kdumpDir.resolve("vmlinux-" + release + ".debug")
                + " (found by release)");
    }

    @Test
    void moduleByBuildIdPathInTheDbgPackage() throws IOException {
        // Debian's -dbg ships .build-id links only for the vDSOs; the link target is the real file.
        // The build-id is read from the file the link names (its note), never taken from one package's
        // link name: each kernel upload has its own.
        Path link;
        try (var links = Files.find(debugTree.resolve(".build-id"), 2,
                (p, a) -> p.getFileName().toString().endsWith(".debug"))) {
            link = links.sorted().findFirst().orElseThrow(() -> new AssertionError("no .build-id link in " + debugTree));
        }
        BuildId vdso;
        try (ElfFile target = ElfFile.open(link.toRealPath())) {
            vdso = target.buildId().orElseThrow();
        }
        String hex = vdso.hex();
        assertThat(link).isEqualTo(debugTree.resolve(".build-id/" + hex.substring(0, 2) + "/" + hex.substring(2) + ".debug"));
        var files = new DebugFiles(new DebugFiles.Locations(root, List.of(debugTree), List.of()), Optional.empty());
        Found f = files.debugFile(vdso).orElseThrow();
        assertThat(f.path()).isEqualTo(link);
        assertThat(BuildIds.mismatch(f.path(), vdso)).isEmpty();
        assertThat(files.debugFile(moduleId).found()).isEmpty();
    }

    @Test
    void bannerOfTheRealVmlinux() {
        try (ElfFile v = ElfFile.open(vmlinux)) {
            assertThat(BuildIds.bannerRelease(v)).contains(release);
        }
        try (ElfFile m = ElfFile.open(module)) {
            assertThat(BuildIds.bannerRelease(m)).isEmpty();
        }
    }
}
