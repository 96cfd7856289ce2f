package io.vectorsync.ui.access;

import io.vectorsync.store.access.AccessTables;
import io.vectorsync.store.access.StoredKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The API keys: made here, kept in the store as SHA-256 hashes only, checked in memory on every request.
 * <p>
 * A key reads {@code vs_<id>_<secret>}: a 16-hex-digit id, which is not secret and finds the key's record, and 256
 * random bits of secret. The whole key's SHA-256 is compared with the stored one in constant time. A fast hash is
 * enough because the secret is random and long: nobody can guess 2<sup>256</sup> inputs, whereas a slow password
 * hash (bcrypt, Argon2) exists to protect short human passwords and would add tens of milliseconds to every
 * request. The bootstrap key from configuration is checked the same way, against its hash.
 * <p>
 * When a key was last used is noted in memory and written every few seconds, not on every request.
 */
final class KeyRing implements AutoCloseable {

    public static final String BOOTSTRAP_ID = "bootstrap";
    static final String PREFIX = "vs_";
    private static final Logger LOG = Logger.getLogger(KeyRing.class.getName());
    private static final int ID_HEX_DIGITS = 16;
    private static final int SECRET_BYTES = 32;
    /** A bootstrap key must carry at least 128 bits even written in hex. */
    static final int MIN_BOOTSTRAP_LENGTH = 32;

    private final AccessTables tables;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> keys = new ConcurrentHashMap<>();
    private final Map<String, Instant> unrecordedUses = new ConcurrentHashMap<>();
    private final byte[] bootstrapHash;
    private final ScheduledExecutorService recorder;
    /** Once a key has been stored, keys stay required, even after the last is revoked: revoking never opens up. */
    private volatile boolean anyStored;

    private record Entry(StoredKey key, byte[] hash, TokenBucket bucket) {
    }

