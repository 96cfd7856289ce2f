package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexContract;
import io.vectorsync.projections.index.VectorIndexes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.vectorsync.projections.index.TestVectors.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LuceneVectorIndexTest extends VectorIndexContract {

    @TempDir
    Path dataDirectory;

    @Override
    protected VectorIndex openIndex(SpaceSpec space) {
        return LuceneVectorIndex.factory(dataDirectory, new HnswSettings(8, 32)).apply(space);
    }

    @Test
    void eachSpaceLivesInItsOwnDirectory() {
        SpaceSpec other = new SpaceSpec("other-space", 4, SpaceSpec.Metric.EUCLIDEAN);
        try (VectorIndexes indexes = VectorIndexes.open(List.of(other),
                LuceneVectorIndex.factory(dataDirectory, HnswSettings.DEFAULT))) {
            indexes.forSpace("other-space").apply(List.of(replace(TENANT, "doc-1", 1, Map.of(), unit(4, 1))));
            assertThat(indexes.forSpace("other-space").countChunks(TENANT)).isEqualTo(1);
        }
        assertThat(dataDirectory.resolve("other-space")).isDirectory();
        assertThat(dataDirectory.resolve(SPACE.name())).isDirectory();
        assertThat(index.countChunks(TENANT)).isZero();
    }

    @Test
    void refusesADirectoryBuiltForAnotherDimension() {
        index.close();
        SpaceSpec resized = new SpaceSpec(SPACE.name(), DIMENSION * 2, SPACE.metric());

        assertThatThrownBy(() -> openIndex(resized))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dimension " + DIMENSION);
        index = openIndex(SPACE);
    }

    @Test
    void refusesASpaceNameThatIsNotADirectoryName() {
        SpaceSpec escaping = new SpaceSpec("../elsewhere", DIMENSION, SpaceSpec.Metric.COSINE);

        assertThatThrownBy(() -> openIndex(escaping)).isInstanceOf(IllegalArgumentException.class);
    }

}
