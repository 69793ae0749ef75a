package kdive.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers for ids and idempotency keys. */
public final class Hashes {
    private Hashes() {}

    public static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static String sha256Hex(String s) {
        return HexFormat.of().formatHex(sha256(s));
    }

    /** Bucket id: stable across databases and restarts, short enough for a URL. */
    public static String bucketId(String title) {
        return sha256Hex("bucket\n" + title).substring(0, 16);
    }

    /**
     * Report id from the idempotency key: the client's id scoped by host (two hosts choosing the same
     * id must not collide), or without one the host and the text's hash.
     */
    public static String reportId(String host, String clientId, String textSha256) {
        String key = clientId != null ? "id\n" + host + "\n" + clientId : "text\n" + host + "\n" + textSha256;
        return sha256Hex(key).substring(0, 32);
    }
}
