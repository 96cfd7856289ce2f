package io.vectorsync.cli.store;

import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.IndexVersionRecord;
import io.vectorsync.store.access.StoredKey;
import io.vectorsync.upcasters.JsonbSerializer;
import io.vectorsync.upcasters.Upcasters;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Small embedded stores made through the store's own APIs, and every row of a database, for comparing. */
final class SourceStores {

    static final List<String> TABLES = List.of("DomainEventEntry", "SnapshotEventEntry", "TokenEntry",
            "DeadLetterEntry", "IndexVersion", "ApiKey", "AuditRecord");

    static final Serializer SERIALIZER = JsonbSerializer.create();

    private SourceStores() {
    }

    /**
     * An embedded store with events (metadata, revisions, a gap of rolled-back indexes), a snapshot, tokens of two
     * processors, dead letters of two groups, index versions, keys (one revoked) and audit records.
     */
    static void create(Path dataDir, int documents) {
        try (EventStoreDatabase database = EventStoreDatabase.openH2(dataDir)) {
            EventStorageEngine engine = database.storageEngine(SERIALIZER, Upcasters.chain());
            for (int d = 0; d < documents; d++) {
                String id = "acme/doc-" + d;
                append(database, engine, event(id, 0, Map.of("traceId", "t-" + d, "user", "zoë ✓")), event(id, 1, Map.of()));
                if (d == documents / 2) {
                    // a rolled-back append takes global indexes nobody gets: the copy keeps the gap
                    Transaction transaction = database.transactionManager().startTransaction();
                    engine.appendEvents(event("acme/rolled-back", 0, Map.of()), event("acme/rolled-back", 1, Map.of()));
                    transaction.rollback();
                }
            }
            engine.storeSnapshot(event("acme/doc-0", 1, Map.of("snapshot", "yes")));

            TokenStore tokens = database.tokenStore(SERIALIZER, "node-1");
            database.transactionManager().executeInTransaction(() -> {
                tokens.initializeTokenSegments("vector-index", 2);
                tokens.storeToken(GapAwareTrackingToken.newInstance(2L * documents + 2, Set.of(1L)), "vector-index", 0);
                tokens.storeToken(GapAwareTrackingToken.newInstance(2L * documents + 2, Set.of()), "vector-index", 1);
                tokens.initializeTokenSegments("encoder", 1);
                tokens.storeToken(new GlobalSequenceTrackingToken(7), "encoder", 0);
            });
            database.transactionManager().executeInTransaction(() -> tokens.releaseClaim("vector-index", 1));

            SequencedDeadLetterQueue<EventMessage<?>> index = database.deadLetterQueue("vector-index", SERIALIZER);
            SequencedDeadLetterQueue<EventMessage<?>> encoder = database.deadLetterQueue("encoder", SERIALIZER);
            database.transactionManager().executeInTransaction(() -> {
                index.enqueue("acme/doc-1", new GenericDeadLetter<>("acme/doc-1", event("acme/doc-1", 0, Map.of()),
                        new IllegalStateException("no such space")));
                index.enqueue("acme/doc-1", new GenericDeadLetter<>("acme/doc-1", event("acme/doc-1", 1, Map.of())));
                encoder.enqueue("acme/doc-2", new GenericDeadLetter<>("acme/doc-2", event("acme/doc-2", 0, Map.of()),
                        new IllegalArgumentException("dimension 3, expected 4")));
            });

            Instant at = Instant.parse("2026-12-01T10:00:00Z");
            database.saveIndexVersions(List.of(new IndexVersionRecord("default", 1, "previous", "{}", at),
                    new IndexVersionRecord("default", 2, "live", "{\"efSearch\":100}", at.plusSeconds(60))));

            database.accessTables().insert(new StoredKey("0123456789abcdef", "cms ✓", "writer", List.of("acme", "globex"),
                    "ab".repeat(32), at, null, null, 5.5, null));
            database.accessTables().insert(new StoredKey("fedcba9876543210", "admin", "admin", List.of("*"),
                    "cd".repeat(32), at.plusSeconds(1), null, at.plusSeconds(86400), null, null));
            database.accessTables().lastUsed(Map.of("0123456789abcdef", at.plusSeconds(5)));
            database.accessTables().revoke("0123456789abcdef", at.plusSeconds(9));
            for (int i = 0; i < 5; i++) {
                database.accessTables().append(at.plusSeconds(i), i % 2 == 0 ? "fedcba9876543210" : null, "admin",
                        "replay", "processors/p" + i, "ok", 202);
            }
        }
    }

    static DomainEventMessage<?> event(String aggregate, long sequence, Map<String, ?> metadata) {
        String[] id = aggregate.split("/");
        return new GenericDomainEventMessage<>("Document", aggregate, sequence,
                new DocumentDeleted(id[0], id[1], "reason " + sequence)).andMetaData(metadata);
    }

    private static void append(EventStoreDatabase database, EventStorageEngine engine, EventMessage<?>... events) {
        database.transactionManager().executeInTransaction(() -> engine.appendEvents(events));
    }

    /** A plain connection to the embedded store of a data directory (none may have it open in another process). */
    static Connection h2(Path dataDir) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:retry:" + dataDir.toAbsolutePath().resolve("events").resolve("vectorsync"),
                "vectorsync", "");
    }

    /**
     * Every row of every given table, as comparable values (lower-case column names; binary as hex; numbers as
     * longs or doubles), ordered by the rows' printed form, so both databases' answers compare whatever their order.
     */
    static Map<String, List<Map<String, Object>>> rows(Connection connection, List<String> tables) throws SQLException {
        Map<String, List<Map<String, Object>>> all = new LinkedHashMap<>();
        for (String table : tables) {
            TreeMap<String, Map<String, Object>> sorted = new TreeMap<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new TreeMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), switch (value) {
                            case null -> null;
                            case byte[] bytes -> "0x" + HexFormat.of().formatHex(bytes);
                            case Integer n -> n.longValue();
                            case Short n -> n.longValue();
                            case Float f -> f.doubleValue();
                            default -> value;
                        });
                    }
                    sorted.put(row.toString(), row);
                }
            }
            all.put(table, new ArrayList<>(sorted.values()));
        }
        return all;
    }
}
