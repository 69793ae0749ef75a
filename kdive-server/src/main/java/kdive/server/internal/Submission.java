package kdive.server.internal;

import java.time.Instant;
import java.util.Optional;

/**
 * One POSTed report after JSON validation.
 *
 * @param host the sending machine's name
 * @param text the oops or vmcore-dmesg text
 * @param clientId the client's idempotency id, or null
 * @param collectedAt when the crash was collected, if the client said
 * @param diagnosisJson the client's {@code diagnose --format json} document, compact, or null
 */
public record Submission(String host, String text, String clientId, Optional<Instant> collectedAt,
        String diagnosisJson, String textSha256) {

    public Submission(String host, String text, String clientId, Optional<Instant> collectedAt, String diagnosisJson) {
        this(host, text, clientId, collectedAt, diagnosisJson, Hashes.sha256Hex(text));
    }

    /** The id this report is stored under: see {@link Hashes#reportId}. */
    public String reportId() {
        return Hashes.reportId(host, clientId, textSha256);
    }
}
