package io.vectorsync.command.encoder;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentRestored;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.domain.RecordEmbeddings;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The encoder's rules, with Axon's real command bus and a fake model: which content it embeds, with which models,
 * what the model is given and what is recorded.
 */
class DocumentEncoderTest {

    private static final ChunkerSettings CHUNKER = new ChunkerSettings(TextChunker.NAME, 16, 0);

    private final FakeEmbeddingModel m1 = new FakeEmbeddingModel("m1", 4);
    private final FakeEmbeddingModel m2 = new FakeEmbeddingModel("m2", 4);
    private final List<RecordEmbeddings> recorded = new ArrayList<>();
    private EmbeddingSpaces spaces;
    private CommandGateway gateway;
    private DocumentEncoder encoder;

    @BeforeEach
    void setUp() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(RecordEmbeddings.class.getName(), message -> {
            recorded.add((RecordEmbeddings) message.getPayload());
            return null;
        });
        gateway = DefaultCommandGateway.builder().commandBus(bus).build();
        spaces = new EmbeddingSpaces(List.of(
                new EmbeddingSpace("docs", "m1", 4, "cosine", CHUNKER),
                new EmbeddingSpace("images", EmbeddingSpace.CLIENT_MODEL, 3, "cosine", CHUNKER)),
                "docs", id -> switch (id) {
                    case "m1" -> m1;
                    case "m2" -> m2;
                    default -> throw new IllegalArgumentException(id);
                });
        encoder = (DocumentEncoder) Encoder.handler(spaces, gateway);
    }

    @Test
    void aNewDocumentIsChunkedEmbeddedWithItsTitleAsContextAndRecordedForItsRevision() {
        String first = "one two three four five six seven eight nine ten eleven twelve.";
        String second = "Thirteen fourteen fifteen.";
        String body = first + "\n\n" + second;

        encoder.on(new DocumentCreated("acme", "kb-1", "Counting", body, Map.of(), null, "h"), 0, null);

        assertThat(m1.batches()).containsExactly(List.of("Counting\n" + first, "Counting\n" + second));
        assertThat(recorded).singleElement().satisfies(r -> {
            assertThat(r.tenant()).isEqualTo("acme");
            assertThat(r.documentId()).isEqualTo("kb-1");
            assertThat(r.contentRevision()).isEqualTo(1);
            assertThat(r.space()).isEqualTo("docs");
            assertThat(r.model()).isEqualTo("m1");
            assertThat(r.modelVersion()).isEqualTo("m1-weights-1");
            assertThat(r.dimension()).isEqualTo(4);
            assertThat(r.chunker()).isEqualTo(CHUNKER);
            // the stored passage is the body's own text, the vector the one of the text with its title
            assertThat(r.chunks()).containsExactly(
                    EmbeddedChunk.of(0, 0, first.length(), first, m1.vectorOf("Counting\n" + first)),
                    EmbeddedChunk.of(1, first.length() + 2, body.length(), second, m1.vectorOf("Counting\n" + second)));
        });
    }

    @Test
    void withoutATitleThePassageAloneIsEmbedded() {
        encoder.on(new DocumentContentRevised("acme", "kb-1", " ", "Just the body.", null, "h"), 4, null);

        assertThat(m1.batches()).containsExactly(List.of("Just the body."));
        assertThat(recorded).singleElement().satisfies(r -> {
            assertThat(r.contentRevision()).as("version of the revising event").isEqualTo(5);
            assertThat(r.chunks()).containsExactly(EmbeddedChunk.of(0, 0, 14, "Just the body.", m1.vectorOf("Just the body.")));
        });
    }

    @Test
    void aTitleOnlyDocumentIsFindableByItsTitle() {
        encoder.on(new DocumentRestored("acme", "kb-1", "Reset your password", "", Map.of(), null, "h"), 2, null);

        assertThat(recorded).singleElement().satisfies(r -> {
            assertThat(r.contentRevision()).isEqualTo(3);
            assertThat(r.chunks()).singleElement().satisfies(chunk -> {
                assertThat(chunk.text()).isEqualTo("Reset your password");
                assertThat(chunk.span()).as("not a span of the body").isNull();
            });
        });
    }

    @Test
    void aDocumentWithoutTextIsNotEmbedded() {
        encoder.on(new DocumentCreated("acme", "kb-1", "", "  ", Map.of(), null, "h"), 0, null);

        assertThat(recorded).isEmpty();
        assertThat(m1.batches()).isEmpty();
    }

    @Test
    void contentThatCameWithItsOwnVectorsIsSkipped() {
        encoder.on(new DocumentCreated("acme", "kb-1", "T", "Some body.", Map.of(), null, "h"), 0, Boolean.TRUE);
        encoder.on(new DocumentContentRevised("acme", "kb-1", "T", "Other body.", null, "h"), 1, Boolean.TRUE);

        assertThat(recorded).isEmpty();
        assertThat(m1.batches()).isEmpty();

        encoder.on(new DocumentContentRevised("acme", "kb-1", "T", "Third body.", null, "h"), 2, Boolean.FALSE);
        assertThat(recorded).hasSize(1);
    }

    @Test
    void duringAReEmbeddingNewContentIsEmbeddedWithEveryModelInUseAndClientSpacesAreLeftAlone() {
        spaces.useModels(space -> "m1", space -> List.of("m1", "m2"));

        encoder.on(new DocumentCreated("acme", "kb-1", "T", "Some body.", Map.of(), null, "h"), 0, null);

        assertThat(recorded).extracting(RecordEmbeddings::space, RecordEmbeddings::model)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("docs", "m1"),
                        org.assertj.core.groups.Tuple.tuple("docs", "m2"));
        assertThat(recorded.get(1).chunks().getFirst().vector()).containsExactly(m2.vectorOf("T\nSome body."));
        assertThat(m1.batches()).hasSize(1);
        assertThat(m2.batches()).hasSize(1);
    }

    @Test
    void aReEmbeddingRecordsOneModelsVectorsForTheGivenRevision() {
        Encoder.embed(spaces, gateway, "docs", m2, "acme", "kb-1", 7, "T", "Some body.");

        assertThat(recorded).singleElement().satisfies(r -> {
            assertThat(r.model()).isEqualTo("m2");
            assertThat(r.contentRevision()).isEqualTo(7);
        });
        assertThat(m1.batches()).isEmpty();
        assertThatThrownBy(() -> Encoder.embed(spaces, gateway, "nope", m2, "acme", "kb-1", 7, "T", "b"))
                .isInstanceOf(InvalidInputException.class);
    }
}
