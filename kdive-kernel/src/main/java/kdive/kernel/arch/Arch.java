package kdive.kernel.arch;

import java.util.List;
import java.util.Optional;
import kdive.dump.KernelLocation;
import kdive.dump.PhysicalMemory;

/**
 * What differs between the architectures kdive reads (drgn's struct drgn_architecture_info,
 * libdrgn/platform.h): the page walk, which addresses are canonical and whose they are, the poison
 * values a kernel writes into freed or deleted objects, and the frame-pointer rule the unwinder
 * falls back on when no CFI row covers a PC. x86-64 is the one implemented; arm64 is meant to be
 * the second. The register table (DWARF numbers, PRSTATUS and pt_regs layouts) belongs to the
 * unwinder's {@code RegisterState} and is reached from here once it exists, so there is one table.
 */
public sealed interface Arch permits X86_64 {

    /** The name the kernel uses (uname -m): "x86_64". */
    String name();

    /** Bytes in a pointer. */
    int pointerSize();

    /** The kernel's page tables in {@code memory}, rooted and masked as {@code where} says. */
    PageTable pageTable(PhysicalMemory memory, KernelLocation where);

    /** Whether {@code vaddr} is canonical for the given paging depth (no hole bits set). */
    boolean isCanonical(long vaddr, boolean fiveLevel);

    /** Whether {@code vaddr} is in the kernel's half of the address space (with either paging depth). */
    boolean isKernelAddress(long vaddr);

    /** First address of the kernel image mapping: link-time addresses at or above it move by the KASLR offset. */
    long kernelImageStart();

    /** The poison values of this architecture's kernels (include/linux/poison.h, with its POISON_POINTER_DELTA). */
    List<Poison> poisons();

    /** The poison {@code value} is, if any. */
    default Optional<Poison> poison(long value) {
        return poisons().stream().filter(p -> p.matches(value)).findFirst();
    }

    /** Where a frame keeps the caller's frame pointer and the return address, relative to the frame pointer. */
    FramePointerRule framePointer();

    /**
     * A value the kernel stores to mark memory as freed, deleted or uninitialised.
     *
     * @param repeated the value is a byte pattern that fills whole words (slab poison), not one exact word
     */
    record Poison(String name, long value, boolean repeated, String meaning) {
        public boolean matches(long v) {
            return v == value;
        }
    }

    /**
     * The frame-pointer fallback: with frame pointers, {@code [fp + savedFrameOffset]} is the
     * caller's frame pointer and {@code [fp + returnAddressOffset]} the return address.
     *
     * @param register the frame pointer register's name as the architecture's manuals write it
     */
    record FramePointerRule(String register, int savedFrameOffset, int returnAddressOffset) {}
}
