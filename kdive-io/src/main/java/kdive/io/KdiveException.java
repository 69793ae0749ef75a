package kdive.io;

/**
 * Root of every error kdive reports to a user. Front ends catch this once, print
 * {@link #getMessage()} as one line and exit non-zero; library code never catches
 * {@code Exception}.
 */
public abstract sealed class KdiveException extends RuntimeException
        permits FormatException, FaultException, MissingDebugInfoException, LookupException,
                ValidationException, UsageException {

    protected KdiveException(String message) {
        super(message);
    }

    protected KdiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
