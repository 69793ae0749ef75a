package kdive.io;

/** A name (symbol, type, member, task) that was asked for does not exist. */
public final class LookupException extends KdiveException {
    public LookupException(String message) {
        super(message);
    }
}
