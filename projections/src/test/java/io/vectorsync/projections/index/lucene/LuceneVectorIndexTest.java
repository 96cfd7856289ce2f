package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexContract;
import io.vectorsync.projections.index.VectorIndexes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    @Test
    void concurrentBatchesAndSearchesAllLand() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int thread = 0; thread < 3; thread++) {
                int offset = thread * 100;
                work.add(threads.submit(() -> {
                    for (int batch = 0; batch < 5; batch++) {
                        List<IndexWrite> writes = new ArrayList<>();
                        for (int doc = 0; doc < 4; doc++) {
                            int id = offset + batch * 4 + doc;
                            writes.add(replace(TENANT, "doc-" + id, 1, Map.of(), unit(DIMENSION, id)));
                        }
                        index.apply(writes);
                    }
                }));
            }
            work.add(threads.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    index.search(query(unit(DIMENSION, i), 3));
                }
            }));
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            threads.shutdown();
        }
        assertThat(index.countDocuments(TENANT)).isEqualTo(60);
        assertThat(index.search(query(unit(DIMENSION, 7), 60))).hasSize(60);
    }
}
