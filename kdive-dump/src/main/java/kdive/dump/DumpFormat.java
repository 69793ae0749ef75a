package kdive.dump;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The container formats {@link DumpFile#open} recognizes, by their magic bytes. */
public enum DumpFormat {
    /** ELF core: /proc/vmcore, makedumpfile -E, QEMU dump-guest-memory. */
    ELF("ELF"),
    /** makedumpfile's kdump compressed format (diskdump header "KDUMP   "). */
    KDUMP("kdump compressed"),
    /** makedumpfile -F / QEMU kdump-*: records that write one of the above. */
    FLATTENED("flattened");

    private final String title;

    DumpFormat(String title) {
        this.title = title;
    }

    public String title() { return title; }

    /** The format whose magic {@code head} (the file's first bytes) starts with. */
    public static Optional<DumpFormat> probe(MemorySegment head) {
        if (startsWith(head, new byte[] {0x7f, 'E', 'L', 'F'})) {
            return Optional.of(ELF);
        }
        if (startsWith(head, "KDUMP   ".getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(KDUMP);
        }
        if (startsWith(head, "makedumpfile\0".getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(FLATTENED);
        }
        return Optional.empty();
    }

    private static boolean startsWith(MemorySegment head, byte[] magic) {
        if (head.byteSize() < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head.get(ValueLayout.JAVA_BYTE, i) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
