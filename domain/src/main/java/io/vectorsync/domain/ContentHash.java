package io.vectorsync.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** The fingerprint of a document's content: SHA-256, in lower-case hex, of title, NUL, body. */
final class ContentHash {

    private ContentHash() {
    }

    public static String of(String title, String body) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        return sha256Hex(title + '\u0000' + body);
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
