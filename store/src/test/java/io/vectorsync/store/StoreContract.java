package io.vectorsync.store;

import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.store.access.AuditRecord;
import io.vectorsync.store.access.StoredKey;
import io.vectorsync.upcasters.JsonbSerializer;
import io.vectorsync.upcasters.Upcasters;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every store must do, run against each database the store supports (H2 and PostgreSQL): the schema's
 * numbered steps, events in order with their positions, a concurrent write to one document as Axon's
 * {@link ConcurrencyException}, tokens and their claims, dead letters, the index-version registry, keys and audit.
 */
abstract class StoreContract {

    final Serializer serializer = JsonbSerializer.create();
    EventStoreDatabase database;

    /** A new, empty store. */
    abstract EventStoreDatabase open();

    /** The same store opened again (a restart). */
    abstract EventStoreDatabase reopen();

    @BeforeEach
    void openStore() {
        database = open();
    }

    @AfterEach
    void closeStore() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void theSchemaIsMigratedStepByStepOnceAndAReopenChangesNothing() throws Exception {
        assertThat(schemaVersions()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        database.close();
        database = reopen();
        assertThat(schemaVersions()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void theReportCountsTheEventsAndTheirBytesPerTypeAndTheSizeOnDisk() {
        EventStorageEngine engine = database.storageEngine(serializer, Upcasters.chain());
        append(engine, event("acme/a", 0), event("acme/a", 1), event("acme/b", 0));

        StoreReport report = database.report();

        assertThat(report.kind()).isEqualTo(database.dialect() == Dialect.H2 ? "h2" : "postgresql");
        assertThat(report.events()).isEqualTo(3);
        assertThat(report.eventTypes()).singleElement().satisfies(type -> {
            assertThat(type.type()).isEqualTo(DocumentDeleted.class.getName());
            assertThat(type.events()).isEqualTo(3);
            assertThat(type.payloadBytes()).isPositive();
            assertThat(type.bytesPerEvent()).isEqualTo((double) (type.payloadBytes() + type.metadataBytes()) / 3);
        });
        assertThat(report.sizeOnDiskBytes()).isPositive();
        assertThat(report.liveDataBytes()).isPositive().isLessThanOrEqualTo(report.sizeOnDiskBytes());
        if (database.dialect() == Dialect.POSTGRESQL) {
            assertThat(report.tables()).extracting(StoreReport.Table::name).contains("DomainEventEntry", "TokenEntry");
            assertThat(report.tables()).filteredOn(t -> t.name().equals("DomainEventEntry"))
                    .singleElement().satisfies(t -> assertThat(t.bytes()).isPositive());
        }
    }

    @Test
    void eventsAreReadInTheOrderTheyWereAppendedWithTheirPositions() {
        EventStorageEngine engine = database.storageEngine(serializer, Upcasters.chain());
        append(engine, event("acme/a", 0), event("acme/a", 1));
        append(engine, event("acme/b", 0));
        List<? extends TrackedEventMessage<?>> read = engine.readEvents(null, false).toList();
        assertThat(read).extracting(e -> ((DomainEventMessage<?>) e).getAggregateIdentifier() + "#"
                + ((DomainEventMessage<?>) e).getSequenceNumber()).containsExactly("acme/a#0", "acme/a#1", "acme/b#0");
        assertThat(read.getFirst().getPayload()).isEqualTo(new DocumentDeleted("acme", "a", "reason 0"));
        long last = position(read.getLast().trackingToken());
        assertThat(database.headPosition()).isEqualTo(last);
        assertThat(database.position("acme/b", 0)).hasValue(last);
        assertThat(database.positions("acme/a")).containsOnlyKeys(0L, 1L);
        assertThat(database.timestampAt(last)).isPresent();
        assertThat(engine.readEvents("acme/a").asStream().count()).isEqualTo(2);
    }

    @Test
    void aSecondEventWithTheSameSequenceNumberIsAConcurrencyConflict() {
        EventStorageEngine engine = database.storageEngine(serializer, Upcasters.chain());
        append(engine, event("acme/c", 0), event("acme/c", 1));
        assertThatThrownBy(() -> append(engine, event("acme/c", 1))).isInstanceOf(ConcurrencyException.class);
        // the first event of a document is its creation: Axon names that conflict apart
        assertThatThrownBy(() -> append(engine, event("acme/c", 0))).isInstanceOf(AggregateStreamCreationException.class);
        assertThat(engine.readEvents("acme/c").asStream().count()).isEqualTo(2);
    }

    @Test
    void nodesRecordThemselvesBeatAndLeave() {
        ClusterNodes nodes = database.clusterNodes();
        java.time.Instant start = java.time.Instant.parse("2026-12-07T10:00:00Z");
        nodes.beat(new ClusterNodes.Node("node-1", "projector", "10.0.0.1:8080", start, start));
        nodes.beat(new ClusterNodes.Node("node-2", "query", null, start, start));
        nodes.beat(new ClusterNodes.Node("node-1", "projector", "10.0.0.1:8080", start, start.plusSeconds(2)));

        assertThat(nodes.all()).containsExactly(
                new ClusterNodes.Node("node-1", "projector", "10.0.0.1:8080", start, start.plusSeconds(2)),
                new ClusterNodes.Node("node-2", "query", null, start, start));
        assertThat(ClusterMembership.live(nodes.all(), start.plusSeconds(11))).as("beaten within 10 s")
                .extracting(ClusterNodes.Node::id).containsExactly("node-1");
        nodes.leave("node-2");
        assertThat(nodes.all()).extracting(ClusterNodes.Node::id).containsExactly("node-1");
    }

    @Test
    void tokensAreStoredAndClaimedByOneNodeAtATime() {
        TokenStore first = database.tokenStore(serializer, "node-1");
        TokenStore second = database.tokenStore(serializer, "node-2");
        database.transactionManager().executeInTransaction(() -> first.initializeTokenSegments("group", 2));
        database.transactionManager().executeInTransaction(() -> {
            assertThat(first.fetchToken("group", 0)).isNull();
            first.storeToken(new GlobalSequenceTrackingToken(41), "group", 0);
        });
        assertThatThrownBy(() -> database.transactionManager().executeInTransaction(() -> second.fetchToken("group", 0)))
                .isInstanceOf(UnableToClaimTokenException.class);
        database.transactionManager().executeInTransaction(() -> first.releaseClaim("group", 0));
        TrackingToken token = database.transactionManager().fetchInTransaction(() -> second.fetchToken("group", 0));
        assertThat(token).isEqualTo(new GlobalSequenceTrackingToken(41));
        assertThat(database.segmentOwners("group")).containsEntry(0, "node-2");
        database.deleteTokens("group");
        assertThat(database.segmentOwners("group")).isEmpty();
    }

    @Test
    void deadLettersAreKeptPerGroupAndSequence() {
        SequencedDeadLetterQueue<EventMessage<?>> queue = database.deadLetterQueue("vector-index", serializer);
        SequencedDeadLetterQueue<EventMessage<?>> other = database.deadLetterQueue("encoder", serializer);
        EventMessage<?> event = event("acme/d", 0);
        database.transactionManager().executeInTransaction(() -> queue.enqueue("acme/d",
                new GenericDeadLetter<>("acme/d", event, new IllegalStateException("no such space"))));
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.contains("acme/d")).isTrue();
        assertThat(other.size()).isZero();
        List<String> causes = new ArrayList<>();
        queue.deadLetters().forEach(sequence -> sequence.forEach(letter -> causes.add(letter.cause().orElseThrow().message())));
        assertThat(causes).containsExactly("no such space");
    }

    @Test
    void indexVersionsAreUpsertedAndDeleted() {
        Instant at = Instant.parse("2026-12-01T00:00:00Z");
        database.saveIndexVersions(List.of(new IndexVersionRecord("default", 2, "building", "{}", at)));
        database.saveIndexVersions(List.of(new IndexVersionRecord("default", 2, "live", "{\"efSearch\":100}", at),
                new IndexVersionRecord("default", 1, "previous", "{}", at)));
        assertThat(database.indexVersions()).containsExactly(
                new IndexVersionRecord("default", 1, "previous", "{}", at),
                new IndexVersionRecord("default", 2, "live", "{\"efSearch\":100}", at));
        database.deleteIndexVersion("default", 1, "index-default-v1");
        assertThat(database.indexVersions()).extracting(IndexVersionRecord::version).containsExactly(2);
    }

    @Test
    void keysAndAuditRecordsAreKeptDurably() {
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        database.accessTables().insert(new StoredKey("0123456789abcdef", "cms", "writer", List.of("acme", "globex"),
                "ab".repeat(32), at, null, null, 5.0, null));
        database.accessTables().lastUsed(Map.of("0123456789abcdef", at.plusSeconds(5)));
        assertThat(database.accessTables().revoke("0123456789abcdef", at.plusSeconds(9))).isTrue();
        assertThat(database.accessTables().revoke("0123456789abcdef", at.plusSeconds(10))).isFalse();
        for (int i = 0; i < 3; i++) {
            database.accessTables().append(at.plusSeconds(i), "0123456789abcdef", "cms", "replay", "processors/p" + i,
                    "ok", 202);
        }
        database.close();
        database = reopen();
        StoredKey key = database.accessTables().keys().getFirst();
        assertThat(key.tenants()).containsExactly("acme", "globex");
        assertThat(key.lastUsedAt()).isEqualTo(at.plusSeconds(5));
        assertThat(key.revokedAt()).isEqualTo(at.plusSeconds(9));
        assertThat(key.ratePerSecond()).isEqualTo(5.0);
        List<AuditRecord> newest = database.accessTables().audit(2, null);
        assertThat(newest).extracting(AuditRecord::target).containsExactly("processors/p2", "processors/p1");
        assertThat(database.accessTables().audit(2, newest.getLast().id())).extracting(AuditRecord::target)
                .containsExactly("processors/p0");
    }

    // --- helpers

    static DomainEventMessage<?> event(String aggregate, long sequence) {
        String[] id = aggregate.split("/");
        return new GenericDomainEventMessage<>("Document", aggregate, sequence,
                new DocumentDeleted(id[0], id[1], "reason " + sequence));
    }

    void append(EventStorageEngine engine, EventMessage<?>... events) {
        database.transactionManager().executeInTransaction(() -> engine.appendEvents(events));
    }

    static long position(TrackingToken token) {
        return token.position().orElseThrow();
    }

    List<Integer> schemaVersions() throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT version FROM SchemaVersion ORDER BY version")) {
            List<Integer> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
            return versions.stream().collect(Collectors.toList());
        }
    }
}
