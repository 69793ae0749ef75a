package kdive.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import kdive.dump.X86Paging;
import kdive.dwarf.Type;
import kdive.dwarf.Types;
import kdive.elf.ElfFile;
import kdive.io.MissingDebugInfoException;

/**
 * When the crashed kernel booted, as wall-clock time: the timekeeper keeps CLOCK_REALTIME and
 * CLOCK_BOOTTIME as offsets from CLOCK_MONOTONIC (offs_real, offs_boot; kernel/time/timekeeping.c),
 * so realtime minus boottime is the wall time at boottime 0, which is where printk's local_clock()
 * timestamps start. vmcoreinfo exports neither tk_core nor struct timekeeper, so this needs the
 * vmlinux's symbol table and DWARF.
 */
final class BootTime {
    /** crash's log -T and ctime(3): "Wed Nov 25 14:19:10 UTC 2026", the day padded with a space. */
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss zzz yyyy", Locale.US);

    private BootTime() {}

    /** Nanoseconds since the epoch at boot; {@code kernelOffset} is the KASLR slide of the vmlinux's addresses. */
    static long bootEpochNanos(ElfFile vmlinux, Types types, long kernelOffset, X86Paging paging) {
        long tkCore = vmlinux.symbols().findByName("tk_core").orElseThrow(() -> new MissingDebugInfoException(
                vmlinux.name() + ": no symbol tk_core, so the boot time (log -T) cannot be computed")).value() + kernelOffset;
        var var = types.findVariable("tk_core").orElseThrow(() -> new MissingDebugInfoException(
                vmlinux.name() + ": no DWARF for tk_core, so the boot time (log -T) cannot be computed"));
        Type.Member tk = member(types, var.type(), "timekeeper", vmlinux);
        Type.Member real = member(types, tk.type(), "offs_real", vmlinux);
        Type.Member boot = member(types, tk.type(), "offs_boot", vmlinux);
        long at = tkCore + tk.byteOffset();
        return s64(paging, at + real.byteOffset()) - s64(paging, at + boot.byteOffset());
    }

    private static Type.Member member(Types types, long structType, String name, ElfFile vmlinux) {
        if (types.strip(structType) instanceof Type.Struct s) {
            for (Type.Member m : s.members()) {
                if (name.equals(m.name())) {
                    return m;
                }
            }
        }
        throw new MissingDebugInfoException("%s: tk_core has no member %s in its DWARF, so the boot time (log -T) cannot be computed"
                .formatted(vmlinux.name(), name));
    }

    private static long s64(X86Paging paging, long vaddr) {
        return java.nio.ByteBuffer.wrap(paging.read(vaddr, 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * "[Wed Nov 25 14:19:16 UTC 2026] " for a record logged {@code tsNsec} after boot: boot seconds
     * plus the record's whole seconds, as crash adds them.
     */
    static String prefix(long bootEpochNanos, long tsNsec, ZoneId zone) {
        long sec = Math.floorDiv(bootEpochNanos, 1_000_000_000L) + tsNsec / 1_000_000_000L;
        return "[" + CTIME.format(Instant.ofEpochSecond(sec).atZone(zone)) + "] ";
    }
}
