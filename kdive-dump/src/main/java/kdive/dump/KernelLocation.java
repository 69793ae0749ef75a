package kdive.dump;

/**
 * Where the crashed kernel sits: the KASLR offset of its text, phys_base (physical address of
 * __START_KERNEL_map, modulo 2^64), the page-table root to walk, and AMD SME's encryption mask
 * (vmcoreinfo NUMBER(sme_mask), arch/x86/kernel/machine_kexec_64.c): the C-bit set in every
 * page-table entry of an encrypted guest, which is no part of the physical address.
 *
 * @param source how these were found, shown to the user ("vmcoreinfo", or the derivation)
 */
public record KernelLocation(long kernelOffset, long physBase, long pageTableRoot, boolean fiveLevel, long smeMask,
                             String source) {

    /** Paging over {@code memory} from this location, the SME mask cleared from every entry. */
    public X86Paging paging(PhysicalMemory memory) {
        return new X86Paging(memory, pageTableRoot, fiveLevel, physBase, smeMask);
    }
}
