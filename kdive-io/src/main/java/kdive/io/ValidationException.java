package kdive.io;

/** A kernel structure is corrupt; the message names the broken link. */
public final class ValidationException extends KdiveException {
    public ValidationException(String message) {
        super(message);
    }
}