    public KeyRing(AccessTables tables, String bootstrapKey, Clock clock) {
        this.tables = tables;
        this.clock = clock;
        if (bootstrapKey != null && bootstrapKey.length() < MIN_BOOTSTRAP_LENGTH) {
            throw new IllegalArgumentException("vectorsync.security.admin.key is too short: use at least "
                    + MIN_BOOTSTRAP_LENGTH + " random characters (e.g. from `openssl rand -hex 32`)");
        }
        this.bootstrapHash = bootstrapKey == null ? null : sha256(bootstrapKey);
        for (StoredKey key : tables.keys()) {
            remember(key);
        }
        this.recorder = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("key-uses").factory());
        recorder.scheduleWithFixedDelay(this::recordUses, 5, 5, TimeUnit.SECONDS);
    }

    /** Whether requests need a key: one is configured, or any was ever stored. */
    public boolean required() {
        return bootstrapHash != null || anyStored;
    }

    /** A new key; its secret is in the answer and nowhere else. */
    public Issued create(String name, Role role, List<String> tenants, Instant expiresAt, Double ratePerSecond) {
        String id = HexFormat.of().formatHex(bytes(ID_HEX_DIGITS / 2));
        String secret = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(SECRET_BYTES));
        StoredKey key = new StoredKey(id, name, role.id(), tenants, HexFormat.of().formatHex(sha256(secret)),
                clock.instant(), null, expiresAt, ratePerSecond, null);
        tables.insert(key);
        remember(key);
        LOG.info(() -> "API key " + id + " (" + name + ", " + role.id() + ") created");
        return new Issued(key, secret);
    }

    /** What {@link #create} made: the record and, this once, the secret. */
    public record Issued(StoredKey key, String secret) {
    }

    /** Revokes a key: its next request is refused. False when there is no such active key. */
    public boolean revoke(String id) {
        Entry entry = keys.get(id);
        if (entry == null || entry.key().revokedAt() != null) {
            return false;
        }
        Instant now = clock.instant();
        tables.revoke(id, now);
        keys.put(id, new Entry(entry.key().revoked(now), entry.hash(), entry.bucket()));
        LOG.info(() -> "API key " + id + " revoked");
        return true;
    }

    /** Every stored key, revoked ones included, with when each was last used. */
    public List<StoredKey> list() {
        List<StoredKey> list = new ArrayList<>();
        for (Entry entry : keys.values()) {
            Instant used = unrecordedUses.get(entry.key().id());
            list.add(used == null ? entry.key() : entry.key().withLastUsed(used));
        }
        list.sort(java.util.Comparator.comparing(StoredKey::createdAt).thenComparing(StoredKey::id));
        return list;
    }

    public boolean hasBootstrapKey() {
        return bootstrapHash != null;
    }

    /** The caller a presented key stands for, if it is a known, unrevoked, unexpired key. */
    public Optional<Caller> authenticate(String presented) {
        byte[] hash = sha256(presented);
        if (bootstrapHash != null && MessageDigest.isEqual(hash, bootstrapHash)) {
            return Optional.of(bootstrapCaller());
        }
        String id = idOf(presented);
        Entry entry = id == null ? null : keys.get(id);
        if (entry == null || !MessageDigest.isEqual(hash, entry.hash())) {
            return Optional.empty();
        }
        return active(entry);
    }

    /** The caller a key id stands for now (a console session re-checks its key on every request). */
    Optional<Caller> byId(String id) {
        if (BOOTSTRAP_ID.equals(id)) {
            return bootstrapHash == null ? Optional.empty() : Optional.of(bootstrapCaller());
        }
        Entry entry = keys.get(id);
        return entry == null ? Optional.empty() : active(entry);
    }

    /** Takes a token from the key's rate limit: 0 when within it, else nanoseconds until the next request may go. */
    long throttle(Caller caller) {
        Entry entry = caller.keyId() == null ? null : keys.get(caller.keyId());
        return entry == null || entry.bucket() == null ? 0 : entry.bucket().take(System.nanoTime());
    }

    void used(Caller caller) {
        if (caller.keyId() != null && !BOOTSTRAP_ID.equals(caller.keyId())) {
            unrecordedUses.put(caller.keyId(), clock.instant());
        }
    }

    private Optional<Caller> active(Entry entry) {
        StoredKey key = entry.key();
        if (key.revokedAt() != null || key.expiresAt() != null && !clock.instant().isBefore(key.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(new Caller(key.id(), key.name(), Role.of(key.role(), "role"), new HashSet<>(key.tenants()),
                false));
    }

    private static Caller bootstrapCaller() {
        return new Caller(BOOTSTRAP_ID, "bootstrap admin key (configuration)", Role.ADMIN, java.util.Set.of(Caller.ALL_TENANTS),
                false);
    }

    private void remember(StoredKey key) {
        TokenBucket bucket = key.ratePerSecond() == null ? null : new TokenBucket(key.ratePerSecond(), System.nanoTime());
        keys.put(key.id(), new Entry(key, HexFormat.of().parseHex(key.hash()), bucket));
        anyStored = true;
    }

    private static String idOf(String presented) {
        int end = PREFIX.length() + ID_HEX_DIGITS;
        if (!presented.startsWith(PREFIX) || presented.length() <= end || presented.charAt(end) != '_') {
            return null;
        }
        return presented.substring(PREFIX.length(), end);
    }

    private void recordUses() {
        if (unrecordedUses.isEmpty()) {
            return;
        }
        Map<String, Instant> uses = Map.copyOf(unrecordedUses);
        try {
            tables.lastUsed(uses);
            uses.forEach((id, at) -> {
                unrecordedUses.remove(id, at);
                keys.computeIfPresent(id, (k, e) -> new Entry(e.key().withLastUsed(at), e.hash(), e.bucket()));
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not record when API keys were last used; will try again", e);
        }
    }

    private byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Stops the background writer after recording the last uses; the store closes after this. */
    @Override
    public void close() {
        recorder.shutdown();
        try {
            recorder.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        recordUses();
    }
}
