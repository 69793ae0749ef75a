package kdive.dump;

/**
 * Page counts of a dump, in pages of {@link PhysicalMemory#pageSize()}.
 *
 * @param maxPfn one past the highest page frame number the dump describes
 * @param ram pages the dump says were RAM (kdump: 1st bitmap; ELF: PT_LOAD memsz)
 * @param dumped pages whose bytes are in the file
 * @param excluded RAM pages the dump filter left out
 * @param dumpLevel makedumpfile's -d level, or -1 when the format does not record it
 */
public record PageStats(long maxPfn, long ram, long dumped, long excluded, int dumpLevel) {}
