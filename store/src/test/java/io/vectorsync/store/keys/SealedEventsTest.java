package io.vectorsync.store.keys;

import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.upcasters.JsonbSerializer;
import io.vectorsync.upcasters.Upcasters;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events through the real embedded store with the sealing serializer and the key file: the content never reaches
 * the disk in the clear, reads give the events back, and once a document's key is destroyed and shredded its events
 * read without content while the others stay intact.
 */
class SealedEventsTest {

    @TempDir
    Path dataDir;

    @Test
    void contentIsSealedOnDiskAndAnErasedDocumentReadsWithoutIt() throws Exception {
        DocumentCreated jane = new DocumentCreated("acme", "jane", "Jane Quillfeather", "Jane Quillfeather's ticket",
                Map.of("customer", "Jane Quillfeather"), "crm", "hash-1");
        DocumentCreated kept = new DocumentCreated("acme", "kept", "Bartholomew Ostrander", "Kept text",
                Map.of(), "crm", "hash-2");
        byte[] janesKey;
        try (EventStoreDatabase database = EventStoreDatabase.openH2(dataDir);
             DataKeys keys = database.dataKeys(MasterKey.resolve(null, null, dataDir), dataDir)) {
            EventStorageEngine engine = database.storageEngine(JsonbSerializer.sealing(keys), Upcasters.chain());
            database.transactionManager().executeInTransaction(() -> {
                engine.appendEvents(event("acme/jane", jane), event("acme/kept", kept));
                keys.flush(); // the keys are on disk before the events commit
            });
            assertThat(payloads(engine)).containsExactly(jane, kept);
            janesKey = ((KeyFile) keys).wrapped("acme", "jane", 1).orElseThrow();
        }
        assertThat(filesContaining(dataDir, "Quillfeather".getBytes(StandardCharsets.UTF_8)))
                .as("no content in the clear anywhere under the data directory").isEmpty();
        assertThat(filesContaining(dataDir, "Ostrander".getBytes(StandardCharsets.UTF_8))).isEmpty();

        try (EventStoreDatabase database = EventStoreDatabase.openH2(dataDir);
             DataKeys keys = database.dataKeys(MasterKey.resolve(null, null, dataDir), dataDir)) {
            keys.destroy("acme", "jane");
            keys.shred();
            EventStorageEngine engine = database.storageEngine(JsonbSerializer.sealing(keys), Upcasters.chain());
            assertThat(payloads(engine)).containsExactly(
                    new DocumentCreated("acme", "jane", null, null, null, null, null), kept);
        }
        assertThat(filesContaining(dataDir, janesKey)).as("the destroyed key, anywhere under the data directory")
                .isEmpty();
    }

    private static DomainEventMessage<?> event(String aggregate, Object payload) {
        return new GenericDomainEventMessage<>("Document", aggregate, 0, payload);
    }

    private static List<Object> payloads(EventStorageEngine engine) {
        return engine.readEvents(null, false).map(e -> (Object) e.getPayload()).toList();
    }

    private static List<Path> filesContaining(Path dir, byte[] needle) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> Bytes.countIn(List.of(file), List.of(needle)) > 0).toList();
        }
    }
}
