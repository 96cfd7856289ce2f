package io.vectorsync.store;

import org.axonframework.common.jdbc.JdbcException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whole tenants being erased (issue 21), table {@code TenantErasure}: one row per tenant with how far the erasure has
 * got, so that it resumes where it stopped after a crash. An erasure goes over the tenant's documents in passes, in
 * the order of their ids ({@code cursor}: the last id done); a pass that erased nothing more ends it, so documents
 * written while it ran are erased too. The node that works on it holds a claim it renews ({@code owner},
 * {@code heartbeat}); a claim not renewed for {@link #CLAIM_TIMEOUT} passes to another node.
 */
public final class TenantErasures {

    public static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);

    /** How far one tenant's erasure has got. */
    /**
     * {@code startPosition}: the head of the log when the current pass began; a document whose erasure stands after
     * it was erased by this pass (counted once, also when a crash hid the outcome and the resumed page found it
     * erased already).
     */
    public record Progress(String tenant, boolean done, int pass, String cursor, long seen, long erased,
                           long passErased, long lastPosition, Instant requestedAt, Instant finishedAt,
                           long startPosition) {
    }

    private static final String COLUMNS = "tenant, done, pass, cursorId, seen, erased, passErased, lastPosition, "
            + "requestedAt, finishedAt, startPosition";

    private final JdbcTransactionManager transactions;

    TenantErasures(JdbcTransactionManager transactions) {
        this.transactions = transactions;
    }

    /**
     * Records the request: a new erasure, or a finished one started again (the tenant may have been written to
     * since); one that is running is left as it is. Answers its progress.
     */
    public Progress request(String tenant, Instant now, long headPosition) {
        return transactions.fetchInTransaction(() -> {
            Optional<Progress> known = find(tenant);
            if (known.isPresent() && !known.get().done()) {
                return known.get();
            }
            String sql = known.isPresent()
                    ? "UPDATE TenantErasure SET done = 0, pass = 1, cursorId = NULL, seen = 0, erased = 0, passErased = 0, "
                    + "lastPosition = -1, startPosition = ?, requestedAt = ?, finishedAt = NULL, owner = NULL, "
                    + "heartbeat = 0 WHERE tenant = ?"
                    : "INSERT INTO TenantErasure (startPosition, requestedAt, tenant, done, pass, seen, erased, "
                    + "passErased, lastPosition, heartbeat) VALUES (?, ?, ?, 0, 1, 0, 0, 0, -1, 0)";
            update(sql, headPosition, now.toEpochMilli(), tenant);
            return find(tenant).orElseThrow();
        });
    }

    public Optional<Progress> find(String tenant) {
        List<Progress> found = query("SELECT " + COLUMNS + " FROM TenantErasure WHERE tenant = ?", tenant);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** The erasures not finished yet. */
    public List<Progress> running() {
        return query("SELECT " + COLUMNS + " FROM TenantErasure WHERE done = 0 ORDER BY requestedAt");
    }

    /**
     * Takes or renews this node's claim on a running erasure: false when another node holds a claim renewed within
     * {@link #CLAIM_TIMEOUT}.
     */
    public boolean claim(String tenant, String node, Instant now) {
        return update("UPDATE TenantErasure SET owner = ?, heartbeat = ? WHERE tenant = ? AND done = 0 "
                        + "AND (owner IS NULL OR owner = ? OR heartbeat < ?)",
                node, now.toEpochMilli(), tenant, node, now.minus(CLAIM_TIMEOUT).toEpochMilli()) == 1;
    }

    /** Records a page of documents done: the last id, how many were seen and erased, the last erasure's position. */
    public void advance(String tenant, String cursor, long seen, long erased, long lastPosition) {
        update("UPDATE TenantErasure SET cursorId = ?, seen = seen + ?, erased = erased + ?, "
                        + "passErased = passErased + ?, lastPosition = CASE WHEN lastPosition > ? THEN lastPosition "
                        + "ELSE ? END WHERE tenant = ?",
                cursor, seen, erased, erased, lastPosition, lastPosition, tenant);
    }

    /** Starts another pass over the tenant's documents, from the first id, at the log's head position. */
    public void nextPass(String tenant, long headPosition) {
        update("UPDATE TenantErasure SET pass = pass + 1, cursorId = NULL, passErased = 0, startPosition = ? "
                + "WHERE tenant = ?", headPosition, tenant);
    }

    public void finish(String tenant, Instant now) {
        update("UPDATE TenantErasure SET done = 1, finishedAt = ?, owner = NULL WHERE tenant = ?", now.toEpochMilli(),
                tenant);
    }

    private int update(String sql, Object... parameters) {
        return transactions.fetchInTransaction(() -> {
            try (Connection connection = transactions.connectionProvider().getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, parameters);
                return statement.executeUpdate();
            } catch (SQLException e) {
                throw new JdbcException("Cannot record the erasure of tenant " + parameters[parameters.length - 1], e);
            }
        });
    }

    private List<Progress> query(String sql, Object... parameters) {
        try (Connection connection = transactions.connectionProvider().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            List<Progress> rows = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    long finished = row.getLong(10);
                    boolean unfinished = row.wasNull() || finished == 0;
                    rows.add(new Progress(row.getString(1), row.getInt(2) == 1, row.getInt(3), row.getString(4),
                            row.getLong(5), row.getLong(6), row.getLong(7), row.getLong(8),
                            Instant.ofEpochMilli(row.getLong(9)), unfinished ? null : Instant.ofEpochMilli(finished),
                            row.getLong(11)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the tenant erasures", e);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] instanceof Long value) {
                statement.setLong(i + 1, value);
            } else {
                statement.setString(i + 1, (String) parameters[i]);
            }
        }
    }
}
