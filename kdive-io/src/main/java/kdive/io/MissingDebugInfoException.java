package kdive.io;

/** Debug information (a vmlinux, a module's DWARF, a type) that the question needs is absent. */
public final class MissingDebugInfoException extends KdiveException {
    public MissingDebugInfoException(String message) {
        super(message);
    }
}
