package io.vectorsync.command.encoder;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which model serves which space: created once each, dimensions checked, client spaces without one. */
class EmbeddingSpacesTest {

    private static final ChunkerSettings CHUNKER = new ChunkerSettings(TextChunker.NAME, 32, 4);

    private final Map<String, FakeEmbeddingModel> models = Map.of(
            "m1", new FakeEmbeddingModel("m1", 4),
            "m2", new FakeEmbeddingModel("m2", 4),
            "wide", new FakeEmbeddingModel("wide", 8));
    private final List<String> created = new ArrayList<>();
    private final Function<String, TextEmbeddingModel> factory = id -> {
        created.add(id);
        return models.get(id);
    };

    @Test
    void aModelIsCreatedOncePerDistinctModelAndOnlyForSpacesThatEmbedInProcess() {
        EmbeddingSpaces spaces = new EmbeddingSpaces(List.of(
                space("docs", "m1", 4), space("faq", "m1", 4), space("images", EmbeddingSpace.CLIENT_MODEL, 3)),
                "docs", factory);

        assertThat(created).containsExactly("m1");
        assertThat(spaces.model("docs")).containsSame(models.get("m1"));
        assertThat(spaces.model("faq")).containsSame(models.get("m1"));
        assertThat(spaces.model("images")).isEmpty();
        assertThat(spaces.chunker("docs")).hasValueSatisfying(c -> assertThat(c.settings()).isEqualTo(CHUNKER));
        assertThat(spaces.chunker("images")).isEmpty();
        assertThat(spaces.modelsInUse("images")).isEmpty();
        assertThat(spaces.modelsInUse("unknown")).isEmpty();
        assertThat(spaces.all()).extracting(EmbeddingSpace::name).containsExactly("docs", "faq", "images");
        assertThat(spaces.defaultSpace()).isEqualTo("docs");
    }

    @Test
    void aSpaceWhoseDimensionIsNotItsModelsIsRefused() {
        assertThatThrownBy(() -> new EmbeddingSpaces(List.of(space("docs", "wide", 4)), "docs", factory))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'docs'").hasMessageContaining("4").hasMessageContaining("8");
    }

    @Test
    void theDefaultSpaceMustBeOneOfTheSpaces() {
        assertThatThrownBy(() -> new EmbeddingSpaces(List.of(space("docs", "m1", 4)), "default", factory))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'default'");
    }

    @Test
    void anUnknownSpaceIsInvalidInputNamingTheField() {
        EmbeddingSpaces spaces = new EmbeddingSpaces(List.of(space("docs", "m1", 4)), "docs", factory);

        assertThat(spaces.require("docs", "vectors.space").model()).isEqualTo("m1");
        assertThatThrownBy(() -> spaces.require("other", "vectors.space"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("vectors.space");
                    assertThat(e.getMessage()).contains("'other'").contains("[docs]");
                });
    }

    @Test
    void queriesAreEmbeddedWithTheLiveModelUnlessAVersionNamesItsOwn() {
        EmbeddingSpaces spaces = new EmbeddingSpaces(List.of(space("docs", "m1", 4)), "docs", factory);
        assertThat(spaces.embedQuery("docs", "reset")).containsExactly(models.get("m1").vectorOf("reset"));

        // a re-embedding swapped the live version to m2; the old version still indexes with m1
        spaces.useModels(space -> "m2", space -> List.of("m1", "m2", "m1"));

        assertThat(spaces.embedQuery("docs", "reset")).containsExactly(models.get("m2").vectorOf("reset"));
        assertThat(spaces.embedQuery("docs", "m1", "reset")).containsExactly(models.get("m1").vectorOf("reset"));
        assertThat(spaces.model("docs")).containsSame(models.get("m2"));
        assertThat(spaces.modelsInUse("docs")).containsExactly(models.get("m1"), models.get("m2"));
        assertThat(created).containsExactly("m1", "m2"); // each created once, however often it is asked for
    }

    @Test
    void aModelOfAnotherDimensionCannotServeASpace() {
        EmbeddingSpaces spaces = new EmbeddingSpaces(List.of(space("docs", "m1", 4)), "docs", factory);

        assertThatThrownBy(() -> spaces.modelById("wide", spaces.require("docs", "space")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wide");
        spaces.useModels(space -> "m1", space -> List.of("wide"));
        assertThatThrownBy(() -> spaces.modelsInUse("docs")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClientSpaceCannotEmbedAQueryAndAnUnknownSpaceIsNamed() {
        EmbeddingSpaces spaces = new EmbeddingSpaces(List.of(space("docs", "m1", 4),
                space("images", EmbeddingSpace.CLIENT_MODEL, 3)), "docs", factory);

        assertThatThrownBy(() -> spaces.embedQuery("images", "a cat"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("text"));
        assertThatThrownBy(() -> spaces.embedQuery("nope", "a cat"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("space"));
        assertThat(models.get("m1").batches()).isEmpty();
    }

    private static EmbeddingSpace space(String name, String model, int dimension) {
        return new EmbeddingSpace(name, model, dimension, "cosine", CHUNKER);
    }
}
