package kdive.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code kdive submit} does.
 *
 * @param server base URL of the collector, e.g. {@code http://collector:8080}
 * @param token bearer token (first token of the token file)
 * @param host name reported for this machine
 * @param spool directory keeping reports the server could not take yet
 * @param retries attempts after the first one before a report is spooled
 * @param backoff wait before the first retry; doubles each time, capped at 30 s
 * @param flush also (or only, with no inputs) send the spooled reports
 * @param inputs files, kdump directories ({@code /var/crash}, {@code /var/crash/<dump>}) or {@code -}
 */
public record SubmitOptions(URI server, String token, String host, Path spool, int retries, Duration backoff,
        boolean flush, List<String> inputs) {
    public SubmitOptions {
        inputs = List.copyOf(inputs);
    }
}
