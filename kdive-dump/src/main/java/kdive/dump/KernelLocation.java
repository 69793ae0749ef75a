package kdive.dump;

/**
 * Where the crashed kernel sits: the KASLR offset of its text, phys_base (physical address of
 * __START_KERNEL_map, modulo 2^64) and the page-table root to walk.
 *
 * @param source how these were found, shown to the user ("vmcoreinfo", or the derivation)
 */
public record KernelLocation(long kernelOffset, long physBase, long pageTableRoot, boolean fiveLevel, String source) {

    /** Paging over {@code memory} from this location. */
    public X86Paging paging(PhysicalMemory memory) {
        return new X86Paging(memory, pageTableRoot, fiveLevel, physBase, 0);
    }
}
