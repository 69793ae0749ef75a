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
        String diagnosisJson) {}
