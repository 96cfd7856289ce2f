package io.vectorsync.projections.vectorindex;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.DocumentRestored;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EmbeddingProvenance;
import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndexes;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.projections.index.lucene.HnswSettings;
import io.vectorsync.projections.index.lucene.LuceneVectorIndex;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.vectorsync.projections.index.TestVectors.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Drives the projection's handlers through Axon's annotation adapter inside real units of work. */
class VectorIndexProjectionTest {

    private static final int DIMENSION = 8;
    private static final SpaceSpec MINILM = new SpaceSpec("minilm", DIMENSION, SpaceSpec.Metric.COSINE);
    private static final SpaceSpec CLIENT = new SpaceSpec("client", DIMENSION, SpaceSpec.Metric.DOT_PRODUCT);
    private static final String TENANT = "acme";
    private static final ChunkerSettings CHUNKER = new ChunkerSettings("paragraph", 256, 32);

    @TempDir
    Path dataDirectory;

    private CountingVectorIndex minilm;
    private CountingVectorIndex client;
    private VectorIndexes indexes;
    private AnnotationEventHandlerAdapter handler;

    @BeforeEach
    void openIndexes() {
        minilm = new CountingVectorIndex(
                LuceneVectorIndex.open(MINILM, dataDirectory.resolve("minilm"), HnswSettings.DEFAULT));
        client = new CountingVectorIndex(
                LuceneVectorIndex.open(CLIENT, dataDirectory.resolve("client"), HnswSettings.DEFAULT));
        indexes = VectorIndexes.of(List.of(minilm, client));
        handler = new AnnotationEventHandlerAdapter(VectorIndexProjectionModule.projection(indexes));
    }

    @AfterEach
    void closeIndexes() {
        indexes.close();
    }

    @Test
    void writesOfAUnitOfWorkBecomeVisibleInOneApplyPerIndexWhenItCommits() throws Exception {
        List<EventMessage<?>> batch = List.of(
                event("doc-1", 0, created("doc-1")),
                event("doc-1", 1, embedded("doc-1", 0, MINILM.name(), 1, 2)),
                event("doc-1", 2, new DocumentMetadataChanged(TENANT, "doc-1", Map.of("lang", "de"))),
                event("doc-2", 0, created("doc-2")),
                event("doc-2", 1, embedded("doc-2", 0, CLIENT.name(), 3)));

        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(batch.getFirst());
        for (EventMessage<?> event : batch) {
            handler.handle(event);
        }
        assertThat(minilm.batches).isEmpty();
        assertThat(minilm.countChunks(TENANT)).isZero();
        unitOfWork.commit();

        assertThat(minilm.batches).singleElement().satisfies(writes -> assertThat(writes).hasSize(2));
        assertThat(client.batches).singleElement().satisfies(writes -> assertThat(writes).hasSize(2));
        assertThat(search(minilm, unit(DIMENSION, 2))).singleElement().satisfies(hit -> {
            assertThat(hit.documentId()).isEqualTo("doc-1");
            assertThat(hit.chunkIndex()).isEqualTo(1);
            assertThat(hit.metadata()).isEqualTo(Map.of("lang", "de"));
            assertThat(hit.version()).as("sequence number 2, plus one").isEqualTo(3);
        });
        assertThat(client.countDocuments(TENANT)).isEqualTo(1);
    }

    @Test
    void aProcessorBatchIsOneIndexCommit() {
        List<EventMessage<?>> batch = new ArrayList<>();
        for (int doc = 0; doc < 5; doc++) {
            batch.add(event("doc-" + doc, 1, embedded("doc-" + doc, 0, MINILM.name(), doc)));
        }
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);

        ResultMessage<?> result = unitOfWork.executeWithResult(() -> handler.handle(unitOfWork.getMessage()));

