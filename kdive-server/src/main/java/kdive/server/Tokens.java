package kdive.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import kdive.io.UsageException;
import kdive.server.internal.Hashes;

/**
 * The bearer tokens a server accepts: one per line in a file, blank lines and {@code #} comments
 * ignored. Only SHA-256 digests are kept, and a presented token is compared with every digest in
 * constant time, so neither the token's length nor which token matched shows in the timing. Nothing
 * here ever prints a token.
 */
public final class Tokens {

    /** Outcome of checking an {@code Authorization} header. */
    public enum Verdict {
        /** No {@code Bearer} credentials at all: 401. */
        MISSING,
        /** Credentials that match no token: 403. */
        REJECTED,
        ACCEPTED
    }

    private final List<byte[]> digests;

    private Tokens(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    public static Tokens load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("%s: cannot read token file: %s".formatted(file, e.getMessage()), e);
        }
        var digests = new ArrayList<byte[]>();
        for (String line : lines) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                digests.add(Hashes.sha256(t));
            }
        }
        if (digests.isEmpty()) {
            throw new UsageException(file + ": token file holds no token (one per line)");
        }
        return new Tokens(digests);
    }

    /** Tokens given directly (tests, embedding). */
    public static Tokens of(String... tokens) {
        var digests = new ArrayList<byte[]>();
        for (String t : tokens) {
            digests.add(Hashes.sha256(t.strip()));
        }
        return new Tokens(digests);
    }

    public int size() {
        return digests.size();
    }

    /** Checks an {@code Authorization} header value (may be null). */
    public Verdict check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            return Verdict.MISSING;
        }
        byte[] presented = Hashes.sha256(authorization.substring(7).strip());
        boolean match = false;
        for (byte[] d : digests) {
            // No early exit: every token is compared whatever the outcome.
            match |= MessageDigest.isEqual(d, presented);
        }
        return match ? Verdict.ACCEPTED : Verdict.REJECTED;
    }
}
