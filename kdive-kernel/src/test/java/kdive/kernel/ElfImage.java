package kdive.kernel;

import java.lang.foreign.ValueLayout;
import kdive.dump.PageState;
import kdive.dump.PhysicalMemory;
import kdive.elf.ElfFile;
import kdive.elf.Section;
import kdive.io.FaultException;

/**
 * A non-PIE executable's allocated sections at their link addresses, as memory: what gdb reads
 * for a static variable before the program runs. .bss reads as zeros.
 */
final class ElfImage implements PhysicalMemory {
    private static final long SHF_ALLOC = 0x2;
    private final ElfFile elf;

    ElfImage(ElfFile elf) {
        this.elf = elf;
    }

    private Section at(long address) {
        for (Section s : elf.sections()) {
            if ((s.flags() & SHF_ALLOC) != 0 && s.addr() != 0 && Long.compareUnsigned(address - s.addr(), s.size()) < 0) {
                return s;
            }
        }
        return null;
    }

    @Override
    public int pageSize() { return 4096; }

    @Override
    public long endAddress() { return -1; }

    @Override
    public PageState state(long paddr) {
        return at(paddr) != null ? PageState.PRESENT : PageState.ABSENT;
    }

    @Override
    public void read(long paddr, byte[] dst, int offset, int length) {
        for (int done = 0; done < length; ) {
            Section s = at(paddr + done);
            if (s == null) {
                throw new FaultException(paddr, length, "0x%x is in no section of %s".formatted(paddr + done, elf.name()));
            }
            long in = paddr + done - s.addr();
            int n = (int) Math.min(length - done, s.size() - in);
            if (s.type() == Section.SHT_NOBITS) {
                java.util.Arrays.fill(dst, offset + done, offset + done + n, (byte) 0);
            } else {
                var c = elf.contents(s);
                for (int i = 0; i < n; i++) {
                    dst[offset + done + i] = c.get(ValueLayout.JAVA_BYTE, in + i);
                }
            }
            done += n;
        }
    }
}
