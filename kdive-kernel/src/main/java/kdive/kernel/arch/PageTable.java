package kdive.kernel.arch;

import java.util.List;
import java.util.Optional;
import kdive.dump.X86Paging;

/**
 * A kernel's page tables: virtual to physical, with the walk's steps for vtop. A missing mapping is
 * a result ({@link X86Paging.Translation#fault()}), not an exception. The translation record is the
 * dump layer's, shared by every architecture's walk (levels, entries, page size, fault).
 */
public interface PageTable {

    X86Paging.Translation walk(long vaddr);

    /** Physical address of the top-level table. */
    long rootPaddr();

    /** Number of levels walked (4 or 5 on x86-64). */
    int levels();

    /** Page tables that cannot be found: every walk throws {@code why}. */
    static PageTable unavailable(RuntimeException why) {
        return new PageTable() {
            @Override
            public X86Paging.Translation walk(long vaddr) { throw why; }

            @Override
            public long rootPaddr() { throw why; }

            @Override
            public int levels() { throw why; }
        };
    }

    /** Virtual equals physical: memory that is not a kernel's (a test's image of an ELF file's sections). */
    static PageTable identity() {
        return new PageTable() {
            @Override
            public X86Paging.Translation walk(long vaddr) {
                return new X86Paging.Translation(vaddr, List.of(), Optional.of(vaddr), 4096, "");
            }

            @Override
            public long rootPaddr() { return 0; }

            @Override
            public int levels() { return 0; }
        };
    }
}
