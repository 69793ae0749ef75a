package kdive.server.internal;

/** A request the server answers with {@code status} and {@code message} (JSON for the API, HTML for pages). */
public final class HttpError extends RuntimeException {
    private final int status;

    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
