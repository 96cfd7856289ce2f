package io.vectorsync.store.keys;

import io.vectorsync.crypto.ContentKeys;
import io.vectorsync.crypto.ContentSeal;
import io.vectorsync.domain.ContentBearing;
import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.DocumentRestored;
import io.vectorsync.json.Json;
import io.vectorsync.store.Dialect;
import io.vectorsync.store.EventStoreDatabase;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.axonframework.common.jdbc.JdbcException;

import javax.crypto.SecretKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * {@code store encrypt} (issue 21): seals the content of events stored before sealing was switched on, in place —
 * in the event table and the dead-letter queues — page by page in the order of their global index, each page in a
 * transaction with the keys it made. Events already sealed are left alone, so a pass cut short resumes by running
 * again. An event of a document erased since (its log holds a {@link DocumentErased} after it) is sealed under a key
 * that is never stored: its content reads as erased, as it should have. At the end the database is rewritten whole
 * (H2: {@code SHUTDOWN COMPACT} on close; PostgreSQL: {@code VACUUM FULL} of both tables), so the plaintext does not
 * stay in free pages. The store must not be in use meanwhile.
 */
public final class StoredEventSealing {

    /** What a pass did. */
    public record Outcome(long events, long sealed, long alreadySealed, long ofErasedDocuments) {
    }

    /** The events that carry content (each a {@link ContentBearing}), by the type name the store records. */
    private static final List<String> CONTENT_BEARING = Stream.<Class<? extends ContentBearing>>of(
                    DocumentCreated.class, DocumentContentRevised.class, DocumentMetadataChanged.class,
                    DocumentEmbedded.class, DocumentRestored.class, DocumentDeleted.class)
            .map(Class::getName).toList();
    /** Never a real key's generation (they start at 1): what an erased document's old events are sealed under. */
    private static final long ERASED_GENERATION = 0;

    private final EventStoreDatabase database;
    private final DataKeys keys;
    private final int page;

    public StoredEventSealing(EventStoreDatabase database, DataKeys keys, int page) {
        this.database = database;
        this.keys = keys;
        this.page = page;
    }

    /** How many stored events may carry content (sealed or not), for progress. */
    public long candidates() {
        return count("DomainEventEntry") + count("DeadLetterEntry");
    }

    /** Seals what is unsealed; {@code progress} hears of each event examined. */
    public Outcome sealAll(LongConsumer progress) {
        Map<String, Long> erasedAt = erasures();
        long[] totals = new long[4];
        org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema letters =
                org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema.defaultSchema();
        for (String table : List.of("DomainEventEntry", letters.deadLetterTable())) {
            String order = table.equals("DomainEventEntry") ? "globalIndex" : letters.deadLetterIdentifierColumn();
            String after = null;
            while (true) {
                Page done = sealPage(table, order, after, erasedAt);
                if (done.rows() == 0) {
                    break;
                }
                totals[0] += done.rows();
                totals[1] += done.sealed();
                totals[2] += done.alreadySealed();
                totals[3] += done.erased();
                progress.accept(done.rows());
                after = done.last();
            }
        }
        return new Outcome(totals[0], totals[1], totals[2], totals[3]);
    }

