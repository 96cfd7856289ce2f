package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexUnavailableException;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.SpaceSpec;
import jakarta.json.JsonObject;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.ErrorResponse;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.MsearchResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.msearch.MultiSearchResponseItem;
import org.opensearch.client.opensearch.core.msearch.RequestItem;
import org.opensearch.client.opensearch.core.search.Hit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Searches chunk entries through the read alias and collapses them to documents. Several queries go
 * out in one multi-search, so a hybrid search costs one round trip.
 */
final class ChunkSearcher {

    /** The k-NN plugin's largest k, and OpenSearch's default result window. */
    static final int MAX_CHUNKS = 10_000;

    private final OpenSearchClient client;
    private final String index;
    private final SpaceSpec space;
    private final OpenSearchSettings.KnnMethod knn;

    ChunkSearcher(OpenSearchClient client, String index, SpaceSpec space, OpenSearchSettings.KnnMethod knn) {
        this.client = client;
        this.index = index;
        this.space = space;
        this.knn = knn;
    }

    /**
     * The {@code chunks} nearest chunk entries. The filter sits inside the knn clause, so it restricts
     * the graph search itself (efficient filtering) instead of thinning out its results.
     */
    ChunkQuery knn(String tenant, float[] vector, MetadataFilter filter, int chunks) {
        List<Float> values = new ArrayList<>(vector.length);
        for (float value : vector) {
            values.add(value);
        }
        return new ChunkQuery(Query.of(q -> q.knn(k -> {
            k.field(Entries.VECTOR).vector(values).k(chunks).filter(Filters.chunksOf(tenant, filter));
            if (knn.engine() != OpenSearchSettings.Engine.NMSLIB) { // nmslib reads only the index setting
                k.methodParameters("ef_search", JsonData.of(knn.efSearch()));
            }
            return k;
        })), true);
    }

    /** BM25 over the passages, under the same filter. */
    ChunkQuery bm25(String tenant, String text, MetadataFilter filter) {
        return new ChunkQuery(Query.of(q -> q.bool(b -> b
                .must(m -> m.match(t -> t.field(Entries.PASSAGE).query(v -> v.stringValue(text))))
                .filter(Filters.chunksOf(tenant, filter)))), false);
    }

    /** Runs each query for its {@code size} best chunks, one multi-search for all. */
    List<Ranking> run(List<ChunkQuery> queries, int size, String what) {
        List<RequestItem> searches = queries.stream()
                .map(query -> RequestItem.of(item -> item
                        .header(h -> h.index(index))
                        .body(b -> b.query(query.query()).size(size).source(s -> s.filter(f -> f.includes(Entries.HIT_FIELDS))))))
                .toList();
        MsearchResponse<JsonData> response;
        try {
            response = client.msearch(m -> m.searches(searches), JsonData.class);
        } catch (IOException | RuntimeException e) {
            throw Failures.onRead(what, e);
        }
        List<Ranking> rankings = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            MultiSearchResponseItem<JsonData> item = response.responses().get(i);
            if (item.isFailure()) {
                throw failed(what, item.failure());
            }
            rankings.add(collapse(item.result().hits().hits(), queries.get(i).vectorScored()));
        }
        return rankings;
    }

    /**
     * The {@code size} best documents among the {@code query}'s chunks, collapsed by OpenSearch on the
     * document id, so only those {@code size} sources travel; {@code chunks()} of the ranking is the
     * number of chunks the query matched.
     */
    Ranking runCollapsed(ChunkQuery query, int size, String what) {
        SearchResponse<JsonData> response;
        try {
            response = client.search(s -> s.index(index)
                    .query(query.query())
                    .size(size)
                    .collapse(c -> c.field(Entries.DOCUMENT_ID))
                    .trackTotalHits(t -> t.enabled(true))
                    .source(src -> src.filter(f -> f.includes(Entries.HIT_FIELDS))), JsonData.class);
        } catch (IOException | RuntimeException e) {
            throw Failures.onRead(what, e);
        }
        Ranking collapsed = collapse(response.hits().hits(), query.vectorScored());
        long matched = response.hits().total() == null ? collapsed.chunks() : response.hits().total().value();
        return new Ranking(collapsed.documents(), (int) Math.min(Integer.MAX_VALUE, matched), collapsed.lowestScore());
    }

    /** The documents of the chunks, in the order of their best chunk (hits come best first). */
    private Ranking collapse(List<Hit<JsonData>> hits, boolean vectorScored) {
        Map<String, DocumentHit> documents = new LinkedHashMap<>();
        float lowest = Float.POSITIVE_INFINITY;
        for (Hit<JsonData> hit : hits) {
            float raw = hit.score() == null ? 0f : hit.score().floatValue();
            float score = vectorScored ? Scores.fromOpenSearch(space.metric(), raw) : raw;
            lowest = Math.min(lowest, score);
            JsonObject source = hit.source().toJson().asJsonObject();
            documents.putIfAbsent(source.getString(Entries.DOCUMENT_ID), Entries.hit(source, score));
        }
        return new Ranking(List.copyOf(documents.values()), hits.size(), lowest);
    }

    private static RuntimeException failed(String what, ErrorResponse failure) {
        String reason = failure.status() + " " + failure.error().type() + ": " + failure.error().reason();
        if (Failures.isTransientStatus(failure.status()) || failure.status() == 404) {
            return new IndexUnavailableException(
                    "OpenSearch is unavailable for " + what + ": " + reason, null);
        }
        return new IllegalStateException("OpenSearch rejected " + what + ": " + reason);
    }

    /** A query over chunk entries; {@code vectorScored} when its scores are k-NN scores. */
    record ChunkQuery(Query query, boolean vectorScored) {
    }

    /**
     * One query's documents, best first, each with its best chunk; how many chunks came back, and the
     * lowest chunk score among them (positive infinity when none).
     */
    record Ranking(List<DocumentHit> documents, int chunks, float lowestScore) {
    }
}
