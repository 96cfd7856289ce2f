package io.vectorsync.app.erasure;

import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.upcasters.JsonbSerializer;
import io.vectorsync.upcasters.Upcasters;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An erasure destroys its document's keys where it stands among the events of its transaction (issue 21): what came
 * before it in the same transaction is erased with it, what comes after it (the document written again) is not.
 */
class ErasingStorageEngineTest {

    @TempDir
    Path dataDir;

    @Test
    void eventsBeforeAnErasureInItsTransactionAreErasedAndThoseAfterItAreNot() {
        try (EventStoreDatabase database = EventStoreDatabase.openH2(dataDir);
             DocumentKeys keys = DocumentKeys.open(database, null, null, dataDir, false)) {
            EventStorageEngine storage = keys.erasing(database.storageEngine(JsonbSerializer.sealing(keys.keys()),
                    Upcasters.chain()));
            database.transactionManager().executeInTransaction(() -> storage.appendEvents(
                    event(0, new DocumentCreated("acme", "x", "T", "first text", Map.of(), null, "h1")),
                    event(1, new DocumentContentRevised("acme", "x", "T", "revised in the erasure's transaction", null,
                            "h2")),
                    event(2, new DocumentErased("acme", "x")),
                    event(3, new DocumentCreated("acme", "x", "T", "written again", Map.of(), null, "h3"))));
            database.transactionManager().executeInTransaction(() -> storage.appendEvents(
                    event(0, new DocumentCreated("acme", "y", "T", "another document", Map.of(), null, "h4"))));

            List<Object> x = storage.readEvents("acme/x").asStream().map(DomainEventMessage::getPayload)
                    .map(Object.class::cast).toList();
            assertThat(((DocumentCreated) x.get(0)).contentErased()).isTrue();
            assertThat(((DocumentContentRevised) x.get(1)).contentErased()).as("before the erasure, same transaction")
                    .isTrue();
            assertThat(x.get(2)).isEqualTo(new DocumentErased("acme", "x"));
            assertThat(((DocumentCreated) x.get(3)).body()).as("after it: a new document").isEqualTo("written again");
            assertThat(((DocumentCreated) storage.readEvents("acme/y").next().getPayload()).body())
                    .isEqualTo("another document");
        }
    }

    private static DomainEventMessage<?> event(long sequence, Object payload) {
        String aggregate = payload instanceof DocumentErased e ? e.tenant() + "/" + e.documentId()
                : payload instanceof io.vectorsync.domain.ContentBearing c ? c.tenant() + "/" + c.documentId() : "?";
        return new GenericDomainEventMessage<>("Document", aggregate, sequence, payload);
    }
}
