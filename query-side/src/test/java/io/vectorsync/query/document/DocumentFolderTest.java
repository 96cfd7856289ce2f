package io.vectorsync.query.document;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.DocumentRestored;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EmbeddingProvenance;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class DocumentFolderTest {

    private static final String TENANT = "acme";
    private static final String DOC = "kb-42";
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final ChunkerSettings CHUNKER = new ChunkerSettings("sentences", 256, 32);

    private final List<RecordedEvent> events = new ArrayList<>();

    @Test
    void noEventsMeansNoDocument() {
        assertThat(DocumentFolder.fold(TENANT, DOC, List.of())).isEmpty();
    }

    @Test
    void aNewDocumentIsPendingUntilTheEncoderHasRun() {
        given(created("Reset", "How to reset", Map.of("lang", "en")));

        DocumentState state = fold();

        assertThat(state.title()).isEqualTo("Reset");
        assertThat(state.body()).isEqualTo("How to reset");
        assertThat(state.metadata()).containsEntry("lang", "en");
        assertThat(state.source()).isEqualTo("https://kb.example/42");
        assertThat(state.version()).isEqualTo(1);
        assertThat(state.contentRevision()).isEqualTo(1);
        assertThat(state.deleted()).isFalse();
        assertThat(state.lastModified()).isEqualTo(T0);
        assertThat(state.embeddings()).isEmpty();
        assertThat(state.embeddingStatus()).isEqualTo(EmbeddingStatus.PENDING);
    }

    @Test
    void anEmbeddingOfTheCurrentContentMakesItEmbedded() {
        given(created("Reset", "How to reset", Map.of()),
                embedded("default", 1, 3));

        DocumentState state = fold();

        assertThat(state.version()).isEqualTo(2);
        assertThat(state.embeddings()).containsExactly(
                new EmbeddingState("default", "all-minilm-l6-v2", 384, 1, 3, CHUNKER));
        assertThat(state.isCurrent(state.embeddings().getFirst())).isTrue();
        assertThat(state.embeddingStatus()).isEqualTo(EmbeddingStatus.EMBEDDED);
    }

    @Test
    void aContentRevisionMakesEarlierEmbeddingsStale() {
        given(created("Reset", "How to reset", Map.of()),
                embedded("default", 1, 3),
                revised("Reset v2", "How to reset, again"));

        DocumentState state = fold();

        assertThat(state.title()).isEqualTo("Reset v2");
        assertThat(state.contentRevision()).isEqualTo(3);
        assertThat(state.isCurrent(state.embeddings().getFirst())).isFalse();
        assertThat(state.embeddingStatus()).isEqualTo(EmbeddingStatus.PENDING);
    }

    @Test
    void aMetadataChangeKeepsEmbeddingsCurrent() {
        given(created("Reset", "How to reset", Map.of("lang", "en")),
                embedded("default", 1, 3),
                metadataChanged(Map.of("lang", "de", "year", new BigDecimal("2026"))));

        DocumentState state = fold();

        assertThat(state.metadata()).isEqualTo(Map.of("lang", "de", "year", new BigDecimal("2026")));
        assertThat(state.version()).isEqualTo(3);
        assertThat(state.contentRevision()).isEqualTo(1);
        assertThat(state.embeddingStatus()).isEqualTo(EmbeddingStatus.EMBEDDED);
    }

    @Test
    void oneCurrentSpaceIsEnoughForEmbedded() {
        given(created("Reset", "How to reset", Map.of()),
                embedded("client", 1, 1),
                revised("Reset v2", "How to reset, again"),
                embedded("default", 3, 2));

        DocumentState state = fold();

        assertThat(state.embeddings()).extracting(EmbeddingState::space, state::isCurrent)
                .containsExactly(tuple("client", false),
                        tuple("default", true));
        assertThat(state.embeddingStatus()).isEqualTo(EmbeddingStatus.EMBEDDED);
    }

    @Test
    void aStaleEmbeddingDoesNotHideANewerOneOfTheSameSpace() {
        given(created("Reset", "How to reset", Map.of()),
                revised("Reset v2", "How to reset, again"),
                embedded("default", 2, 4),
                embedded("default", 1, 3));

        DocumentState state = fold();

        assertThat(state.embeddings()).singleElement()
                .satisfies(e -> assertThat(e.contentRevision()).isEqualTo(2))
                .satisfies(e -> assertThat(e.chunks()).isEqualTo(4));
        assertThat(state.embeddingStatus()).isEqualTo(EmbeddingStatus.EMBEDDED);
    }

    @Test
    void aDeletedDocumentKeepsItsLastContentAndHasNoStatus() {
        given(created("Reset", "How to reset", Map.of()),
                embedded("default", 1, 3),
                new DocumentDeleted(TENANT, DOC, "retired"));

        DocumentState state = fold();

        assertThat(state.deleted()).isTrue();
        assertThat(state.version()).isEqualTo(3);
        assertThat(state.title()).isEqualTo("Reset");
        assertThat(state.embeddingStatus()).isEqualTo(EmbeddingStatus.NONE);
    }

    @Test
    void aRestoreIsANewContentRevisionWaitingForTheEncoder() {
        given(created("Reset", "How to reset", Map.of("lang", "en")),
                revised("Reset v2", "How to reset, again"),
                metadataChanged(Map.of("lang", "de")),
                embedded("default", 2, 3),
                new DocumentDeleted(TENANT, DOC, null),
                new DocumentRestored(TENANT, DOC, "Back", "It is back", Map.of("lang", "fr"), "cms", "h3"));

        DocumentState state = fold();

        assertThat(state.deleted()).isFalse();
        assertThat(state.version()).isEqualTo(6);
        assertThat(state.contentRevision()).isEqualTo(6);
        assertThat(state.title()).isEqualTo("Back");
        assertThat(state.body()).isEqualTo("It is back");
        assertThat(state.source()).isEqualTo("cms");
        assertThat(state.metadata()).isEqualTo(Map.of("lang", "fr"));
        assertThat(state.lastModified()).isEqualTo(T0.plusSeconds(5));
        assertThat(state.embeddings()).singleElement().satisfies(e -> assertThat(state.isCurrent(e)).isFalse());
        assertThat(state.embeddingStatus()).isEqualTo(EmbeddingStatus.PENDING);
    }

    @Test
    void anUnknownEventTypeStillCountsAsAVersion() {
        given(created("Reset", "How to reset", Map.of()), "some future event");

        DocumentState state = fold();

        assertThat(state.version()).isEqualTo(2);
        assertThat(state.contentRevision()).isEqualTo(1);
        assertThat(state.lastModified()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void historySummarisesEachEventWithoutBodiesOrVectors() {
        given(created("Reset", "How to reset", Map.of("lang", "en")),
                embedded("default", 1, 3),
                metadataChanged(Map.of("lang", "de")),
                new DocumentDeleted(TENANT, DOC, "retired"));

        List<HistoryEntry> history = events.stream().map(event -> HistoryEntry.of(event, null)).toList();

        assertThat(history).extracting(HistoryEntry::version, HistoryEntry::type, HistoryEntry::timestamp)
                .containsExactly(
                        tuple(1L, "DocumentCreated", T0),
                        tuple(2L, "DocumentEmbedded", T0.plusSeconds(1)),
                        tuple(3L, "DocumentMetadataChanged", T0.plusSeconds(2)),
                        tuple(4L, "DocumentDeleted", T0.plusSeconds(3)));
        assertThat(history.get(0).summary()).containsOnlyKeys("title", "source", "contentHash");
        assertThat(history.get(1).summary()).isEqualTo(
                Map.of("space", "default", "model", "all-minilm-l6-v2", "contentRevision", 1L, "chunks", 3));
        assertThat(history.get(2).summary()).isEqualTo(Map.of("metadata", Map.of("lang", "de")));
        assertThat(history.get(3).summary()).isEqualTo(Map.of("reason", "retired"));
    }

    @Test
    void anErasedDocumentHasNoContentAndIsWrittenAfreshByItsNextUpsert() {
        given(new DocumentCreated(TENANT, DOC, null, null, null, null, null), // read after its key was destroyed
                new DocumentEmbedded(TENANT, DOC, 1, "default", new EmbeddingProvenance("all-minilm-l6-v2", null, false,
                        CHUNKER), 384, null, null, null),
                new DocumentErased(TENANT, DOC));

        DocumentState erased = fold();
        assertThat(erased.erased()).isTrue();
        assertThat(erased.deleted()).isTrue();
        assertThat(erased.title()).isNull();
        assertThat(erased.body()).isNull();
        assertThat(erased.metadata()).isEmpty();
        assertThat(erased.embeddings()).isEmpty();
        assertThat(erased.version()).isEqualTo(3);

        given(created("Again", "Written again", Map.of("lang", "en")));
        DocumentState again = fold();
        assertThat(again.erased()).isFalse();
        assertThat(again.deleted()).isFalse();
        assertThat(again.body()).isEqualTo("Written again");
        assertThat(again.contentRevision()).isEqualTo(4);
    }

    @Test
    void theHistoryOfAnErasedDocumentKeepsTypesAndVersionsButNoContent() {
        given(new DocumentCreated(TENANT, DOC, null, null, null, null, null),
                new DocumentMetadataChanged(TENANT, DOC, null),
                new DocumentErased(TENANT, DOC));

        List<HistoryEntry> history = events.stream().map(event -> HistoryEntry.of(event, null)).toList();

        assertThat(history).extracting(HistoryEntry::type, HistoryEntry::version).containsExactly(
                tuple("DocumentCreated", 1L), tuple("DocumentMetadataChanged", 2L), tuple("DocumentErased", 3L));
        assertThat(history.get(0).summary()).isEqualTo(Map.of("contentErased", true));
        assertThat(history.get(1).summary()).isEqualTo(Map.of("contentErased", true));
        assertThat(history.get(2).summary()).isEmpty();
    }

    private void given(Object... payloads) {
        for (Object payload : payloads) {
            int sequence = events.size();
            events.add(new RecordedEvent(sequence + 1, T0.plusSeconds(sequence), payload));
        }
    }

    private DocumentState fold() {
        return DocumentFolder.fold(TENANT, DOC, events).orElseThrow();
    }

    private static DocumentCreated created(String title, String body, Map<String, Object> metadata) {
        return new DocumentCreated(TENANT, DOC, title, body, metadata, "https://kb.example/42", "h1");
    }

    private static DocumentContentRevised revised(String title, String body) {
        return new DocumentContentRevised(TENANT, DOC, title, body, "https://kb.example/42", "h2");
    }

    private static DocumentMetadataChanged metadataChanged(Map<String, Object> metadata) {
        return new DocumentMetadataChanged(TENANT, DOC, metadata);
    }

    private static DocumentEmbedded embedded(String space, long contentRevision, int chunkCount) {
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < chunkCount; i++) {
            chunks.add(EmbeddedChunk.of(i, i * 10, i * 10 + 10, "passage " + i, new float[] {1, 0, 0}));
        }
        return new DocumentEmbedded(TENANT, DOC, contentRevision, space, new EmbeddingProvenance("all-minilm-l6-v2", null, false, CHUNKER), 384,
                "title", Map.of(), chunks);
    }
}
