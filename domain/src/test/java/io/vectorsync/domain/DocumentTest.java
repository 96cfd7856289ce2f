package io.vectorsync.domain;

import io.vectorsync.domain.UpsertOutcome.Result;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.predicate;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class DocumentTest {

    private static final String TENANT = "acme";
    private static final String DOC_ID = "returns-policy";
    private static final String SOURCE = "https://cms.example/returns";
    private static final String TITLE = "Returns";
    private static final String BODY = "Items can be returned within 30 days.";
    private static final String HASH = ContentHash.of(TITLE, BODY);
    private static final String NEW_BODY = "Items can be returned within 60 days.";
    private static final String NEW_HASH = ContentHash.of(TITLE, NEW_BODY);
    private static final Map<String, Object> METADATA = Map.of("lang", "en");
    private static final Map<String, Object> NEW_METADATA = Map.of("lang", "de");
    private static final String SPACE = "default";
    private static final String MODEL = "all-minilm-l6-v2";
    private static final int DIMENSION = 3;
    private static final ChunkerSettings CHUNKER = new ChunkerSettings("paragraph", 256, 32);
    private static final String MODEL_VERSION = "weights-2025-11";
    private static final List<EmbeddedChunk> VECTORS = List.of(chunk(0, 0.1f, 0.2f, 0.3f));
    private static final List<EmbeddedChunk> OTHER_VECTORS = List.of(chunk(0, 0.3f, 0.2f, 0.1f));

    private FixtureConfiguration<Document> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Document.class);
    }

    @Nested
    class Upserting {

        @Test
        void upsertingAnUnknownDocumentCreatesIt() {
            fixture.givenNoPriorActivity()
                    .when(upsert(TITLE, BODY, METADATA))
                    .expectEvents(created())
                    .expectResultMessagePayload(new UpsertOutcome(Result.CREATED, 1));
        }

        @Test
        void aMissingTitleIsEmpty() {
            fixture.givenNoPriorActivity()
                    .when(upsert(null, BODY, null))
                    .expectEvents(new DocumentCreated(TENANT, DOC_ID, "", BODY, Map.of(), SOURCE, ContentHash.of("", BODY)))
                    .expectResultMessagePayload(new UpsertOutcome(Result.CREATED, 1));
        }

        @Test
        void creatingWithVectorsRecordsThemForTheFirstRevision() {
            fixture.givenNoPriorActivity()
                    .when(upsert(TITLE, BODY, METADATA, null, supplied(VECTORS)))
                    .expectEvents(created(), embeddedByClient(1, VECTORS, METADATA))
                    .expectResultMessagePayload(new UpsertOutcome(Result.CREATED, 2));
        }

        @Test
        void creatingWithExpectedVersionZeroSucceeds() {
            fixture.givenNoPriorActivity()
                    .when(upsert(TITLE, BODY, METADATA, 0L, null))
                    .expectEvents(created())
                    .expectResultMessagePayload(new UpsertOutcome(Result.CREATED, 1));
        }

        @Test
        void cannotCreateWhenAnExistingVersionIsExpected() {
            fixture.givenNoPriorActivity()
                    .when(upsert(TITLE, BODY, METADATA, 3L, null))
                    .expectException(VersionConflictException.class)
                    .expectExceptionMessage("expected version 3 but the document is at version 0");
        }

        @Test
        void revisingUnchangedContentProducesNoEvent() {
            fixture.given(created())
                    .when(upsert(TITLE, BODY, METADATA))
                    .expectNoEvents()
                    .expectResultMessagePayload(new UpsertOutcome(Result.UNCHANGED, 1));
        }

        @Test
        void metadataIsComparedInNormalForm() {
            fixture.given(new DocumentCreated(TENANT, DOC_ID, TITLE, BODY,
                            MetadataRules.normalize(Map.of("price", 10, "tags", List.of("a"))), SOURCE, HASH))
                    .when(upsert(TITLE, BODY, Map.of("price", 10.00d, "tags", List.of("a"))))
                    .expectNoEvents()
                    .expectResultMessagePayload(new UpsertOutcome(Result.UNCHANGED, 1));
        }

        @Test
        void resendingTheSameVectorsProducesNoEvent() {
            fixture.given(created(), embeddedByClient(1, VECTORS, METADATA))
                    .when(upsert(TITLE, BODY, METADATA, null, supplied(VECTORS)))
                    .expectNoEvents()
                    .expectResultMessagePayload(new UpsertOutcome(Result.UNCHANGED, 2));
        }

        @Test
        void newContentRevisesTheDocument() {
            fixture.given(created())
                    .when(upsert(TITLE, NEW_BODY, METADATA))
                    .expectEvents(revised())
                    .expectResultMessagePayload(new UpsertOutcome(Result.REVISED, 2));
        }

        @Test
        void newContentAndMetadataProduceBothEvents() {
            fixture.given(created())
                    .when(upsert(TITLE, NEW_BODY, NEW_METADATA))
                    .expectEvents(revised(), new DocumentMetadataChanged(TENANT, DOC_ID, NEW_METADATA))
                    .expectResultMessagePayload(new UpsertOutcome(Result.REVISED, 3));
        }

        @Test
        void vectorsSuppliedWithNewContentAreRecordedForTheNewRevision() {
            fixture.given(created(), embeddedByClient(1, VECTORS, METADATA))
                    .when(upsert(TITLE, NEW_BODY, NEW_METADATA, null, supplied(VECTORS)))
                    .expectEvents(revised(),
                            new DocumentMetadataChanged(TENANT, DOC_ID, NEW_METADATA),
                            embeddedByClient(3, VECTORS, NEW_METADATA))
                    .expectResultMessagePayload(new UpsertOutcome(Result.REVISED, 5));
        }

        @Test
        void vectorsRecordedForAnOlderRevisionAreRecordedAgainForTheCurrentOne() {
            fixture.given(created(), embeddedByClient(1, VECTORS, METADATA), revised())
                    .when(upsert(TITLE, NEW_BODY, METADATA, null, supplied(VECTORS)))
                    .expectEvents(embeddedByClient(3, VECTORS, METADATA))
                    .expectResultMessagePayload(new UpsertOutcome(Result.REVISED, 4));
        }

        @Test
        void newVectorsForUnchangedContentAreRecorded() {
            fixture.given(created(), embeddedByClient(1, VECTORS, METADATA))
                    .when(upsert(TITLE, BODY, METADATA, null, supplied(OTHER_VECTORS)))
                    .expectEvents(embeddedByClient(1, OTHER_VECTORS, METADATA))
                    .expectResultMessagePayload(new UpsertOutcome(Result.REVISED, 3));
        }

        @Test
        void newMetadataAloneChangesOnlyTheMetadata() {
            fixture.given(created())
                    .when(upsert(TITLE, BODY, NEW_METADATA))
                    .expectEvents(new DocumentMetadataChanged(TENANT, DOC_ID, NEW_METADATA))
                    .expectResultMessagePayload(new UpsertOutcome(Result.METADATA_CHANGED, 2));
        }

        @Test
        void newMetadataWithTheSameVectorsChangesOnlyTheMetadata() {
            fixture.given(created(), embeddedByClient(1, VECTORS, METADATA))
                    .when(upsert(TITLE, BODY, NEW_METADATA, null, supplied(VECTORS)))
                    .expectEvents(new DocumentMetadataChanged(TENANT, DOC_ID, NEW_METADATA))
                    .expectResultMessagePayload(new UpsertOutcome(Result.METADATA_CHANGED, 3));
        }

        @Test
        void newMetadataWithNewVectorsRecordsBoth() {
            fixture.given(created(), embeddedByClient(1, VECTORS, METADATA))
                    .when(upsert(TITLE, BODY, NEW_METADATA, null, supplied(OTHER_VECTORS)))
                    .expectEvents(new DocumentMetadataChanged(TENANT, DOC_ID, NEW_METADATA),
                            embeddedByClient(1, OTHER_VECTORS, NEW_METADATA))
                    .expectResultMessagePayload(new UpsertOutcome(Result.METADATA_CHANGED, 4));
        }

        @Test
        void upsertAfterDeleteRestores() {
            fixture.given(created(), deleted())
                    .when(upsert(TITLE, NEW_BODY, NEW_METADATA))
                    .expectEvents(new DocumentRestored(TENANT, DOC_ID, TITLE, NEW_BODY, NEW_METADATA, SOURCE, NEW_HASH))
                    .expectResultMessagePayload(new UpsertOutcome(Result.RESTORED, 3));
        }

        @Test
        void upsertAfterDeleteWithVectorsRestoresAndRecordsThem() {
            fixture.given(created(), embeddedByClient(1, VECTORS, METADATA), deleted())
                    .when(upsert(TITLE, BODY, METADATA, null, supplied(VECTORS)))
                    .expectEvents(new DocumentRestored(TENANT, DOC_ID, TITLE, BODY, METADATA, SOURCE, HASH),
                            embeddedByClient(4, VECTORS, METADATA))
                    .expectResultMessagePayload(new UpsertOutcome(Result.RESTORED, 5));
        }

        @Test
        void contentWithoutVectorsIsLeftToTheEncoder() {
            fixture.givenNoPriorActivity()
                    .when(upsert(TITLE, BODY, METADATA))
                    .expectEventsMatching(exactSequenceOf(marked(created(), false)));
        }

        @Test
        void contentCreatedWithVectorsIsMarkedForTheEncoder() {
            fixture.givenNoPriorActivity()
                    .when(upsert(TITLE, BODY, METADATA, null, supplied(VECTORS)))
                    .expectEventsMatching(exactSequenceOf(
                            marked(created(), true), marked(embeddedByClient(1, VECTORS, METADATA), false)));
        }

        @Test
        void contentRevisedWithVectorsIsMarkedForTheEncoder() {
            fixture.given(created())
                    .when(upsert(TITLE, NEW_BODY, METADATA, null, supplied(VECTORS)))
                    .expectEventsMatching(exactSequenceOf(
                            marked(revised(), true), marked(embeddedByClient(2, VECTORS, METADATA), false)));
        }

        @Test
        void contentRestoredWithVectorsIsMarkedForTheEncoder() {
            fixture.given(created(), deleted())
                    .when(upsert(TITLE, BODY, METADATA, null, supplied(VECTORS)))
                    .expectEventsMatching(exactSequenceOf(
                            marked(new DocumentRestored(TENANT, DOC_ID, TITLE, BODY, METADATA, SOURCE, HASH), true),
                            marked(embeddedByClient(3, VECTORS, METADATA), false)));
        }

        @Test
        void upsertAtTheExpectedVersionSucceeds() {
            fixture.given(created(), embeddedByClient(1, VECTORS, METADATA))
                    .when(upsert(TITLE, NEW_BODY, METADATA, 2L, null))
                    .expectEvents(revised())
                    .expectResultMessagePayload(new UpsertOutcome(Result.REVISED, 3));
        }

        @Test
        void cannotUpsertAnOutdatedVersion() {
            fixture.given(created(), revised())
                    .when(upsert(TITLE, BODY, METADATA, 1L, null))
                    .expectException(VersionConflictException.class)
                    .expectExceptionMessage("expected version 1 but the document is at version 2");
        }

        @Test
        void embeddingsRecordedSinceTheExpectedVersionAreNoConflict() {
            // the client read version 1; the encoder embedded its text meanwhile (version 2)
            fixture.given(created(), encoded(1, MODEL, METADATA))
                    .when(upsert(TITLE, NEW_BODY, METADATA, 1L, null))
                    .expectEvents(revised())
                    .expectResultMessagePayload(new UpsertOutcome(Result.REVISED, 3));
        }

        @Test
        void aChangeAfterTheExpectedVersionConflictsEvenWithEmbeddingsAfterIt() {
            fixture.given(created(), encoded(1, MODEL, METADATA), revised(), encoded(3, MODEL, METADATA))
                    .when(upsert(TITLE, BODY, METADATA, 2L, null))
                    .expectException(VersionConflictException.class)
                    .expectExceptionMessage("expected version 2 but the document is at version 4");
        }

        @Test
        void aVersionTheDocumentHasNotReachedConflicts() {
            fixture.given(created(), encoded(1, MODEL, METADATA))
                    .when(upsert(TITLE, NEW_BODY, METADATA, 3L, null))
                    .expectException(VersionConflictException.class)
                    .expectExceptionMessage("expected version 3 but the document is at version 2");
        }

        @Test
        void cannotUpsertWithAnInvalidTenant() {
            fixture.givenNoPriorActivity()
                    .when(new UpsertDocument("Acme", DOC_ID, TITLE, BODY, METADATA, SOURCE, null, null))
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage("tenant: must be 1-63 characters of lower-case letters, digits and '-', "
                            + "starting with a letter or digit");
        }

        @Test
        void cannotUpsertWithoutADocumentId() {
            fixture.givenNoPriorActivity()
                    .when(new UpsertDocument(TENANT, "", TITLE, BODY, METADATA, SOURCE, null, null))
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage("documentId: is required");
        }

        @Test
        void cannotUpsertATooLongTitle() {
            fixture.givenNoPriorActivity()
                    .when(upsert("t".repeat(DocumentLimits.MAX_TITLE_LENGTH + 1), BODY, METADATA))
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage("title: must be at most 1000 characters");
        }

        @Test
        void cannotUpsertWithoutABody() {
            fixture.givenNoPriorActivity()
                    .when(upsert(TITLE, null, METADATA))
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage("body: is required");
        }

        @Test
        void cannotUpsertATooLongBody() {
            fixture.givenNoPriorActivity()
                    .when(upsert(TITLE, "b".repeat(DocumentLimits.MAX_BODY_LENGTH + 1), METADATA))
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage("body: must be at most 500000 characters");
        }

        @Test
        void cannotUpsertATooLongSource() {
            fixture.givenNoPriorActivity()
                    .when(new UpsertDocument(TENANT, DOC_ID, TITLE, BODY, METADATA,
                            "s".repeat(DocumentLimits.MAX_SOURCE_LENGTH + 1), null, null))
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage("source: must be at most 2000 characters");
        }

        @Test
        void cannotUpsertInvalidMetadata() {
            fixture.given(created())
                    .when(upsert(TITLE, BODY, Map.of("lang", Map.of("nested", true))))
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage("metadata.lang: must be a string, number, boolean or list of strings");
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("io.vectorsync.domain.DocumentTest#invalidSuppliedVectors")
        void cannotUpsertInvalidVectors(SuppliedEmbedding vectors, String message) {
            fixture.given(created())
                    .when(upsert(TITLE, BODY, METADATA, null, vectors))
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage(message);
        }
    }

    static Stream<Arguments> invalidSuppliedVectors() {
        return Stream.of(
                arguments(new SuppliedEmbedding(" ", MODEL, DIMENSION, VECTORS), "vectors.space: is required"),
                arguments(new SuppliedEmbedding(SPACE, null, DIMENSION, VECTORS), "vectors.model: is required"),
                arguments(new SuppliedEmbedding(SPACE, MODEL, 0, VECTORS), "vectors.dimension: must be between 1 and 4096"),
                arguments(new SuppliedEmbedding(SPACE, MODEL, 4097, VECTORS), "vectors.dimension: must be between 1 and 4096"),
                arguments(new SuppliedEmbedding(SPACE, MODEL, DIMENSION, List.of()), "vectors.chunks: must not be empty"),
                arguments(new SuppliedEmbedding(SPACE, MODEL, DIMENSION, tooManyChunks()),
                        "vectors.chunks: must have at most 2000 entries"),
                arguments(new SuppliedEmbedding(SPACE, MODEL, DIMENSION, List.of(chunk(0, 1, 2, 3), chunk(1, 1, 2))),
                        "vectors.chunks[1].vector: has 2 dimensions; space 'default' needs 3"),
                arguments(new SuppliedEmbedding(SPACE, MODEL, DIMENSION, List.of(chunk(0, 1, Float.NaN, 3))),
                        "vectors.chunks[0].vector: must contain only finite numbers"),
                arguments(new SuppliedEmbedding(SPACE, MODEL, DIMENSION, List.of(EmbeddedChunk.of(0, 0, 5, "Items", null))),
                        "vectors.chunks[0].vector: is required"),
                arguments(new SuppliedEmbedding(SPACE, MODEL, DIMENSION, List.of(EmbeddedChunk.of(0, -1, -1, null, new float[3]))),
                        "vectors.chunks[0].text: is required"),
                arguments(new SuppliedEmbedding(SPACE, MODEL, DIMENSION, Collections.singletonList(null)),
                        "vectors.chunks[0]: must not be null"));
    }

    @Nested
    class RecordingEmbeddings {

        @Test
        void embeddingTheCurrentRevisionIsRecorded() {
            fixture.given(created(), revised())
                    .when(record(2, MODEL))
                    .expectEvents(encoded(2, MODEL, METADATA));
        }

        @Test
        void theProvenanceNamesTheModelVersionAndWhetherTheVectorsHaveUnitLength() {
            List<EmbeddedChunk> unit = List.of(chunk(0, 0.6f, 0.8f, 0f), chunk(1, 0f, 0f, -1f));
            fixture.given(created())
                    .when(recordInto(SPACE, MODEL, DIMENSION, unit))
                    .expectEvents(new DocumentEmbedded(TENANT, DOC_ID, 1, SPACE,
                            new EmbeddingProvenance(MODEL, MODEL_VERSION, true, CHUNKER), DIMENSION, TITLE, METADATA, unit));
        }

        @Test
        void clientVectorsHaveNoModelVersionAndTheirLengthDecidesNormalized() {
            List<EmbeddedChunk> unit = List.of(chunk(0, 0f, 1f, 0f));
            fixture.givenNoPriorActivity()
                    .when(upsert(TITLE, BODY, METADATA, null, supplied(unit)))
                    .expectEvents(created(), new DocumentEmbedded(TENANT, DOC_ID, 1, SPACE,
                            new EmbeddingProvenance(MODEL, null, true, ChunkerSettings.CLIENT), DIMENSION, TITLE, METADATA, unit));
        }

        @Test
        void reEmbeddingTheSameRevisionWithAnotherModelIsRecorded() {
            fixture.given(created(), encoded(1, MODEL, METADATA))
                    .when(record(1, "e5-small"))
                    .expectEvents(encoded(1, "e5-small", METADATA));
        }

        @Test
        void cannotEmbedAStaleRevision() {
            fixture.given(created(), revised())
                    .when(record(1, MODEL))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void cannotEmbedARevisionThatDoesNotExist() {
            fixture.given(created())
                    .when(record(2, MODEL))
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage("contentRevision: no such content revision");
        }

        @Test
        void embeddingADeletedDocumentIsIgnored() {
            fixture.given(created(), deleted())
                    .when(record(1, MODEL))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void metadataOnlyChangeKeepsEmbedding() {
            fixture.given(created(), new DocumentMetadataChanged(TENANT, DOC_ID, NEW_METADATA))
                    .when(record(1, MODEL))
                    .expectEvents(encoded(1, MODEL, NEW_METADATA));
        }

        @Test
        void cannotRecordEmbeddingsWithoutAChunker() {
            fixture.given(created())
                    .when(new RecordEmbeddings(TENANT, DOC_ID, 1, SPACE, MODEL, "test-version", DIMENSION, null, VECTORS))
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage("chunker: is required");
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("io.vectorsync.domain.DocumentTest#invalidRecordedEmbeddings")
        void cannotRecordInvalidEmbeddings(RecordEmbeddings command, String message) {
            fixture.given(created())
                    .when(command)
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage(message);
        }
    }

    static Stream<Arguments> invalidRecordedEmbeddings() {
        return Stream.of(
                arguments(recordInto("", MODEL, DIMENSION, VECTORS), "space: is required"),
                arguments(recordInto(SPACE, " ", DIMENSION, VECTORS), "model: is required"),
                arguments(recordInto(SPACE, MODEL, 0, VECTORS), "dimension: must be between 1 and 4096"),
                arguments(recordInto(SPACE, MODEL, 4097, VECTORS), "dimension: must be between 1 and 4096"),
                arguments(recordInto(SPACE, MODEL, DIMENSION, null), "chunks: must not be empty"),
                arguments(recordInto(SPACE, MODEL, DIMENSION, tooManyChunks()), "chunks: must have at most 2000 entries"),
                arguments(recordInto(SPACE, MODEL, DIMENSION, List.of(chunk(0, 1, 2, 3), chunk(1, 1, 2, 3), chunk(2, 1, 2, 3),
                        chunk(3, 1, 2, 3, 4))), "chunks[3].vector: has 4 dimensions; space 'default' needs 3"),
                arguments(recordInto(SPACE, MODEL, DIMENSION, List.of(chunk(0, 1, Float.POSITIVE_INFINITY, 3))),
                        "chunks[0].vector: must contain only finite numbers"));
    }

    @Nested
    class Deleting {

        @Test
        void deletingRecordsTheReason() {
            fixture.given(created())
                    .when(new DeleteDocument(TENANT, DOC_ID, "retired"))
                    .expectEvents(deleted())
                    .expectResultMessagePayload(new DeleteOutcome(true, 2));
        }

        @Test
        void deletingTwiceIsHarmless() {
            fixture.given(created(), deleted())
                    .when(new DeleteDocument(TENANT, DOC_ID, "retired"))
                    .expectNoEvents()
                    .expectResultMessagePayload(new DeleteOutcome(false, 2));
        }

        @Test
        void cannotDeleteAnUnknownDocument() {
            fixture.givenNoPriorActivity()
                    .when(new DeleteDocument(TENANT, DOC_ID, null))
                    .expectException(AggregateNotFoundException.class);
        }

        @Test
        void cannotDeleteWithATooLongReason() {
            fixture.given(created())
                    .when(new DeleteDocument(TENANT, DOC_ID, "r".repeat(DocumentLimits.MAX_REASON_LENGTH + 1)))
                    .expectException(InvalidInputException.class)
                    .expectExceptionMessage("reason: must be at most 1000 characters");
        }
    }

    @Nested
    class Erasing {

        private final DocumentErased erased = new DocumentErased(TENANT, DOC_ID);

        @Test
        void erasingALiveDocumentRecordsAnEventWithoutContent() {
            fixture.given(created(), embeddedByClient(1, VECTORS, METADATA))
                    .when(new EraseDocument(TENANT, DOC_ID))
                    .expectEvents(erased)
                    .expectResultMessagePayload(new EraseOutcome(true, 3));
        }

        @Test
        void aDeletedDocumentCanStillBeErased() {
            fixture.given(created(), deleted())
                    .when(new EraseDocument(TENANT, DOC_ID))
                    .expectEvents(erased)
                    .expectResultMessagePayload(new EraseOutcome(true, 3));
        }

        @Test
        void erasingTwiceIsHarmless() {
            fixture.given(created(), erased)
                    .when(new EraseDocument(TENANT, DOC_ID))
                    .expectNoEvents()
                    .expectResultMessagePayload(new EraseOutcome(false, 2));
        }

        @Test
        void cannotEraseAnUnknownDocument() {
            fixture.givenNoPriorActivity()
                    .when(new EraseDocument(TENANT, DOC_ID))
                    .expectException(AggregateNotFoundException.class);
        }

        /** After the key is destroyed, the earlier events read with their content null. */
        @Test
        void eventsWhoseContentIsGoneStillFold() {
            fixture.given(new DocumentCreated(TENANT, DOC_ID, null, null, null, null, null),
                            new DocumentEmbedded(TENANT, DOC_ID, 1, SPACE, new EmbeddingProvenance(MODEL, null, false,
                                    ChunkerSettings.CLIENT), DIMENSION, null, null, null),
                            new DocumentMetadataChanged(TENANT, DOC_ID, null), erased)
                    .when(new DeleteDocument(TENANT, DOC_ID, null))
                    .expectNoEvents()
                    .expectResultMessagePayload(new DeleteOutcome(false, 4));
        }

        @Test
        void anUpsertAfterAnErasureStartsTheDocumentAgain() {
            fixture.given(created(), embeddedByClient(1, VECTORS, METADATA), erased)
                    .when(upsert(TITLE, BODY, METADATA))
                    .expectEvents(created())
                    .expectResultMessagePayload(new UpsertOutcome(Result.CREATED, 4));
        }

        @Test
        void vectorsSentAgainAfterAnErasureAreRecordedAgain() {
            fixture.given(created(), embeddedByClient(1, VECTORS, METADATA), erased, created())
                    .when(upsert(TITLE, BODY, METADATA, null, supplied(VECTORS)))
                    .expectEvents(embeddedByClient(4, VECTORS, METADATA));
        }

        @Test
        void embeddingsOfTheErasedContentAreIgnored() {
            fixture.given(created(), erased)
                    .when(record(1, MODEL))
                    .expectNoEvents();
        }
    }

    private static UpsertDocument upsert(String title, String body, Map<String, Object> metadata) {
        return upsert(title, body, metadata, null, null);
    }

    private static UpsertDocument upsert(String title, String body, Map<String, Object> metadata,
                                         Long expectedVersion, SuppliedEmbedding vectors) {
        return new UpsertDocument(TENANT, DOC_ID, title, body, metadata, SOURCE, expectedVersion, vectors);
    }

    private static SuppliedEmbedding supplied(List<EmbeddedChunk> chunks) {
        return new SuppliedEmbedding(SPACE, MODEL, DIMENSION, chunks);
    }

    private static RecordEmbeddings record(long contentRevision, String model) {
        return new RecordEmbeddings(TENANT, DOC_ID, contentRevision, SPACE, model, MODEL_VERSION, DIMENSION, CHUNKER, VECTORS);
    }

    private static RecordEmbeddings recordInto(String space, String model, int dimension, List<EmbeddedChunk> chunks) {
        return new RecordEmbeddings(TENANT, DOC_ID, 1, space, model, MODEL_VERSION, dimension, CHUNKER, chunks);
    }

    private static DocumentCreated created() {
        return new DocumentCreated(TENANT, DOC_ID, TITLE, BODY, METADATA, SOURCE, HASH);
    }

    private static DocumentContentRevised revised() {
        return new DocumentContentRevised(TENANT, DOC_ID, TITLE, NEW_BODY, SOURCE, NEW_HASH);
    }

    private static DocumentDeleted deleted() {
        return new DocumentDeleted(TENANT, DOC_ID, "retired");
    }

    private static DocumentEmbedded embeddedByClient(long contentRevision, List<EmbeddedChunk> chunks,
                                                     Map<String, Object> metadata) {
        return new DocumentEmbedded(TENANT, DOC_ID, contentRevision, SPACE, new EmbeddingProvenance(MODEL, null, false, ChunkerSettings.CLIENT), DIMENSION, TITLE, metadata, chunks);
    }

    private static DocumentEmbedded encoded(long contentRevision, String model, Map<String, Object> metadata) {
        return new DocumentEmbedded(TENANT, DOC_ID, contentRevision, SPACE, new EmbeddingProvenance(model, MODEL_VERSION, false, CHUNKER), DIMENSION, TITLE, metadata, VECTORS);
    }

    /** An event with this payload, flagged (or not) as carrying the client's own vectors. */
    private static Matcher<EventMessage<?>> marked(Object payload, boolean vectorsSupplied) {
        return predicate(event -> event.getPayload().equals(payload)
                && vectorsSupplied == Boolean.TRUE.equals(event.getMetaData().get(EventMetadataKeys.VECTORS_SUPPLIED)));
    }

    private static EmbeddedChunk chunk(int index, float... vector) {
        return EmbeddedChunk.of(index, 0, 5, "Items", vector);
    }

    private static List<EmbeddedChunk> tooManyChunks() {
        return Stream.generate(() -> chunk(0, 1, 2, 3)).limit(DocumentLimits.MAX_CHUNKS + 1).toList();
    }
}
