package kdive.disasm.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import kdive.io.UsageException;

/**
 * Downcall handles into {@code libcapstone.so.4}. The library is looked up in the loader's default
 * path first, then at Debian's multiarch path. Only Capstone 4.x is accepted: 5.x changed
 * {@code cs_x86_op} and {@code cs_detail}, so the layouts in {@link CapstoneLayouts} would be wrong.
 *
 * <p>{@code csh} is {@code size_t}; enums are {@code int}; {@code bool} is one byte (System V).
 */
record CapstoneLibrary(
        int major,
        int minor,
        MethodHandle open,
        MethodHandle option,
        MethodHandle malloc,
        MethodHandle disasmIter,
        MethodHandle free,
        MethodHandle regName,
        MethodHandle errno,
        MethodHandle close) {

    static final int CS_ARCH_X86 = 3;
    static final int CS_MODE_64 = 1 << 3;
    static final int CS_OPT_SYNTAX = 1;
    static final int CS_OPT_DETAIL = 2;
    static final long CS_OPT_ON = 3;
    static final long CS_OPT_SYNTAX_INTEL = 1;
    static final long CS_OPT_SYNTAX_ATT = 2;

    private static final List<String> CANDIDATES = List.of(
            "libcapstone.so.4",
            "/usr/lib/x86_64-linux-gnu/libcapstone.so.4",
            "/usr/lib64/libcapstone.so.4",
            "/usr/lib/libcapstone.so.4");

    /**
     * Loads the library into {@code arena} (it is unloaded when the arena closes).
     *
     * @throws UsageException if no Capstone 4 library can be loaded
     */
    static CapstoneLibrary load(Arena arena) {
        SymbolLookup lookup = find(arena).orElseThrow(() -> new UsageException(
                "libcapstone.so.4 not found (install Debian package libcapstone4)"));
        Linker linker = Linker.nativeLinker();
        MethodHandle version = handle(linker, lookup, "cs_version",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        int[] mm = version(version);
        if (mm[0] != 4) {
            throw new UsageException("libcapstone reports version %d.%d; kdive's struct layouts need 4.x"
                    .formatted(mm[0], mm[1]));
        }
        return new CapstoneLibrary(mm[0], mm[1],
                handle(linker, lookup, "cs_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS)),
                handle(linker, lookup, "cs_option", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG)),
                handle(linker, lookup, "cs_malloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG)),
                handle(linker, lookup, "cs_disasm_iter",
                        FunctionDescriptor.of(JAVA_BOOLEAN, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS)),
                handle(linker, lookup, "cs_free", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG)),
                handle(linker, lookup, "cs_reg_name", FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_INT)),
                handle(linker, lookup, "cs_errno", FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
                handle(linker, lookup, "cs_close", FunctionDescriptor.of(JAVA_INT, ADDRESS)));
    }

    private static Optional<SymbolLookup> find(Arena arena) {
        for (String candidate : CANDIDATES) {
            if (candidate.startsWith("/") && !Files.isRegularFile(Path.of(candidate))) {
                continue;
            }
            try {
                return Optional.of(candidate.startsWith("/")
                        ? SymbolLookup.libraryLookup(Path.of(candidate), arena)
                        : SymbolLookup.libraryLookup(candidate, arena));
            } catch (IllegalArgumentException notThere) {
                // dlopen failed for this name; the next candidate may work.
            }
        }
        return Optional.empty();
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor fd) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new UsageException(
                "libcapstone.so.4 has no symbol " + name));
        return linker.downcallHandle(symbol, fd);
    }

    private static int[] version(MethodHandle version) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment major = local.allocate(JAVA_INT);
            MemorySegment minor = local.allocate(JAVA_INT);
            int unused = (int) version.invokeExact(major, minor);
            return new int[] {major.get(JAVA_INT, 0), minor.get(JAVA_INT, 0)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Native calls declare {@code Throwable}; only unchecked errors can actually come out of them. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a native call", t);
    }
}
