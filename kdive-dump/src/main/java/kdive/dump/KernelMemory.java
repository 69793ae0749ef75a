package kdive.dump;

/** Kernel virtual memory as the log readers see it: a program's address space on a dump, a byte image in tests. */
@FunctionalInterface
interface KernelMemory extends MemoryReader {
    default byte[] bytes(long vaddr, int length) {
        return read(vaddr, length);
    }
}
