package kdive.io;

/**
 * Input bytes or text that do not follow their format: names the file, the offset and
 * what was expected there, so the message alone lets someone look at the bad byte.
 */
public final class FormatException extends KdiveException {
    private final String file;
    private final long offset;
    private final String expected;

    public FormatException(String file, long offset, String expected) {
        super(format(file, offset, expected));
        this.file = file;
        this.offset = offset;
        this.expected = expected;
    }

    public FormatException(String file, long offset, String expected, Throwable cause) {
        super(format(file, offset, expected), cause);
        this.file = file;
        this.offset = offset;
        this.expected = expected;
    }

    private static String format(String file, long offset, String expected) {
        return offset < 0
                ? "%s: %s".formatted(file, expected)
                : "%s: offset 0x%x: %s".formatted(file, offset, expected);
    }

    public String file() { return file; }

    /** Byte offset in {@link #file()}, or -1 when the error concerns the file as a whole. */
    public long offset() { return offset; }

    public String expected() { return expected; }
}
