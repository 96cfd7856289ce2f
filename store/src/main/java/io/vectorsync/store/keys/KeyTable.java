package io.vectorsync.store.keys;

import io.vectorsync.crypto.ContentCipher;
import io.vectorsync.store.JdbcTransactionManager;
import org.axonframework.common.jdbc.JdbcException;

import javax.crypto.SecretKey;
import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * The documents' data keys on PostgreSQL, in the table {@code DocumentKey} of the shared store, written in the same
 * transaction as the events sealed with them (so every node sees a key the moment its events exist). A destroyed key
 * is set to NULL in its row, which leaves the old row version in the table's pages until {@link #shred} runs
 * {@code VACUUM FULL DocumentKey}: PostgreSQL rewrites the table and its index into new files and removes the old
 * ones. Copies in the write-ahead log, in WAL archives and in backups remain until those are recycled: their
 * retention is part of the erasure's horizon.
 */
public final class KeyTable implements DataKeys {

    private static final char SEPARATOR = '\u0000';

    private final JdbcTransactionManager transactions;
    private final DataSource dataSource;
    private final MasterKey master;
    /**
     * Keys read lately ("tenant\0document\0generation"), so that a replay does not read and unwrap a document's key
     * once per event. An entry lives {@link #CACHED_FOR} at most: another node's erasure reaches this one within it
     * (this node's own at once). Bounded: emptied when it passes {@link #CACHED_KEYS}.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Cached> recent = new java.util.concurrent.ConcurrentHashMap<>();
    static final long CACHED_FOR = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    private static final int CACHED_KEYS = 8192;

    private record Cached(SecretKey key, long until) {
    }

    public KeyTable(JdbcTransactionManager transactions, DataSource dataSource, MasterKey master) {
        this.transactions = transactions;
        this.dataSource = dataSource;
        this.master = master;
    }

    @Override
    public DataKey current(String tenant, String documentId) {
        return transactions.fetchInTransaction(() -> {
            try (Connection connection = connection()) {
                for (int attempt = 0; ; attempt++) {
                    long last = 0;
                    try (PreparedStatement select = connection.prepareStatement("SELECT generation, wrappedKey FROM "
                            + "DocumentKey WHERE tenant = ? AND documentId = ? ORDER BY generation DESC LIMIT 1")) {
                        select.setString(1, tenant);
                        select.setString(2, documentId);
                        try (ResultSet row = select.executeQuery()) {
                            if (row.next()) {
                                last = row.getLong(1);
                                byte[] wrapped = row.getBytes(2);
                                if (wrapped != null) {
                                    return new DataKey(last, master.unwrap(wrapped, owner(tenant, documentId, last)));
                                }
                            }
                        }
                    }
                    SecretKey key = ContentCipher.newKey();
                    long next = last + 1;
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO DocumentKey (tenant, "
                            + "documentId, generation, wrappedKey, createdAt) VALUES (?, ?, ?, ?, ?) "
                            + "ON CONFLICT DO NOTHING")) {
                        insert.setString(1, tenant);
                        insert.setString(2, documentId);
                        insert.setLong(3, next);
                        insert.setBytes(4, master.wrap(key, owner(tenant, documentId, next)));
                        insert.setLong(5, System.currentTimeMillis());
                        if (insert.executeUpdate() == 1) {
                            return new DataKey(next, key);
                        }
                    }
                    if (attempt == 3) { // another node made it each time: theirs is the key, read it next round
                        throw new IllegalStateException("could not make or read the key of " + tenant + "/" + documentId);
                    }
                }
            } catch (SQLException e) {
                throw new JdbcException("Cannot read or make the key of " + tenant + "/" + documentId, e);
            }
        });
    }

    @Override
    public Optional<SecretKey> find(String tenant, String documentId, long generation) {
        String id = tenant + SEPARATOR + documentId + SEPARATOR + generation;
        long now = System.nanoTime();
        Cached cached = recent.get(id);
        if (cached != null && cached.until() - now > 0) {
            return Optional.of(cached.key());
        }
        Optional<SecretKey> key = read(tenant, documentId, generation);
        if (key.isPresent()) {
            if (recent.size() >= CACHED_KEYS) {
                recent.clear();
            }
            recent.put(id, new Cached(key.get(), now + CACHED_FOR));
        } else {
            recent.remove(id);
        }
        return key;
    }

    private Optional<SecretKey> read(String tenant, String documentId, long generation) {
        try (Connection connection = connection();
             PreparedStatement select = connection.prepareStatement("SELECT wrappedKey FROM DocumentKey "
                     + "WHERE tenant = ? AND documentId = ? AND generation = ?")) {
            select.setString(1, tenant);
            select.setString(2, documentId);
            select.setLong(3, generation);
            try (ResultSet row = select.executeQuery()) {
                byte[] wrapped = row.next() ? row.getBytes(1) : null;
                return wrapped == null ? Optional.empty()
                        : Optional.of(master.unwrap(wrapped, owner(tenant, documentId, generation)));
            }
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the key of " + tenant + "/" + documentId, e);
        }
    }

    @Override
    public void destroy(String tenant, String documentId) {
        String prefix = tenant + SEPARATOR + documentId + SEPARATOR;
        recent.keySet().removeIf(id -> id.startsWith(prefix));
        update("UPDATE DocumentKey SET wrappedKey = NULL WHERE tenant = ? AND documentId = ? AND wrappedKey IS NOT NULL",
                tenant, documentId);
    }

    @Override
    public int destroyTenant(String tenant) {
        String prefix = tenant + SEPARATOR;
        recent.keySet().removeIf(id -> id.startsWith(prefix));
        return update("UPDATE DocumentKey SET wrappedKey = NULL WHERE tenant = ? AND wrappedKey IS NOT NULL", tenant);
    }

    private int update(String sql, String... parameters) {
        return transactions.fetchInTransaction(() -> {
            try (Connection connection = connection();
                 PreparedStatement update = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    update.setString(i + 1, parameters[i]);
                }
                return update.executeUpdate();
            } catch (SQLException e) {
                throw new JdbcException("Cannot destroy keys of " + String.join("/", parameters), e);
            }
        });
    }

    /**
     * Stores keys exported from another store's key file as they are (wrapped by the same master key); answers how
     * many rows were written. {@code store migrate} calls it on a new, empty store.
     */
    public static int insertWrapped(DataSource dataSource, List<WrappedKey> keys) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO DocumentKey (tenant, documentId, "
                     + "generation, wrappedKey, createdAt) VALUES (?, ?, ?, ?, ?)")) {
            connection.setAutoCommit(false);
            long now = System.currentTimeMillis();
            for (WrappedKey key : keys) {
                insert.setString(1, key.tenant());
                insert.setString(2, key.documentId());
                insert.setLong(3, key.generation());
                insert.setBytes(4, key.wrapped());
                insert.setLong(5, now);
                insert.addBatch();
            }
            int written = 0;
            for (int count : insert.executeBatch()) {
                written += count == Statement.SUCCESS_NO_INFO ? 1 : count;
            }
            connection.commit();
            return written;
        } catch (SQLException e) {
            throw new JdbcException("Cannot store the exported data keys", e);
        }
    }

    @Override
    public void flush() {
        // written in the transaction of the events sealed with them
    }

    /** {@code VACUUM FULL DocumentKey}: the table and its index rewritten into new files, the old ones removed. */
    @Override
    public void shred() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true); // VACUUM runs outside a transaction
            try (Statement vacuum = connection.createStatement()) {
                vacuum.execute("VACUUM FULL DocumentKey");
            }
        } catch (SQLException e) {
            throw new JdbcException("Cannot rewrite the key table (VACUUM FULL DocumentKey)", e);
        }
    }

    @Override
    public void close() {
        // the store's pool is the store's
    }

    private Connection connection() throws SQLException {
        return transactions.connectionProvider().getConnection();
    }

    private static byte[] owner(String tenant, String documentId, long generation) {
        return (tenant + SEPARATOR + documentId + SEPARATOR + generation).getBytes(StandardCharsets.UTF_8);
    }
}
