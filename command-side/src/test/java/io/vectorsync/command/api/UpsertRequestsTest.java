package io.vectorsync.command.api;

import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.command.encoder.FakeEmbeddingModel;
import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.domain.SuppliedEmbedding;
import io.vectorsync.domain.UpsertDocument;
import io.vectorsync.json.JsonInput;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON of an upsert as a command, and every way it can be wrong as a 400 naming the exact path. */
class UpsertRequestsTest {

    private static final ChunkerSettings CHUNKER = new ChunkerSettings("recursive", 32, 4);
    static final EmbeddingSpaces SPACES = new EmbeddingSpaces(List.of(
            new EmbeddingSpace("docs", "fake", 3, "cosine", CHUNKER),
            new EmbeddingSpace("images", EmbeddingSpace.CLIENT_MODEL, 2, "cosine", CHUNKER)),
            "docs", id -> new FakeEmbeddingModel(id, 3));

    private final UpsertRequests requests = new UpsertRequests(SPACES);

    @Test
    void theFieldsBecomeTheCommand() {
        UpsertDocument command = parse("""
                {"title": "Reset", "body": "How to reset", "metadata": {"lang": "en", "year": 2026, "tags": ["a", "b"]},
                 "source": "cms"}""", 4L);

        assertThat(command).isEqualTo(new UpsertDocument("acme", "kb-1", "Reset", "How to reset",
                Map.of("lang", "en", "year", new BigDecimal("2026"), "tags", List.of("a", "b")), "cms", 4L, null));
    }