    /** Rewrites the tables whole (PostgreSQL), so that the plaintext is not left in free pages; H2 compacts on close. */
    public void rewrite() {
        if (database.dialect() != Dialect.POSTGRESQL) {
            return; // EventStoreDatabase.closeCompacted rewrites the H2 file
        }
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(true);
            try (Statement vacuum = connection.createStatement()) {
                vacuum.execute("VACUUM FULL DomainEventEntry");
                vacuum.execute("VACUUM FULL DeadLetterEntry");
            }
        } catch (SQLException e) {
            throw new JdbcException("Cannot rewrite the event tables (VACUUM FULL)", e);
        }
    }

    private record Page(int rows, long sealed, long alreadySealed, long erased, String last) {
    }

    private Page sealPage(String table, String order, String after, Map<String, Long> erasedAt) {
        return database.transactionManager().fetchInTransaction(() -> {
            ContentSeal seal = new ContentSeal(keys, Json.provider());
            ContentSeal shred = new ContentSeal(THROWAWAY, Json.provider());
            String types = String.join(",", CONTENT_BEARING.stream().map(t -> "?").toList());
            String sql = "SELECT " + order + ", payload, aggregateIdentifier, sequenceNumber FROM " + table
                    + " WHERE payloadType IN (" + types + ")" + (after == null ? "" : " AND " + order + " > ?")
                    + " ORDER BY " + order + " LIMIT " + page;
            int rows = 0;
            long sealed = 0;
            long already = 0;
            long erased = 0;
            String last = null;
            try (Connection connection = database.transactionManager().connectionProvider().getConnection();
                 PreparedStatement select = connection.prepareStatement(sql);
                 PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET payload = ? WHERE "
                         + order + " = ?")) {
                int i = 1;
                for (String type : CONTENT_BEARING) {
                    select.setString(i++, type);
                }
                if (after != null) {
                    if (order.equals("globalIndex")) {
                        select.setLong(i, Long.parseLong(after));
                    } else {
                        select.setString(i, after);
                    }
                }
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows++;
                        last = row.getString(1);
                        String stored = new String(row.getBytes(2), StandardCharsets.UTF_8);
                        if (ContentSeal.maybeSealed(stored)) {
                            already++;
                            continue;
                        }
                        JsonObject event;
                        try (JsonReader reader = Json.provider().createReader(new ByteArrayInputStream(row.getBytes(2)))) {
                            event = reader.readObject();
                        }
                        Long erasure = erasedAt.get(row.getString(3));
                        long sequence = row.getLong(4);
                        boolean beforeErasure = erasure != null && (row.wasNull() || sequence < erasure);
                        erased += beforeErasure ? 1 : 0;
                        byte[] sealedPayload = (beforeErasure ? shred : seal).seal(event).toString()
                                .getBytes(StandardCharsets.UTF_8);
                        update.setBytes(1, sealedPayload);
                        if (order.equals("globalIndex")) {
                            update.setLong(2, Long.parseLong(last));
                        } else {
                            update.setString(2, last);
                        }
                        update.addBatch();
                        sealed++;
                    }
                }
                if (sealed > 0) {
                    update.executeBatch();
                }
            } catch (SQLException e) {
                throw new JdbcException("Cannot seal the events of " + table, e);
            }
            keys.flush(); // before the page commits (the transaction's own before-commit actions do it too)
            return new Page(rows, sealed, already, erased, last);
        });
    }

    /** Each erased document's erasure: its aggregate id → the sequence number of its last {@link DocumentErased}. */
    private Map<String, Long> erasures() {
        Map<String, Long> erased = new HashMap<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT aggregateIdentifier, MAX(sequenceNumber) "
                     + "FROM DomainEventEntry WHERE payloadType = ? GROUP BY aggregateIdentifier")) {
            select.setString(1, DocumentErased.class.getName());
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    erased.put(row.getString(1), row.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the erasures", e);
        }
        return erased;
    }

    private long count(String table) {
        String types = String.join(",", CONTENT_BEARING.stream().map(t -> "?").toList());
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM " + table
                     + " WHERE payloadType IN (" + types + ")")) {
            for (int i = 0; i < CONTENT_BEARING.size(); i++) {
                select.setString(i + 1, CONTENT_BEARING.get(i));
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new JdbcException("Cannot count the events of " + table, e);
        }
    }

    /** A key of a generation no key store ever holds, made for one event and dropped: it reads as erased. */
    private static final ContentKeys THROWAWAY = new ContentKeys() {
        @Override
        public DataKey current(String tenant, String documentId) {
            return new DataKey(ERASED_GENERATION, io.vectorsync.crypto.ContentCipher.newKey());
        }

        @Override
        public Optional<SecretKey> find(String tenant, String documentId, long generation) {
            return Optional.empty();
        }
    };
}
