package io.vectorsync.store.access;

import org.axonframework.common.jdbc.JdbcException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The API keys and the audit log, in the store's database beside the events, so they survive restarts and are
 * shared by every process on that database. Plain, portable SQL (times are epoch milliseconds): every write
 * commits on its own, durably, before the caller is answered.
 */
public final class AccessTables {

    private final DataSource dataSource;

    /** Over a database whose schema has the key and audit tables (migration step 2). */
    public AccessTables(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<StoredKey> keys() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT id, name, role, tenants, secretHash, "
                     + "createdAt, lastUsedAt, expiresAt, ratePerSecond, revokedAt FROM ApiKey ORDER BY createdAt, id");
             ResultSet rs = statement.executeQuery()) {
            List<StoredKey> keys = new ArrayList<>();
            while (rs.next()) {
                double rate = rs.getDouble(9);
                Double ratePerSecond = rs.wasNull() ? null : rate;
                keys.add(new StoredKey(rs.getString(1), rs.getString(2), rs.getString(3),
                        Arrays.asList(rs.getString(4).split(",")), rs.getString(5), instant(rs, 6), instant(rs, 7),
                        instant(rs, 8), ratePerSecond, instant(rs, 10)));
            }
            return keys;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the API keys", e);
        }
    }

    public void insert(StoredKey key) {
        update("Cannot store API key " + key.id(), "INSERT INTO ApiKey (id, name, role, tenants, secretHash, createdAt, "
                        + "lastUsedAt, expiresAt, ratePerSecond, revokedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                key.id(), key.name(), key.role(), String.join(",", key.tenants()), key.hash(), key.createdAt(),
                key.lastUsedAt(), key.expiresAt(), key.ratePerSecond(), key.revokedAt());
    }

    /** Marks a key revoked; false when there is no such key or it was revoked before. */
    public boolean revoke(String id, Instant at) {
        return update("Cannot revoke API key " + id, "UPDATE ApiKey SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL",
                at, id) == 1;
    }

    /** Records when keys were last used (batched: the request path only notes it in memory). */
    public void lastUsed(Map<String, Instant> uses) {
        if (uses.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "UPDATE ApiKey SET lastUsedAt = ? WHERE id = ? AND (lastUsedAt IS NULL OR lastUsedAt < ?)")) {
            for (Map.Entry<String, Instant> use : uses.entrySet()) {
                statement.setLong(1, use.getValue().toEpochMilli());
                statement.setString(2, use.getKey());
                statement.setLong(3, use.getValue().toEpochMilli());
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (SQLException e) {
            throw new JdbcException("Cannot record when API keys were used", e);
        }
    }

    public void append(Instant at, String keyId, String keyName, String action, String target, String outcome,
                       int status) {
        update("Cannot append to the audit log", "INSERT INTO AuditRecord (at, keyId, keyName, action, target, outcome, "
                        + "status) VALUES (?, ?, ?, ?, ?, ?, ?)", at, keyId, keyName, action, clip(target, 2000),
                clip(outcome, 500), status);
    }

    /** Up to {@code limit} records, newest first, older than {@code beforeId} when it is given. */
    public List<AuditRecord> audit(int limit, Long beforeId) {
        String sql = "SELECT id, at, keyId, keyName, action, target, outcome, status FROM AuditRecord"
                + (beforeId == null ? "" : " WHERE id < ?") + " ORDER BY id DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            if (beforeId != null) {
                statement.setLong(i++, beforeId);
            }
            statement.setInt(i, limit);
            List<AuditRecord> records = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    records.add(new AuditRecord(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8)));
                }
            }
            return records;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the audit log", e);
        }
    }

    private int update(String failure, String sql, Object... values) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                switch (values[i]) {
                    case null -> statement.setNull(i + 1, Types.NULL);
                    case Instant instant -> statement.setLong(i + 1, instant.toEpochMilli());
                    case Double number -> statement.setDouble(i + 1, number);
                    case Integer number -> statement.setInt(i + 1, number);
                    default -> statement.setString(i + 1, values[i].toString());
                }
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new JdbcException(failure, e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
