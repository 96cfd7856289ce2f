package io.vectorsync.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Authenticated encryption of content with a 256-bit key: AES-GCM from the JDK, a random 96-bit nonce per message and
 * a 128-bit tag. A sealed message is {@code version (1 byte) | nonce (12) | ciphertext | tag (16)}; the associated data
 * (say, the tenant and document id a field belongs to) is authenticated, not stored, so a message moved to another
 * document does not open. The building block of crypto-shredding (issue 21): content is sealed with its document's
 * data key, data keys are sealed with the master key, and destroying a data key leaves its content unreadable.
 * <p>
 * {@link #keyedHash} is a content hash that only the key's holder can compute or confirm (HMAC-SHA-256 under a key
 * derived from the data key), so a stored hash does not let anyone confirm a guessed text once the key is gone.
 */
public final class ContentCipher {

    public static final int KEY_BYTES = 32;
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Overhead of a sealed message over its plaintext. */
    public static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BITS / 8;
    private static final byte[] HASH_KEY_LABEL = "vectorsync content hash v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> instance("AES/GCM/NoPadding"));

    private ContentCipher() {
    }

    /** A new random data key. */
    public static SecretKey newKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(KEY_BYTES * 8, RANDOM);
            return generator.generateKey();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no AES", e);
        }
    }

    /** A key from its 32 raw bytes. */
    public static SecretKey key(byte[] raw) {
        if (raw == null || raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("a key is " + KEY_BYTES + " bytes (256 bits), not "
                    + (raw == null ? "none" : raw.length));
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** Encrypts and authenticates {@code plaintext}, binding it to {@code associated}. */
    public static byte[] seal(SecretKey key, byte[] plaintext, byte[] associated) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated);
            byte[] sealed = new byte[1 + NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            sealed[0] = VERSION;
            System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
            int written = cipher.doFinal(plaintext, 0, plaintext.length, sealed, 1 + NONCE_BYTES);
            return written == sealed.length - 1 - NONCE_BYTES ? sealed : Arrays.copyOf(sealed, 1 + NONCE_BYTES + written);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to encrypt", e);
        }
    }

    /**
     * The plaintext of a message {@link #seal} made with this key and associated data; {@link Unreadable} when the key,
     * the associated data or a single bit of the message differs.
     */
    public static byte[] open(SecretKey key, byte[] sealed, byte[] associated) {
        if (sealed.length < OVERHEAD || sealed[0] != VERSION) {
            throw new Unreadable(sealed.length < OVERHEAD ? "too short to be a sealed message"
                    : "unknown format version " + sealed[0]);
        }
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(associated);
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new Unreadable("it does not authenticate: another key, another owner, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to decrypt", e);
        }
    }

    /** HMAC-SHA-256 of {@code data} under a key derived from {@code key}: a hash only the key's holder can compute. */
    public static byte[] keyedHash(SecretKey key, byte[] data) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(derive.doFinal(HASH_KEY_LABEL), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 failed", e);
        }
    }

    private static Cipher instance(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + transformation, e);
        }
    }

    /** A message that cannot be opened with the key and associated data given. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String why) {
            super("cannot open the sealed content: " + why);
        }
    }
}
