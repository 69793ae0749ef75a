package kdive.io;

/**
 * Where long-running work (indexing a 600 MB vmlinux, decoding thousands of units, a download)
 * reports how far it got. Front ends decide whether to show it (a terminal bar after a second);
 * library code only counts. Implementations must accept calls from several threads.
 */
@FunctionalInterface
public interface Progress {
    /** Shows nothing. */
    Progress NONE = (task, done, total) -> { };

    /**
     * {@code done} of {@code total} units of {@code task} are finished ({@code total} 0 when
     * unknown); a last call with {@code done == total} means the task ended.
     */
    void update(String task, long done, long total);
}
