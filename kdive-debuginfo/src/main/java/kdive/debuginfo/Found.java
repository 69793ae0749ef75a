package kdive.debuginfo;

import java.net.URI;
import java.nio.file.Path;

/** A debug file and how it was found, for the one-line notice a command prints on stderr. */
public record Found(Path path, Source source) {

    /** How a file was found: a closed set, so a caller can switch over it. */
    public sealed interface Source {
        /** At a path named after the dump's release (OSRELEASE), its build-id or banner checked. */
        record ByRelease() implements Source {}

        /** Under a debug directory's {@code .build-id/xx/rest.debug}. */
        record ByBuildIdPath() implements Source {}

        /** Downloaded from a debuginfod server now. */
        record Debuginfod(URI server) implements Source {}

        /** Already in the debuginfod client cache (ours or elfutils': same layout). */
        record DebuginfodCache(Path cache) implements Source {}
    }

    /** "vmlinux: /usr/lib/debug/boot/vmlinux-6.1.0-56-cloud-amd64 (found by release)". */
    public String describe(String what) {
        String how = switch (source) {
            case Source.ByRelease r -> "found by release";
            case Source.ByBuildIdPath b -> "found by build-id";
            case Source.Debuginfod d -> "found by build-id via debuginfod " + d.server();
            case Source.DebuginfodCache c -> "found by build-id in the debuginfod cache " + c.cache();
        };
        return what + ": " + path + " (" + how + ")";
    }
}
