package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.SpaceSpec;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene102.Lucene102HnswBinaryQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** How {@link LuceneVectorIndex#open} sets an index up: the vector format, the writer, the recorded space. */
final class IndexSetup {

    private static final String COMMIT_SPACE = "vectorsync.space";
    private static final String COMMIT_DIMENSION = "vectorsync.dimension";
    private static final String COMMIT_METRIC = "vectorsync.metric";
    /**
     * Present when every chunk entry of the index has its passage as terms ({@code passage_terms}, for BM25): set
     * when the index is created or {@link LuceneVectorIndex#clear cleared}, never on an index that already holds
     * entries written without them.
     */
    private static final String COMMIT_PASSAGE_TERMS = "vectorsync.passage_terms";

    private IndexSetup() {
    }

    /** The HNSW vector format of the settings; refuses a space it cannot index. */
    static KnnVectorsFormat format(SpaceSpec space, HnswSettings hnsw) {
        KnnVectorsFormat format = switch (hnsw.quantization()) {
            case NONE -> new Lucene99HnswVectorsFormat(hnsw.m(), hnsw.beamWidth());
            case INT7 -> new Lucene99HnswScalarQuantizedVectorsFormat(hnsw.m(), hnsw.beamWidth(), 1, 7, false, null, null);
            case INT4 -> new Lucene99HnswScalarQuantizedVectorsFormat(hnsw.m(), hnsw.beamWidth(), 1, 4, true, null, null);
            case BBQ -> new Lucene102HnswBinaryQuantizedVectorsFormat(hnsw.m(), hnsw.beamWidth(), 1, null);
        };
        if (space.dimension() < 1 || space.dimension() > format.getMaxDimensions(IndexFields.VECTOR)) {
            throw new IllegalArgumentException("space '" + space.name() + "' has dimension " + space.dimension()
                    + "; Lucene's HNSW index takes 1 to " + format.getMaxDimensions(IndexFields.VECTOR));
        }
        if (hnsw.quantization() == HnswSettings.Quantization.INT4 && space.dimension() % 2 != 0) {
            throw new IllegalArgumentException("space '" + space.name() + "' has an odd dimension (" + space.dimension()
                    + "); 4-bit quantization packs two dimensions per byte and needs an even one");
        }
        return format;
    }

    static IndexWriter writer(Directory directory, KnnVectorsFormat format) throws IOException {
        TieredMergePolicy merges = new TieredMergePolicy();
        // an erasure's forceMergeDeletes must rewrite every segment with a deleted entry, not only those past 10 %
        merges.setForceMergeDeletesPctAllowed(0);
        return new IndexWriter(directory, new IndexWriterConfig(WordSearch.ANALYZER)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setMergePolicy(merges)
                // every apply flushes a small segment that a merge soon folds in: copying it into a compound
                // file first is work thrown away (merged segments still follow the merge policy's choice)
                .setUseCompoundFile(false)
                .setCodec(codec(format)));
    }

    /** The default codec, except for the HNSW parameters of the vector field. */
    private static Codec codec(KnnVectorsFormat format) {
        return new Lucene103Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
            }
        };
    }

    /** Remembers the space in the commit, so a changed dimension or metric fails loudly on open. */
    static void recordSpace(IndexWriter writer, SpaceSpec space, Path directory) throws IOException {
        Map<String, String> recorded = commitData(writer);
        Map<String, String> expected = Map.of(
                COMMIT_SPACE, space.name(),
                COMMIT_DIMENSION, Integer.toString(space.dimension()),
                COMMIT_METRIC, space.metric().name());
        Map<String, String> recordedSpace = new HashMap<>(recorded);
        recordedSpace.keySet().retainAll(expected.keySet());
        if (recorded.containsKey(COMMIT_DIMENSION) && !recordedSpace.equals(expected)) {
            throw new IllegalStateException("the index in " + directory + " was built for space "
                    + recorded.get(COMMIT_SPACE) + " (dimension " + recorded.get(COMMIT_DIMENSION) + ", "
                    + recorded.get(COMMIT_METRIC) + "), not for " + space + "; rebuild it into a new directory");
        }
        recorded.putAll(expected);
        if (writer.getDocStats().numDocs == 0) {
            recorded.put(COMMIT_PASSAGE_TERMS, "true"); // new (or empty): every entry it will hold has the terms
        }
        writer.setLiveCommitData(recorded.entrySet());
        writer.commit();
    }

    /**
     * Whether the index ranks passages by words: every chunk entry has {@code passage_terms}. False for an index
     * written before they were indexed, which keeps answering k-NN but must be rebuilt (or its projection replayed)
     * before a hybrid search, rather than silently finding nothing by words.
     */
    static boolean hasPassageTerms(IndexWriter writer) {
        return "true".equals(commitData(writer).get(COMMIT_PASSAGE_TERMS));
    }

    /** After {@code deleteAll}, before the commit: whatever the index holds from now on has the passage terms. */
    static void markPassageTerms(IndexWriter writer) {
        Map<String, String> recorded = commitData(writer);
        recorded.put(COMMIT_PASSAGE_TERMS, "true");
        writer.setLiveCommitData(recorded.entrySet());
    }

    private static Map<String, String> commitData(IndexWriter writer) {
        Map<String, String> recorded = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(entry -> recorded.put(entry.getKey(), entry.getValue()));
        }
        return recorded;
    }

    /**
     * The similarity vectors are indexed with: the one the index's vector field was created with when a segment
     * has the field; else a cosine space's vectors as unit vectors under the dot product (see {@link UnitVectors}),
     * so indexes built before that keep Lucene's cosine.
     */
    static VectorSimilarityFunction indexedSimilarity(SearcherManager searchers, SpaceSpec space) throws IOException {
        return existingSimilarity(searchers).orElse(space.metric() == SpaceSpec.Metric.COSINE
                ? VectorSimilarityFunction.DOT_PRODUCT : LuceneVectorIndex.similarity(space.metric()));
    }

    private static Optional<VectorSimilarityFunction> existingSimilarity(SearcherManager searchers) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                FieldInfo field = leaf.reader().getFieldInfos().fieldInfo(IndexFields.VECTOR);
                if (field != null && field.getVectorDimension() > 0) {
                    return Optional.of(field.getVectorSimilarityFunction());
                }
            }
            return Optional.empty();
        } finally {
            searchers.release(searcher);
        }
    }
}
