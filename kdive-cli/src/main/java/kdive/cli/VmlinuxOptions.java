package kdive.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that say where a dump's vmlinux is, shared by the commands that read the kernel's data. */
final class VmlinuxOptions {

    @Option(names = "--vmlinux", paramLabel = "FILE",
            description = "The dump's debug vmlinux. Default: the one found by the dump's release and build-id beside "
                    + "the dump, in /usr/lib/debug, /boot, /lib/modules, or from the debuginfod servers of DEBUGINFOD_URLS.")
    String vmlinux;

    @Option(names = "--debug-dir", paramLabel = "DIR",
            description = "Also look for the vmlinux here: a vmlinux* file in DIR, or DIR laid out like /usr/lib/debug (repeatable).")
    List<Path> debugDirs = new ArrayList<>();
}
