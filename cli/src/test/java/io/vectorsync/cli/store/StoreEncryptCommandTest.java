package io.vectorsync.cli.store;

import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.keys.DataKeys;
import io.vectorsync.store.keys.StoreMasterKey;
import io.vectorsync.upcasters.JsonbSerializer;
import io.vectorsync.upcasters.Upcasters;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.vectorsync.cli.store.StoreMigrateCommandTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vectorsync store encrypt} (issue 21) on an embedded store written before sealing: afterwards no byte of the
 * content is in the store's files, the kept documents read as before through the sealing serializer, a document
 * erased before sealing reads as erased, and a second run finds nothing to do.
 */
class StoreEncryptCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void sealsWhatWasStoredPlainAndLeavesNoPlaintextInTheFile() throws Exception {
        try (EventStoreDatabase database = EventStoreDatabase.openH2(dataDir)) {
            EventStorageEngine engine = database.storageEngine(JsonbSerializer.create(), Upcasters.chain());
            append(database, engine, event("acme/kept", 0, new DocumentCreated("acme", "kept", "zqkepttitle",
                            "The zqkeptbody text", Map.of("owner", "zqkeptmeta"), null, "h1")),
                    event("acme/gone", 0, new DocumentCreated("acme", "gone", "T", "The zqgonebody text", Map.of(),
                            null, "h2")),
                    event("acme/kept", 1, new DocumentMetadataChanged("acme", "kept", Map.of("owner", "zqkeptmeta2"))),
                    event("acme/gone", 1, new DocumentErased("acme", "gone")));
            var letters = database.deadLetterQueue("vector-index", JsonbSerializer.create());
            database.transactionManager().executeInTransaction(() -> letters.enqueue("acme/kept",
                    new GenericDeadLetter<>("acme/kept", event("acme/kept", 1, new DocumentMetadataChanged("acme",
                            "kept", Map.of("owner", "zqkeptmeta2"))), new IllegalStateException("test"))));
        }
        assertThat(scan()).as("the plain store holds the text, as the scan shows").contains("zqkeptbody", "zqgonebody");

        StoreMigrateCommandTest.Cli run = cli("store", "encrypt", "--data-dir", dataDir.toString());

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Sealed 4 events (1 of documents erased since", "0 were sealed already",
                "rewritten whole");
        assertThat(scan()).as("no plaintext left in the store's files").isEmpty();

        try (EventStoreDatabase database = EventStoreDatabase.openH2(dataDir);
             DataKeys keys = database.dataKeys(StoreMasterKey.resolve(database, null, null), dataDir)) {
            EventStorageEngine engine = database.storageEngine(JsonbSerializer.sealing(keys), Upcasters.chain());
            List<Object> kept = engine.readEvents("acme/kept").asStream().map(DomainEventMessage::getPayload)
                    .map(Object.class::cast).toList();
            assertThat(kept).containsExactly(new DocumentCreated("acme", "kept", "zqkepttitle", "The zqkeptbody text",
                    Map.of("owner", "zqkeptmeta"), null, "h1"),
                    new DocumentMetadataChanged("acme", "kept", Map.of("owner", "zqkeptmeta2")));
            DocumentCreated gone = (DocumentCreated) engine.readEvents("acme/gone").asStream().findFirst()
                    .orElseThrow().getPayload();
            assertThat(gone.contentErased()).as("erased before sealing: reads as erased").isTrue();
            var letters = database.deadLetterQueue("vector-index", JsonbSerializer.sealing(keys));
            assertThat(letters.deadLetterSequence("acme/kept").iterator().next().message().getPayload())
                    .isEqualTo(new DocumentMetadataChanged("acme", "kept", Map.of("owner", "zqkeptmeta2")));
        }

        StoreMigrateCommandTest.Cli again = cli("store", "encrypt", "--data-dir", dataDir.toString());
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).contains("Sealed 0 events", "4 were sealed already");
    }

    @Test
    void aDirectoryWithoutAStoreIsRefused() {
        StoreMigrateCommandTest.Cli run = cli("store", "encrypt", "--data-dir", dataDir.resolve("nothing").toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("no embedded store");
    }

    /** The markers found in the store's files. */
    private List<String> scan() throws Exception {
        List<String> markers = List.of("zqkepttitle", "zqkeptbody", "zqkeptmeta", "zqgonebody");
        try (Stream<Path> files = Files.walk(dataDir.resolve("events"))) {
            List<byte[]> contents = files.filter(Files::isRegularFile).map(file -> {
                try {
                    return Files.readAllBytes(file);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            return markers.stream().filter(marker -> contents.stream().anyMatch(content ->
                    new String(content, StandardCharsets.ISO_8859_1).contains(marker))).toList();
        }
    }

    private static DomainEventMessage<?> event(String aggregate, long sequence, Object payload) {
        return new GenericDomainEventMessage<>("Document", aggregate, sequence, payload);
    }

    private static void append(EventStoreDatabase database, EventStorageEngine engine, EventMessage<?>... events) {
        database.transactionManager().executeInTransaction(() -> engine.appendEvents(events));
    }
}
