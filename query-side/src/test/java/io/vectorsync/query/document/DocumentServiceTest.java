package io.vectorsync.query.document;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EmbeddingProvenance;
import io.vectorsync.query.HttpJson;
import io.vectorsync.command.api.Problems;
import jakarta.json.JsonObject;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The document resource over HTTP (in memory), reading Axon's real event store with its in-memory engine. */
@RoutingTest
class DocumentServiceTest {

    private static final EmbeddedEventStore STORE = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine())
            .build();
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final ChunkerSettings CHUNKER = new ChunkerSettings("sentences", 256, 32);

    private final DirectClient client;

    DocumentServiceTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        Problems.register(routing).register("/v1/tenants", new DocumentService(STORE));
    }

    @AfterAll
    static void shutDown() {
        STORE.shutDown();
    }

    @Test
    void returnsTheDocumentFoldedFromItsEvents() {
        append("acme", "kb-1",
                new DocumentCreated("acme", "kb-1", "Reset", "How to reset", Map.of("lang", "en"), "cms", "h1"),
                embedded("acme", "kb-1", 1),
                new DocumentContentRevised("acme", "kb-1", "Reset v2", "How to reset, again", "cms", "h2"),
                embedded("acme", "kb-1", 3),
                new DocumentMetadataChanged("acme", "kb-1",
                        Map.of("lang", "en", "year", new BigDecimal("2026"), "tags", List.of("howto", "account"))));

        HttpJson response = get("/v1/tenants/acme/documents/kb-1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        JsonObject doc = response.body();
        assertThat(doc.getString("tenant")).isEqualTo("acme");
        assertThat(doc.getString("documentId")).isEqualTo("kb-1");
        assertThat(doc.getString("title")).isEqualTo("Reset v2");
        assertThat(doc.getString("body")).isEqualTo("How to reset, again");
        assertThat(doc.getString("source")).isEqualTo("cms");
        assertThat(doc.getJsonObject("metadata").getJsonNumber("year").intValue()).isEqualTo(2026);
        assertThat(doc.getJsonObject("metadata").getJsonArray("tags").getString(1)).isEqualTo("account");
        assertThat(doc.getInt("version")).isEqualTo(5);
        assertThat(doc.getBoolean("deleted")).isFalse();
        assertThat(doc.getInt("contentRevision")).isEqualTo(3);
        assertThat(doc.getString("lastModified")).isEqualTo("2026-01-05T10:00:04Z");
        assertThat(doc.getString("embeddingStatus")).isEqualTo("embedded");
        JsonObject embedding = doc.getJsonArray("embeddings").getJsonObject(0);
        assertThat(doc.getJsonArray("embeddings")).hasSize(1);
        assertThat(embedding.getString("space")).isEqualTo("default");
        assertThat(embedding.getString("model")).isEqualTo("all-minilm-l6-v2");
        assertThat(embedding.getInt("dimension")).isEqualTo(3);
        assertThat(embedding.getInt("contentRevision")).isEqualTo(3);
        assertThat(embedding.getInt("chunks")).isEqualTo(2);
        assertThat(embedding.getJsonObject("chunker").getString("name")).isEqualTo("sentences");
        assertThat(embedding.getJsonObject("chunker").getInt("maxTokens")).isEqualTo(256);
        assertThat(embedding.getJsonObject("chunker").getInt("overlapTokens")).isEqualTo(32);
        assertThat(embedding.getBoolean("current")).isTrue();
    }

    @Test
    void aDocumentWhoseNewContentIsNotEmbeddedYetIsPending() {
        append("acme", "kb-2",
                new DocumentCreated("acme", "kb-2", "A", "a", Map.of(), null, "h1"),
                embedded("acme", "kb-2", 1),
                new DocumentContentRevised("acme", "kb-2", "B", "b", null, "h2"));

        JsonObject doc = get("/v1/tenants/acme/documents/kb-2").body();

        assertThat(doc.getString("embeddingStatus")).isEqualTo("pending");
        assertThat(doc.getJsonArray("embeddings").getJsonObject(0).getBoolean("current")).isFalse();
        assertThat(doc.isNull("source")).isTrue();
    }

    @Test
    void aDeletedDocumentIsStillReturned() {
        append("acme", "kb-3",
                new DocumentCreated("acme", "kb-3", "A", "a", Map.of(), null, "h1"),
                new DocumentDeleted("acme", "kb-3", "retired"));

        HttpJson response = get("/v1/tenants/acme/documents/kb-3");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().getBoolean("deleted")).isTrue();
        assertThat(response.body().getString("embeddingStatus")).isEqualTo("none");
        assertThat(response.body().getInt("version")).isEqualTo(2);
    }

    @Test
    void anUnknownDocumentIs404() {
        HttpJson response = get("/v1/tenants/acme/documents/never-written");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body().getString("detail")).isEqualTo("document 'never-written' of tenant 'acme' does not exist");
    }

    @Test
    void anotherTenantsDocumentIsNotFound() {
        append("acme", "kb-4", new DocumentCreated("acme", "kb-4", "A", "a", Map.of(), null, "h1"));

        assertThat(get("/v1/tenants/globex/documents/kb-4").status()).isEqualTo(404);
        assertThat(get("/v1/tenants/globex/documents/kb-4/history").status()).isEqualTo(404);
    }

    @Test
    void malformedIdsAre400NamingTheField() {
        HttpJson badTenant = get("/v1/tenants/ACME/documents/kb-1");
        HttpJson badDocument = get("/v1/tenants/acme/documents/kb%201");

        assertThat(badTenant.status()).isEqualTo(400);
        assertThat(badTenant.body().getString("field")).isEqualTo("tenant");
        assertThat(badDocument.status()).isEqualTo(400);
        assertThat(badDocument.body().getString("field")).isEqualTo("documentId");
    }

    @Test
    void aSnapshotOfTheAggregateDoesNotReplaceTheEvents() {
        append("acme", "kb-5",
                new DocumentCreated("acme", "kb-5", "A", "a", Map.of(), null, "h1"),
                new DocumentContentRevised("acme", "kb-5", "B", "b", null, "h2"));
        STORE.storeSnapshot(new GenericDomainEventMessage<>("Document", DocumentIds.aggregateId("acme", "kb-5"), 1, "a snapshot"));

        JsonObject doc = get("/v1/tenants/acme/documents/kb-5").body();

        assertThat(doc.getString("title")).isEqualTo("B");
        assertThat(doc.getInt("version")).isEqualTo(2);
        assertThat(get("/v1/tenants/acme/documents/kb-5/history").body().getJsonArray("events")).hasSize(2);
    }

    @Test
    void historyListsEveryEventWithASummary() {
        append("acme", "kb-6",
                new DocumentCreated("acme", "kb-6", "A", "a", Map.of(), "cms", "h1"),
                embedded("acme", "kb-6", 1),
                new DocumentDeleted("acme", "kb-6", null));

        HttpJson response = get("/v1/tenants/acme/documents/kb-6/history");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        var events = response.body().getJsonArray("events");
        assertThat(events).hasSize(3);
        JsonObject created = events.getJsonObject(0);
        assertThat(created.getInt("version")).isEqualTo(1);
        assertThat(created.getString("type")).isEqualTo("DocumentCreated");
        assertThat(created.getString("timestamp")).isEqualTo("2026-01-05T10:00:00Z");
        assertThat(created.getString("title")).isEqualTo("A");
        assertThat(created).doesNotContainKey("body");
        JsonObject embedded = events.getJsonObject(1);
        assertThat(embedded.getString("type")).isEqualTo("DocumentEmbedded");
        assertThat(embedded.getString("space")).isEqualTo("default");
        assertThat(embedded.getString("model")).isEqualTo("all-minilm-l6-v2");
        assertThat(embedded.getInt("contentRevision")).isEqualTo(1);
        assertThat(embedded.getInt("chunks")).isEqualTo(2);
        assertThat(embedded).doesNotContainKey("vectors");
        JsonObject deleted = events.getJsonObject(2);
        assertThat(deleted.getString("type")).isEqualTo("DocumentDeleted");
        assertThat(deleted.isNull("reason")).isTrue();
    }

    private HttpJson get(String path) {
        return HttpJson.of(client.get(path));
    }

    /** Appends the payloads as the document's events, one second apart from {@link #T0}. */
    private static void append(String tenant, String documentId, Object... payloads) {
        String aggregateId = DocumentIds.aggregateId(tenant, documentId);
        List<DomainEventMessage<?>> messages = new ArrayList<>();
        for (int sequence = 0; sequence < payloads.length; sequence++) {
            messages.add(new GenericDomainEventMessage<>("Document", aggregateId, sequence, payloads[sequence],
                    Map.of(), UUID.randomUUID().toString(), T0.plusSeconds(sequence)));
        }
        STORE.publish(messages);
    }

    private static DocumentEmbedded embedded(String tenant, String documentId, long contentRevision) {
        return new DocumentEmbedded(tenant, documentId, contentRevision, "default", new EmbeddingProvenance("all-minilm-l6-v2", null, false, CHUNKER), 3,
                "title", Map.of(), List.of(
                        EmbeddedChunk.of(0, 0, 5, "first", new float[] {1, 0, 0}),
                        EmbeddedChunk.of(1, 5, 9, "next", new float[] {0, 1, 0})));
    }
}
