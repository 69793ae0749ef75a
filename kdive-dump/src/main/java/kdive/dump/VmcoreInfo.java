package kdive.dump;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import kdive.io.FormatException;
import kdive.io.LookupException;

/**
 * The kernel's VMCOREINFO text ("KEY=VALUE" lines, kernel/crash_core.c and
 * arch/x86/kernel/machine_kexec_64.c arch_crash_save_vmcoreinfo), from an ELF note or a kdump
 * sub-header. Number formats follow the kernel's: SYMBOL %lx, OFFSET/SIZE/LENGTH %lu,
 * NUMBER %ld (so phys_base may be negative), KERNELOFFSET %lx, all without "0x".
 *
 * @param file the dump it came from, for messages
 * @param offset file offset of the text, for messages
 */
public record VmcoreInfo(String file, long offset, String raw, Map<String, String> entries) {

    public VmcoreInfo {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** Parses the text; lines without '=' are ignored (the kernel never writes them), the first value of a key wins. */
    public static VmcoreInfo parse(String file, long offset, String text) {
        var map = new LinkedHashMap<String, String>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                map.putIfAbsent(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return new VmcoreInfo(file, offset, text, map);
    }

    public Optional<String> find(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    public String get(String key) {
        return find(key).orElseThrow(() -> new LookupException("%s: vmcoreinfo has no %s".formatted(file, key)));
    }

    public String osRelease() { return get("OSRELEASE"); }

    public Optional<String> buildId() { return find("BUILD-ID"); }

    public long pageSize() { return dec(get("PAGESIZE"), "PAGESIZE"); }

    /** The KASLR offset of the kernel text (0 when the kernel does not report one, i.e. no KASLR). */
    public long kernelOffset() {
        return find("KERNELOFFSET").map(v -> hex(v, "KERNELOFFSET")).orElse(0L);
    }

    /** NUMBER(phys_base): physical address of __START_KERNEL_map's first byte, modulo 2^64. */
    public OptionalLong physBase() { return findNumber("phys_base"); }

    public boolean pgtableL5Enabled() { return findNumber("pgtable_l5_enabled").orElse(0) != 0; }

    /** SYMBOL(name): the symbol's runtime address (KASLR already applied by the kernel). */
    public long symbol(String name) {
        return findSymbol(name).orElseThrow(() -> new LookupException("%s: vmcoreinfo has no SYMBOL(%s)".formatted(file, name)));
    }

    public OptionalLong findSymbol(String name) { return optional("SYMBOL(" + name + ")", true); }

    /** OFFSET(struct.member). */
    public OptionalLong findOffset(String structMember) { return optional("OFFSET(" + structMember + ")", false); }

    public OptionalLong findSize(String type) { return optional("SIZE(" + type + ")", false); }

    public OptionalLong findLength(String name) { return optional("LENGTH(" + name + ")", false); }

    public OptionalLong findNumber(String name) { return optional("NUMBER(" + name + ")", false); }

    /** A field the caller cannot go on without: {@code kind} is OFFSET, SIZE, LENGTH or NUMBER. */
    public long required(String kind, String name) {
        return optional(kind + "(" + name + ")", kind.equals("SYMBOL"))
                .orElseThrow(() -> new LookupException("%s: vmcoreinfo has no %s(%s)".formatted(file, kind, name)));
    }

    private OptionalLong optional(String key, boolean isHex) {
        String v = entries.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(isHex ? hex(v, key) : dec(v, key));
    }

    private long hex(String v, String key) {
        try {
            return Long.parseUnsignedLong(v, 16);
        } catch (NumberFormatException e) {
            throw new FormatException(file, offset, "a hexadecimal %s in vmcoreinfo, got \"%s\"".formatted(key, v));
        }
    }

    private long dec(String v, String key) {
        try {
            return v.startsWith("-") ? Long.parseLong(v) : Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new FormatException(file, offset, "a decimal %s in vmcoreinfo, got \"%s\"".formatted(key, v));
        }
    }
}
