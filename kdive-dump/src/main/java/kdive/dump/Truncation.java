package kdive.dump;

/**
 * A dump file that ends before its own headers say it should: an interrupted capture or copy.
 * Pages past the end read as {@link PageState#TRUNCATED}; this says how much is gone, as crash's
 * "may be truncated or incomplete" does not.
 *
 * @param fileBytes the file's size (for a flattened dump, of the file its records write)
 * @param expectedBytes the size its headers need, or -1 when they do not say (records cut short)
 * @param atLeast whether {@code expectedBytes} is only a lower bound (the page descriptors themselves are cut)
 * @param pagesMissing dumped pages whose bytes are not in the file
 * @param pagesDumped dumped pages the headers describe
 */
public record Truncation(long fileBytes, long expectedBytes, boolean atLeast, long pagesMissing, long pagesDumped) {

    /** One line: "truncated: 1234 of 15700 dumped pages missing; the file has 9.1 MiB of at least 15.0 MiB". */
    public String describe() {
        if (expectedBytes < 0 && pagesMissing == 0) {
            return "truncated or incomplete dump: its flattened records end after %s, before the headers written last"
                    .formatted(mib(fileBytes));
        }
        String sizes = expectedBytes < 0 ? "the file has %s, its records end early".formatted(mib(fileBytes))
                : "the file has %s of %s%s (%s%s missing)".formatted(mib(fileBytes), atLeast ? "at least " : "",
                        mib(expectedBytes), atLeast ? "at least " : "", mib(expectedBytes - fileBytes));
        return "truncated or incomplete dump: %d of %d dumped pages missing; %s".formatted(pagesMissing, pagesDumped, sizes);
    }

    private static String mib(long bytes) {
        return bytes < 1 << 20 ? bytes + " bytes" : "%.1f MiB".formatted(bytes / 1048576.0);
    }
}
