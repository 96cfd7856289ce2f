package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexFields;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.QueryBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranking by words of a hybrid search: BM25 (Lucene's default similarity) over the chunk entries' passage terms,
 * restricted by the same tenant and metadata filter as the k-NN search, collapsed to documents, each with its best
 * chunk. The text is analyzed as the passages were, and any of its words matches (as OpenSearch's {@code match}).
 */
final class WordSearch {

    /**
     * How passages are split into terms when written, and query texts when searched: Lucene's standard analyzer
     * (Unicode word breaks, lower case, no stop words), as OpenSearch's {@code standard} analyzer.
     */
    static final Analyzer ANALYZER = new StandardAnalyzer();

    /** Chunks fetched per wanted document before collapsing; more are fetched when chunks crowd. */
    private static final int CHUNKS_PER_HIT = 4;

    private WordSearch() {
    }

    /** Up to {@code documents} documents, best BM25 first (ties by id); {@code filter} is {@link Filters#chunksOf}'s. */
    static List<DocumentHit> search(IndexSearcher searcher, String text, int documents, Query filter) throws IOException {
        Query words = new QueryBuilder(ANALYZER).createBooleanQuery(IndexFields.Lucene.PASSAGE_TERMS, text);
        if (words == null) {
            return List.of(); // no words in it, only punctuation or spaces
        }
        Query query = new BooleanQuery.Builder().add(words, Occur.MUST).add(filter, Occur.FILTER).build();
        StoredFields stored = searcher.storedFields();
        int maxDoc = Math.max(1, searcher.getIndexReader().maxDoc());
        int chunksWanted = (int) Math.min((long) documents * CHUNKS_PER_HIT, maxDoc);
        while (true) {
            ScoreDoc[] chunks = searcher.search(query, chunksWanted).scoreDocs;
            Map<Integer, String> ids = KnnSearch.documentIds(searcher, stored, chunks);
            Map<String, ScoreDoc> bestPerDocument = new LinkedHashMap<>();
            for (ScoreDoc chunk : chunks) { // best first
                bestPerDocument.putIfAbsent(ids.get(chunk.doc), chunk);
            }
            boolean exhausted = chunks.length < chunksWanted || chunksWanted >= maxDoc;
            if (bestPerDocument.size() >= documents || exhausted) {
                List<Map.Entry<String, ScoreDoc>> best = bestPerDocument.entrySet().stream()
                        .sorted(Comparator.comparingDouble((Map.Entry<String, ScoreDoc> e) -> -e.getValue().score)
                                .thenComparing(Map.Entry::getKey))
                        .limit(documents)
                        .toList();
                List<DocumentHit> hits = new ArrayList<>(best.size());
                for (Map.Entry<String, ScoreDoc> hit : best) {
                    hits.add(Entries.hit(stored.document(hit.getValue().doc, Entries.HIT_FIELDS), hit.getValue().score));
                }
                return hits;
            }
            chunksWanted = (int) Math.min(chunksWanted * 2L, maxDoc);
        }
    }
}
