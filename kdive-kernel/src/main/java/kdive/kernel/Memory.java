package kdive.kernel;

/**
 * Little-endian kernel virtual memory, as the helpers read it. {@link Program} is the real one;
 * a test can lay doctored words over it to corrupt a structure without touching the dump.
 */
public interface Memory {
    /** The 64-bit word at {@code vaddr}; {@link kdive.io.FaultException} when it cannot be read. */
    long u64(long vaddr);
}
