package kdive.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kdive.debuginfo.DebugFiles;
import kdive.debuginfo.Debuginfod;
import kdive.debuginfo.Found;
import kdive.debuginfo.Search;
import kdive.dump.DumpFile;
import kdive.dump.VmcoreInfo;
import kdive.io.UsageException;

/** Shared argument handling of the dump commands (info, rd, vtop): opening a dump, parsing addresses. */
final class DumpArgs {
    private DumpArgs() {}

    static DumpFile open(String path) {
        Path p = Path.of(path);
        if (Files.isDirectory(p)) {
            p = inDirectory(p);
        }
        kdive.io.InputFiles.require(p, "dump file");
        if (!Files.isReadable(p)) {
            throw new UsageException(path + ": permission denied");
        }
        return DumpFile.open(p);
    }

    /**
     * The dump's vmlinux: {@code given} (--vmlinux) when set, else the one {@link #findVmlinux} finds;
     * a missing one is a {@link kdive.io.MissingDebugInfoException} led by {@code need} (why the command
     * needs it) and naming every place looked at.
     */
    static Path requireVmlinux(DumpFile dump, String given, List<Path> debugDirs, String need, PrintWriter err) {
        return given != null ? Path.of(given)
                : findVmlinux(dump, debugDirs, System.getenv(), err).orElseThrow(need).path();
    }

    /** Like {@link #requireVmlinux}, but empty when none is found. */
    static Optional<Path> vmlinux(DumpFile dump, String given, List<Path> debugDirs, PrintWriter err) {
        return given != null ? Optional.of(Path.of(given))
                : findVmlinux(dump, debugDirs, System.getenv(), err).found().map(Found::path);
    }

    /**
     * Looks for the dump's debug vmlinux by its vmcoreinfo OSRELEASE and BUILD-ID as crash and drgn do:
     * in {@code debugDirs} (--debug-dir: a vmlinux* in it, or a tree like /usr/lib/debug), beside the dump
     * (a kdump directory), /usr/lib/debug, /boot, /lib/modules, then the debuginfod servers of
     * DEBUGINFOD_URLS in {@code env}. A found file is announced on stderr in one line
     * ("vmlinux: PATH (found by ...)"), so the user knows which file answers.
     */
    static Search findVmlinux(DumpFile dump, List<Path> debugDirs, Map<String, String> env, PrintWriter err) {
        Path dir = Path.of(dump.name()).toAbsolutePath().getParent();
        var plain = new ArrayList<Path>(debugDirs);
        if (dir != null) {
            plain.add(dir);
        }
        var trees = new ArrayList<Path>(debugDirs);
        trees.add(Path.of("/usr/lib/debug"));
        var files = new DebugFiles(new DebugFiles.Locations(Path.of("/"), trees, plain),
                Debuginfod.fromEnvironment(env, TerminalProgress.forStderr()));
        Search s = dump.vmcoreInfo()
                .map(vi -> files.vmlinux(vi.osRelease(), vi.buildId().map(kdive.elf.BuildId::new)))
                .orElseGet(() -> new Search("vmlinux", Optional.empty(),
                        List.of("nowhere: the dump has no vmcoreinfo (no OSRELEASE, no BUILD-ID); give --vmlinux")));
        s.found().ifPresent(f -> err.println(f.describe("vmlinux")));
        return s;
    }

    /**
     * The dump in a kdump directory (/var/crash/<host>-<date>/ or /var/crash/<date>/): "vmcore"
     * (kdump-tools, RHEL's kdump), else "dump.*" (Debian), else the first file with a dump's magic.
     */
    private static Path inDirectory(Path dir) {
        try (var files = Files.list(dir)) {
            var dumps = files.filter(Files::isRegularFile).filter(DumpFiles::isCrashDump).sorted().toList();
            return dumps.stream().filter(f -> f.getFileName().toString().equals("vmcore")).findFirst()
                    .or(() -> dumps.stream().filter(f -> f.getFileName().toString().startsWith("dump.")).findFirst())
                    .or(() -> dumps.stream().findFirst())
                    .orElseThrow(() -> new UsageException(dir + ": no crash dump in this directory"));
        } catch (java.io.IOException e) {
            throw new UsageException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    /**
     * A hexadecimal address (crash's convention: "0x" optional), or a symbol the dump's vmcoreinfo
     * names (SYMBOL(init_uts_ns) and the like), optionally "+offset".
     */
    static long address(String text, DumpFile dump) {
        String base = text;
        long plus = 0;
        int at = text.indexOf('+');
        if (at > 0) {
            base = text.substring(0, at);
            plus = number(text.substring(at + 1), text);
        }
        if (base.matches("(0[xX])?[0-9a-fA-F]+")) {
            return number(base, text) + plus;
        }
        VmcoreInfo vi = dump.vmcoreInfo().orElseThrow(() ->
                new UsageException(text + ": not a hexadecimal address, and the dump has no vmcoreinfo symbols"));
        String sym = base;
        return vi.findSymbol(sym).orElseThrow(() ->
                new UsageException(text + ": not a hexadecimal address or a vmcoreinfo SYMBOL()")) + plus;
    }

    static long number(String text, String whole) {
        String t = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        try {
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw new UsageException(whole + ": not a hexadecimal number");
        }
    }

    /** A decimal count as crash takes it ("rd ADDR 16"). */
    static int count(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n <= 0 || n > (1 << 24)) {
                throw new UsageException(text + ": count must be between 1 and 16777216");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(text + ": not a decimal count");
        }
    }

    /** JSON string literal. */
    static String json(String s) {
        var b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u%04x".formatted((int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
