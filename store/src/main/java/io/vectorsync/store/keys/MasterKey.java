package io.vectorsync.store.keys;

import io.vectorsync.crypto.ContentCipher;

import javax.crypto.SecretKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.logging.Logger;

/**
 * The key that wraps every document's data key (crypto-shredding, issue 21). It comes from configuration — the key
 * itself ({@code vectorsync.security.master-key}: 32 bytes as base64 or 64 hex digits) or a file holding it — or,
 * with neither, from {@code keys/master.key} in the data directory, generated on first start (readable by its owner
 * only), which a log line says. A wrapped data key opens only with the master key it was wrapped with and under the
 * document it belongs to.
 */
public final class MasterKey {

    private static final Logger LOG = Logger.getLogger(MasterKey.class.getName());
    static final String GENERATED = "keys/master.key";

    private final SecretKey key;
    private final String origin;

    private MasterKey(SecretKey key, String origin) {
        this.key = key;
        this.origin = origin;
    }

    /**
     * The configured key ({@code configured}, else the one in {@code file}), else the data directory's, generated
     * when missing.
     */
    public static MasterKey resolve(String configured, Path file, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return new MasterKey(decode(configured, "vectorsync.security.master-key"), "configuration");
        }
        if (file != null) {
            return new MasterKey(decode(read(file), "the master key file " + file), file.toString());
        }
        Path generated = dataDir.resolve(GENERATED);
        if (!Files.exists(generated)) {
            create(generated);
        }
        return new MasterKey(decode(read(generated), "the master key file " + generated), generated.toString());
    }

    /** The configured key, or the one in {@code file}; empty when neither is given. */
    public static java.util.Optional<MasterKey> configured(String configured, Path file) {
        if (configured != null && !configured.isBlank()) {
            return java.util.Optional.of(new MasterKey(decode(configured, "vectorsync.security.master-key"),
                    "configuration"));
        }
        if (file != null) {
            return java.util.Optional.of(new MasterKey(decode(read(file), "the master key file " + file),
                    file.toString()));
        }
        return java.util.Optional.empty();
    }

    /** A key from its raw bytes (one a store generated and keeps), with where it came from. */
    static MasterKey of(byte[] raw, String origin) {
        return new MasterKey(ContentCipher.key(raw), origin);
    }

    /** Seals a data key for {@code owner} (the document it belongs to). */
    public byte[] wrap(SecretKey dataKey, byte[] owner) {
        return ContentCipher.seal(key, dataKey.getEncoded(), owner);
    }

    /** The data key {@link #wrap} sealed for {@code owner}; {@link ContentCipher.Unreadable} with another master key. */
    public SecretKey unwrap(byte[] wrapped, byte[] owner) {
        return ContentCipher.key(ContentCipher.open(key, wrapped, owner));
    }

    /** Where the key came from: {@code configuration} or its file (never the key). */
    public String origin() {
        return origin;
    }

    /** Names the key without revealing it (a keyed hash's first 8 bytes), to tell keys apart in logs and backups. */
    public String fingerprint() {
        return HexFormat.of().formatHex(ContentCipher.keyedHash(key, "fingerprint".getBytes(StandardCharsets.US_ASCII)),
                0, 8);
    }

    private static SecretKey decode(String text, String where) {
        String value = text.strip();
        byte[] raw;
        try {
            raw = value.length() == 2 * ContentCipher.KEY_BYTES && value.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                    ? HexFormat.of().parseHex(value) : Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": not base64 or hex", e);
        }
        if (raw.length != ContentCipher.KEY_BYTES) {
            throw new IllegalArgumentException(where + ": a master key is " + ContentCipher.KEY_BYTES
                    + " bytes (e.g. openssl rand -base64 32), not " + raw.length);
        }
        return ContentCipher.key(raw);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the master key file " + file, e);
        }
    }

    /** A new key in a new file, its owner's only; a file another process created first is kept. */
    private static void create(Path file) {
        String encoded = Base64.getEncoder().encodeToString(ContentCipher.newKey().getEncoded()) + "\n";
        try {
            Files.createDirectories(file.getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, encoded, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            LOG.warning(() -> "No master key configured: generated one in " + file + ". Whoever reads this file can "
                    + "read the stored content; erasing a document destroys its data key, not this one. Keep a copy "
                    + "apart from the data directory's backups, or set vectorsync.security.master-key(-file)");
        } catch (FileAlreadyExistsException e) {
            // another process generated it first: theirs is the key
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the master key file " + file, e);
        }
    }
}
