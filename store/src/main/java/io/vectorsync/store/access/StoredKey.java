package io.vectorsync.store.access;

import java.time.Instant;
import java.util.List;

/**
 * An API key as the store keeps it: never the secret, only its SHA-256 ({@code hash}, hex). {@code tenants} is the
 * list of tenants the key may reach, or {@code ["*"]} for all; {@code ratePerSecond} and {@code expiresAt} are
 * optional (null); a revoked key keeps its row, for the audit trail, with {@code revokedAt} set.
 */
public record StoredKey(
        String id,
        String name,
        String role,
        List<String> tenants,
        String hash,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt,
        Double ratePerSecond,
        Instant revokedAt) {

    public StoredKey {
        tenants = List.copyOf(tenants);
    }

    public StoredKey withLastUsed(Instant at) {
        return new StoredKey(id, name, role, tenants, hash, createdAt, at, expiresAt, ratePerSecond, revokedAt);
    }

    public StoredKey revoked(Instant at) {
        return new StoredKey(id, name, role, tenants, hash, createdAt, lastUsedAt, expiresAt, ratePerSecond, at);
    }
}
