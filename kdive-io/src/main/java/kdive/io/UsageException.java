package kdive.io;

/** The user asked for something impossible (bad option combination, unreadable input path). */
public final class UsageException extends KdiveException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
