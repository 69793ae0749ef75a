package kdive.kernel.arch;

import java.util.List;
import kdive.dump.KernelLocation;
import kdive.dump.PhysicalMemory;
import kdive.dump.X86Paging;

/** x86-64 (Intel SDM vol. 3A §4.5 paging; arch/x86 of the kernel). Stateless. */
public record X86_64() implements Arch {
    /** include/linux/poison.h POISON_POINTER_DELTA = CONFIG_ILLEGAL_POINTER_VALUE (0xdead000000000000 on x86-64). */
    private static final long POISON_POINTER_DELTA = 0xdead000000000000L;
    public static final long LIST_POISON1 = 0x100 + POISON_POINTER_DELTA;
    public static final long LIST_POISON2 = 0x122 + POISON_POINTER_DELTA;
    private static final List<Poison> POISONS = List.of(
            new Poison("LIST_POISON1", LIST_POISON1, false, "list_del()'s next: the node was deleted"),
            new Poison("LIST_POISON2", LIST_POISON2, false, "list_del()'s prev: the node was deleted"),
            new Poison("POISON_FREE", 0x6b6b6b6b6b6b6b6bL, true, "slab object freed (SLAB_POISON)"),
            new Poison("POISON_INUSE", 0x5a5a5a5a5a5a5a5aL, true, "slab object allocated but not initialised"),
            new Poison("RED_INACTIVE", 0x09f911029d74e35bL, false, "slab red zone of a free object"),
            new Poison("RED_ACTIVE", 0xd84156c5635688c0L, false, "slab red zone of an allocated object"),
            new Poison("PAGE_POISON", 0xaaaaaaaaaaaaaaaaL, true, "freed page (page_poisoning)"));

    @Override
    public String name() { return "x86_64"; }

    @Override
    public int pointerSize() { return 8; }

    @Override
    public PageTable pageTable(PhysicalMemory memory, KernelLocation where) {
        X86Paging paging = where.paging(memory);
        return new PageTable() {
            @Override
            public X86Paging.Translation walk(long vaddr) { return paging.walk(vaddr); }

            @Override
            public long rootPaddr() { return paging.rootPaddr(); }

            @Override
            public int levels() { return paging.fiveLevel() ? 5 : 4; }
        };
    }

    /** Bits 63..47 (4-level) or 63..56 (5-level) all equal. */
    @Override
    public boolean isCanonical(long vaddr, boolean fiveLevel) {
        long top = vaddr >> (fiveLevel ? 56 : 47);
        return top == 0 || top == -1;
    }

    /** The kernel half starts at 0xff00000000000000 with 5-level paging, 0xffff800000000000 with 4. */
    @Override
    public boolean isKernelAddress(long vaddr) {
        return vaddr >>> 56 == 0xff;
    }

    @Override
    public long kernelImageStart() { return X86Paging.START_KERNEL_MAP; }

    @Override
    public List<Poison> poisons() { return POISONS; }

    /** push %rbp; mov %rsp,%rbp: [rbp] is the caller's rbp, [rbp+8] the return address. */
    @Override
    public FramePointerRule framePointer() { return new FramePointerRule("rbp", 0, 8); }
}
