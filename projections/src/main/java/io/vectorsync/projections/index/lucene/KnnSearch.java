package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.VectorQuery;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A k-NN search over chunk entries, collapsed to documents: up to k documents, best first, each with its best
 * chunk. The query is valid when it gets here.
 */
final class KnnSearch {

    /** Chunks fetched per wanted document before collapsing; more are fetched when chunks crowd. */
    private static final int CHUNKS_PER_HIT = 4;
    private static final Set<String> ID_FIELD = Set.of(IndexFields.DOCUMENT_ID);

    /** Candidates a search considers at least (OpenSearch's ef_search), before it keeps the chunks it wants. */
    private final int efSearch;
    /** How the graph's vectors are quantized; candidates of a quantized graph are rescored at full precision. */
    private final HnswSettings.Quantization quantization;
    /** Whether vectors are indexed as unit vectors (see {@link UnitVectors}), so queries are asked as one too. */
    private final boolean unitVectors;

    KnnSearch(int efSearch, HnswSettings.Quantization quantization, boolean unitVectors) {
        this.efSearch = efSearch;
        this.quantization = quantization;
        this.unitVectors = unitVectors;
    }

    /** {@code filter} is the query's, from {@link Filters#chunksOf}. */
    List<DocumentHit> search(IndexSearcher searcher, VectorQuery query, Query filter) throws IOException {
        float minScore = query.minScore() == null ? Float.NEGATIVE_INFINITY : query.minScore();
        StoredFields stored = searcher.storedFields();
        int maxDoc = Math.max(1, searcher.getIndexReader().maxDoc());
        int chunksWanted = (int) Math.min((long) query.k() * CHUNKS_PER_HIT, maxDoc);
        while (true) {
            // Lucene's k is the search beam, and each segment searches a share of it in proportion to its
            // size: a beam of k alone misses neighbours at small k (recall@1 0.915 on 20,000 vectors). The
            // beam is at least ef_search, as in OpenSearch, and all of it is collapsed into documents. The filter
            // restricts the HNSW search itself (pre-filtering), so k never shrinks after it.
            int beam = (int) Math.min(Math.max(chunksWanted, efSearch), maxDoc);
            ScoreDoc[] chunks = searcher.search(knn(query.vector(), beam, filter), beam).scoreDocs;
            Map<Integer, String> ids = documentIds(searcher, stored, chunks);
            Map<String, ScoreDoc> bestPerDocument = new LinkedHashMap<>();
            boolean reachedMinScore = false;
            for (ScoreDoc chunk : chunks) { // best first
                if (chunk.score < minScore) {
                    reachedMinScore = true;
                    break;
                }
                bestPerDocument.putIfAbsent(ids.get(chunk.doc), chunk);
            }
            boolean exhausted = chunks.length < beam || beam >= maxDoc;
            if (bestPerDocument.size() >= query.k() || reachedMinScore || exhausted) {
                // the best k documents (ties by id); only theirs are read in full
                List<Map.Entry<String, ScoreDoc>> best = bestPerDocument.entrySet().stream()
                        .sorted(Comparator.comparingDouble((Map.Entry<String, ScoreDoc> e) -> -e.getValue().score)
                                .thenComparing(Map.Entry::getKey))
                        .limit(query.k())
                        .toList();
                List<DocumentHit> hits = new ArrayList<>(best.size());
                for (Map.Entry<String, ScoreDoc> hit : best) {
                    hits.add(Entries.hit(stored.document(hit.getValue().doc, Entries.HIT_FIELDS), hit.getValue().score));
                }
                return hits;
            }
            chunksWanted = (int) Math.min(beam * 2L, maxDoc); // a wider beam, or the same search again
        }
    }

    /**
     * The document id of each chunk, from its doc values (read in doc id order, as they must be); from the stored
     * field for entries of segments written before the doc values existed.
     */
    static Map<Integer, String> documentIds(IndexSearcher searcher, StoredFields stored, ScoreDoc[] chunks)
            throws IOException {
        int[] docs = Arrays.stream(chunks).mapToInt(chunk -> chunk.doc).sorted().toArray();
        Map<Integer, String> ids = new HashMap<>(docs.length * 2);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = null;
        SortedDocValues values = null;
        for (int doc : docs) {
            if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
                values = leaf.reader().getSortedDocValues(IndexFields.Lucene.DOCUMENT_ID_VALUES);
            }
            if (values != null && values.advanceExact(doc - leaf.docBase)) {
                ids.put(doc, values.lookupOrd(values.ordValue()).utf8ToString());
            } else {
                ids.put(doc, stored.document(doc, ID_FIELD).get(IndexFields.DOCUMENT_ID));
            }
        }
        return ids;
    }

    /**
     * The HNSW query for {@code beam} chunks. On a quantized graph it takes {@code oversample} times as many
     * candidates and scores them again with the full-precision vectors, best {@code beam} first.
     */
    private Query knn(float[] query, int beam, Query filter) {
        float[] vector = unitVectors ? UnitVectors.unit(query) : query;
        if (quantization == HnswSettings.Quantization.NONE) {
            return new KnnFloatVectorQuery(IndexFields.VECTOR, vector, beam, filter);
        }
        int candidates = beam * quantization.oversample();
        return RescoreTopNQuery.createFullPrecisionRescorerQuery(
                new KnnFloatVectorQuery(IndexFields.VECTOR, vector, candidates, filter), vector, IndexFields.VECTOR, beam);
    }
}