        assertThat(result.isExceptional()).isFalse();
        assertThat(minilm.batches).singleElement().satisfies(writes -> assertThat(writes).hasSize(5));
        assertThat(client.batches).isEmpty();
        assertThat(minilm.countDocuments(TENANT)).isEqualTo(5);
    }

    @Test
    void metadataChangesAndDeletesReachEverySpace() throws Exception {
        inOneUnitOfWork(
                event("doc-1", 1, embedded("doc-1", 0, MINILM.name(), 1)),
                event("doc-1", 2, embedded("doc-1", 0, CLIENT.name(), 1)),
                event("doc-1", 3, new DocumentMetadataChanged(TENANT, "doc-1", Map.of("lang", "fr"))));
        assertThat(search(client, unit(DIMENSION, 1)).getFirst().metadata()).isEqualTo(Map.of("lang", "fr"));
        assertThat(search(minilm, unit(DIMENSION, 1)).getFirst().metadata()).isEqualTo(Map.of("lang", "fr"));

        inOneUnitOfWork(event("doc-1", 4, new DocumentDeleted(TENANT, "doc-1", "retired")));

        assertThat(minilm.countDocuments(TENANT)).isZero();
        assertThat(client.countDocuments(TENANT)).isZero();
        assertThat(minilm.version(TENANT, "doc-1")).hasValue(5);
        assertThat(client.version(TENANT, "doc-1")).hasValue(5);
    }

    @Test
    void anErasureAndEventsWhoseContentIsGoneRemoveTheDocumentFromEverySpace() throws Exception {
        inOneUnitOfWork(
                event("doc-1", 1, embedded("doc-1", 0, MINILM.name(), 1)),
                event("doc-1", 2, embedded("doc-1", 0, CLIENT.name(), 1)),
                event("doc-2", 1, embedded("doc-2", 0, MINILM.name(), 2)));

        inOneUnitOfWork(event("doc-1", 3, new DocumentErased(TENANT, "doc-1")));

        assertThat(minilm.countDocuments(TENANT)).isEqualTo(1);
        assertThat(client.countDocuments(TENANT)).isZero();
        assertThat(minilm.version(TENANT, "doc-1")).hasValue(4);

        // a replay after the key was destroyed: the embeddings read without content, and leave nothing behind
        DocumentEmbedded erased = new DocumentEmbedded(TENANT, "doc-2", 0, MINILM.name(),
                new EmbeddingProvenance("m", null, false, CHUNKER), DIMENSION, null, null, null);
        inOneUnitOfWork(event("doc-2", 2, erased),
                event("doc-2", 3, new DocumentMetadataChanged(TENANT, "doc-2", null)));

        assertThat(minilm.countDocuments(TENANT)).isZero();
        assertThat(minilm.countChunks(TENANT)).isZero();
    }

    @Test
    void contentEventsWriteNothing() throws Exception {
        inOneUnitOfWork(
                event("doc-1", 0, created("doc-1")),
                event("doc-1", 1, new DocumentContentRevised(TENANT, "doc-1", "Title", "New body", "cms", "h2")),
                event("doc-1", 2, new DocumentRestored(TENANT, "doc-1", "Title", "Body", Map.of(), "cms", "h3")));

        assertThat(minilm.batches).isEmpty();
        assertThat(client.batches).isEmpty();
    }

    @Test
    void aDeletedDocumentReturnsWithItsNextEmbeddingAndAReplayChangesNothing() throws Exception {
        EventMessage<?>[] history = {
                event("doc-1", 0, created("doc-1")),
                event("doc-1", 1, embedded("doc-1", 0, MINILM.name(), 1)),
                event("doc-1", 2, new DocumentDeleted(TENANT, "doc-1", null)),
                event("doc-1", 3, new DocumentRestored(TENANT, "doc-1", "Title", "Body", Map.of(), "cms", "h2")),
                event("doc-1", 4, embedded("doc-1", 3, MINILM.name(), 7, 8))};

        inOneUnitOfWork(history);
        inOneUnitOfWork(history);

        assertThat(minilm.countDocuments(TENANT)).isEqualTo(1);
        assertThat(minilm.countChunks(TENANT)).isEqualTo(2);
        assertThat(search(minilm, unit(DIMENSION, 8))).singleElement().satisfies(hit -> {
            assertThat(hit.version()).isEqualTo(5);
            assertThat(hit.contentRevision()).isEqualTo(3);
        });
    }

    @Test
    void anEmbeddingOfTheWrongDimensionThrowsFromItsOwnHandler() throws Exception {
        DocumentEmbedded claimsWrongDimension = new DocumentEmbedded(TENANT, "bad-1", 0, MINILM.name(), new EmbeddingProvenance("m", null, false, CHUNKER),
                DIMENSION * 2, "Title", Map.of(), List.of(chunk(0, unit(DIMENSION * 2, 1))));
        DocumentEmbedded carriesWrongVectors = new DocumentEmbedded(TENANT, "bad-2", 0, MINILM.name(), new EmbeddingProvenance("m", null, false, CHUNKER),
                DIMENSION, "Title", Map.of(), List.of(chunk(0, unit(DIMENSION - 1, 1))));
        EventMessage<?> good = event("doc-1", 1, embedded("doc-1", 0, MINILM.name(), 1));

        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(good);
        handler.handle(good);
        assertThatThrownBy(() -> handler.handle(event("bad-1", 1, claimsWrongDimension)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension " + DIMENSION * 2);
        assertThatThrownBy(() -> handler.handle(event("bad-2", 1, carriesWrongVectors)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension " + (DIMENSION - 1));
        unitOfWork.commit(); // as after a dead-letter queue took the bad events

        assertThat(minilm.countDocuments(TENANT)).isEqualTo(1);
        assertThat(minilm.version(TENANT, "bad-1")).isEmpty();
        assertThat(minilm.version(TENANT, "bad-2")).isEmpty();
    }

    @Test
    void anEmbeddingOfAnUnknownSpaceThrowsFromItsHandler() {
        EventMessage<?> unknown = event("doc-1", 1, embedded("doc-1", 0, "no-such-space", 1));

        assertThatThrownBy(() -> inOneUnitOfWork(unknown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-space");
    }

    @Test
    void aRolledBackUnitOfWorkWritesNothing() throws Exception {
        EventMessage<?> event = event("doc-1", 1, embedded("doc-1", 0, MINILM.name(), 1));
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(event);
        handler.handle(event);

        unitOfWork.rollback();

        assertThat(minilm.batches).isEmpty();
        assertThat(minilm.version(TENANT, "doc-1")).isEmpty();
    }

    @Test
    void withoutAUnitOfWorkEachWriteIsAppliedAtOnce() throws Exception {
        handler.handle(event("doc-1", 1, embedded("doc-1", 0, MINILM.name(), 1)));

        assertThat(minilm.batches).hasSize(1);
        assertThat(minilm.countDocuments(TENANT)).isEqualTo(1);
    }

    private void inOneUnitOfWork(EventMessage<?>... events) throws Exception {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(events[0]);
        try {
            for (EventMessage<?> event : events) {
                handler.handle(event);
            }
        } catch (Exception e) {
            unitOfWork.rollback(e);
            throw e;
        }
        unitOfWork.commit();
    }

    private static List<DocumentHit> search(CountingVectorIndex index, float[] vector) {
        return index.search(new VectorQuery(TENANT, vector, 5, MetadataFilter.NONE, null));
    }

    private static EventMessage<?> event(String documentId, long sequenceNumber, Object payload) {
        return new GenericDomainEventMessage<>("Document", DocumentIds.aggregateId(TENANT, documentId),
                sequenceNumber, payload);
    }

    private static DocumentCreated created(String documentId) {
        return new DocumentCreated(TENANT, documentId, "Title", "Body", Map.of(), "cms", "h1");
    }

    /** An embedding whose chunk {@code i} has the vector of seed {@code seeds[i]}. */
    private static DocumentEmbedded embedded(String documentId, long contentRevision, String space, int... seeds) {
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < seeds.length; i++) {
            chunks.add(chunk(i, unit(DIMENSION, seeds[i])));
        }
        return new DocumentEmbedded(TENANT, documentId, contentRevision, space, new EmbeddingProvenance("test-model", null, false, CHUNKER), DIMENSION,
                "Title of " + documentId, Map.of("lang", "en"), chunks);
    }

    private static EmbeddedChunk chunk(int index, float[] vector) {
        return EmbeddedChunk.of(index, index * 50, index * 50 + 49, "passage " + index, vector);
    }
}
