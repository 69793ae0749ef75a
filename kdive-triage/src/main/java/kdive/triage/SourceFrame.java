package kdive.triage;

/** One level of an inline chain: the function and the source line in it (line 0 when unknown). */
public record SourceFrame(String function, String file, long line) {

    /** {@code function at file:line}, as {@code addr2line -f -i} pairs read. */
    public String display() {
        return (function == null ? "??" : function) + " at " + (file == null ? "??" : file) + ":" + line;
    }
}