    @Test
    void theBodyIsRequiredAndTheTitleIsNot() {
        assertThat(parse("{\"body\": \"\"}", null))
                .isEqualTo(new UpsertDocument("acme", "kb-1", "", "", null, null, null, null));
        assertThatThrownBy(() -> parse("{\"title\": \"t\"}", null)).satisfies(field("body"));
        assertThatThrownBy(() -> parse("{\"body\": 3}", null)).satisfies(field("body"));
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"metadata\": {\"nested\": {\"no\": 1}}}", null))
                .satisfies(field("metadata.nested"));
    }

    @Test
    void oneVectorIsTheWholeBodysInTheDefaultSpace() {
        SuppliedEmbedding embedding = parse("""
                {"title": "T", "body": "Some body", "vectors": {"vector": [0.5, 1, -2]}}""", null).embedding();

        assertThat(embedding.space()).isEqualTo("docs");
        assertThat(embedding.model()).isEqualTo("fake");
        assertThat(embedding.dimension()).isEqualTo(3);
        assertThat(embedding.chunks()).containsExactly(EmbeddedChunk.of(0, 0, 9, "Some body", new float[] {0.5f, 1, -2}));
    }

    @Test
    void oneVectorForATitleOnlyDocumentIsTheTitlesAndSpansNothing() {
        SuppliedEmbedding embedding = parse("""
                {"title": "Only a title", "body": "", "vectors": {"space": "images", "vector": [1, 0]}}""", null)
                .embedding();

        assertThat(embedding.space()).isEqualTo("images");
        assertThat(embedding.model()).isEqualTo(EmbeddingSpace.CLIENT_MODEL);
        assertThat(embedding.chunks()).singleElement().satisfies(chunk -> {
            assertThat(chunk.text()).isEqualTo("Only a title");
            assertThat(chunk.span()).isNull();
        });
    }

    @Test
    void chunksWithoutSpansAreFoundInTheBodyInOrder() {
        SuppliedEmbedding embedding = parse("""
                {"body": "ab cd ab cd", "vectors": {"chunks": [
                   {"text": "ab", "vector": [1, 0, 0]},
                   {"text": "ab", "vector": [0, 1, 0]},
                   {"text": "zz", "vector": [0, 0, 1]},
                   {"text": "cd", "vector": [1, 1, 0], "start": 3, "end": 5}]}}""", null).embedding();

        assertThat(embedding.chunks()).extracting(EmbeddedChunk::index, EmbeddedChunk::start, EmbeddedChunk::end)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, 0, 2),
                        org.assertj.core.groups.Tuple.tuple(1, 6, 8), // the second "ab", not the first again
                        org.assertj.core.groups.Tuple.tuple(2, -1, -1), // not in the body
                        org.assertj.core.groups.Tuple.tuple(3, 3, 5));
        assertThat(embedding.chunks().get(1).vector()).containsExactly(0, 1, 0);
    }

    @Test
    void aVectorOfAnotherDimensionIsRefusedAtItsPath() {
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": {\"vector\": [1, 2]}}", null))
                .satisfies(field("vectors.vector"))
                .hasMessageContaining("has 2 dimensions; space 'docs' needs 3");
        assertThatThrownBy(() -> parse("""
                {"body": "b", "vectors": {"chunks": [{"text": "b", "vector": [1, 2, 3]},
                                                     {"text": "b", "vector": [1, 2, 3, 4]}]}}""", null))
                .satisfies(field("vectors.chunks[1].vector"));
    }

    @Test
    void vectorsMustBeFiniteFloats() {
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": {\"vector\": [1, 1e39, 0]}}", null))
                .satisfies(field("vectors.vector"));
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": {\"vector\": [1, \"2\", 0]}}", null))
                .satisfies(field("vectors.vector[1]"));
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": {\"vector\": []}}", null))
                .satisfies(field("vectors.vector"));
    }

    @Test
    void vectorsNeedExactlyOneOfVectorOrChunksInAKnownSpace() {
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": {}}", null)).satisfies(field("vectors"));
        assertThatThrownBy(() -> parse("""
                {"body": "b", "vectors": {"vector": [1, 2, 3], "chunks": [{"text": "b", "vector": [1, 2, 3]}]}}""",
                null)).satisfies(field("vectors"));
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": {\"space\": \"nope\", \"vector\": [1, 2, 3]}}",
                null)).satisfies(field("vectors.space"));
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": {\"vectr\": [1, 2, 3]}}", null))
                .satisfies(field("vectors.vectr"));
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": [1, 2, 3]}", null)).satisfies(field("vectors"));
    }

    @Test
    void chunksAreCheckedOneByOne() {
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": {\"chunks\": []}}", null))
                .satisfies(field("vectors.chunks"));
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": {\"chunks\": [{\"text\": \"b\"}]}}", null))
                .satisfies(field("vectors.chunks[0].vector"));
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": {\"chunks\": [{\"vector\": [1, 2, 3]}]}}", null))
                .satisfies(field("vectors.chunks[0].text"));
        assertThatThrownBy(() -> parse("{\"body\": \"b\", \"vectors\": {\"chunks\": [3]}}", null))
                .satisfies(field("vectors.chunks[0]"));
        assertThatThrownBy(() -> parse("""
                {"body": "b", "vectors": {"chunks": [{"text": "b", "vector": [1, 2, 3], "page": 1}]}}""", null))
                .satisfies(field("vectors.chunks[0].page"));
    }

    @Test
    void aChunksSpanMustBeWholeAndInsideTheBody() {
        assertThatThrownBy(() -> parse("""
                {"body": "hello", "vectors": {"chunks": [{"text": "he", "vector": [1, 2, 3], "start": 0}]}}""", null))
                .satisfies(field("vectors.chunks[0]"));
        for (String span : List.of("\"start\": -1, \"end\": 2", "\"start\": 3, \"end\": 2", "\"start\": 0, \"end\": 6")) {
            assertThatThrownBy(() -> parse("{\"body\": \"hello\", \"vectors\": {\"chunks\": [{\"text\": \"he\", "
                    + "\"vector\": [1, 2, 3], " + span + "}]}}", null))
                    .as(span).satisfies(field("vectors.chunks[0].start"));
        }
        assertThat(parse("""
                {"body": "hello", "vectors": {"chunks": [{"text": "", "vector": [1, 2, 3], "start": 5, "end": 5}]}}""",
                null).embedding().chunks().getFirst().start()).isEqualTo(5);
    }

    private UpsertDocument parse(String json, Long expectedVersion) {
        return requests.parse("acme", "kb-1", JsonInput.parse(json, "body"), expectedVersion);
    }

    private static org.assertj.core.api.ThrowingConsumer<Throwable> field(String path) {
        return e -> assertThat(e).isInstanceOfSatisfying(InvalidInputException.class,
                invalid -> assertThat(invalid.field()).isEqualTo(path));
    }
}
