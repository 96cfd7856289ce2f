package io.vectorsync.projections.index.opensearch;

import io.vectorsync.json.FloatFormat;
import io.vectorsync.json.Json;
import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.IndexUnavailableException;
import io.vectorsync.projections.index.VectorIndex.SearchWithVersions;
import io.vectorsync.projections.index.VectorQuery;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import org.apache.hc.core5.http.ContentType;
import org.opensearch.client.json.JsonpMapper;
import org.opensearch.client.opensearch._types.query_dsl.Query;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Searches chunk entries through the read alias and collapses them to documents. Several queries go
 * out in one multi-search, so a hybrid search costs one round trip.
 * <p>
 * The request bodies are JSON written here (filters through the client's mapper, the vector as the
 * shortest decimal of each float) and travel over the {@link SearchTransport}; answers are read with
 * JSON-P. The typed client would build a {@code Float} object per dimension, serialize it again and
 * pass each request through its asynchronous transport — the largest costs of a query apart from
 * OpenSearch itself.
 */
final class ChunkSearcher {

    /** The k-NN plugin's largest k, and OpenSearch's default result window. */
    static final int MAX_CHUNKS = 10_000;
    /** Chunks fetched per wanted document before collapsing; more are fetched when chunks crowd. */
    private static final int CHUNKS_PER_HIT = 4;
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    private static final String SOURCE = sourceFilter();
    /** Only what is read comes back (no _index, _id, _shards, took...): less to write, send and parse. */
    private static final String FILTER_PATH_SEARCH = "filter_path=hits.total.value,hits.hits._score,hits.hits._source,error,status";
    private static final String FILTER_PATH_MSEARCH = "filter_path=responses.hits.hits._score,responses.hits.hits._source,"
            + "responses.error,responses.status,error,status";
    private static final String FILTER_PATH_MSEARCH_TOTAL = FILTER_PATH_MSEARCH + ",responses.hits.total.value";

    private final SearchTransport transport;
    private final JsonpMapper mapper;
    private final String index;
    private final SpaceSpec space;
    private final OpenSearchSettings.KnnMethod knn;

    ChunkSearcher(SearchTransport transport, JsonpMapper mapper, String index, SpaceSpec space,
                  OpenSearchSettings.KnnMethod knn) {
        this.transport = transport;
        this.mapper = mapper;
        this.index = index;
        this.space = space;
        this.knn = knn;
    }

    /**
     * A k-NN search for up to k documents, best first, and in its first round trip the searchable versions of
     * {@code versionsOf} when asked for (null or empty: not). The graph search over-fetches chunks so that k
     * distinct documents are among them; OpenSearch collapses them by document and returns only the k best, so
     * only k sources travel back. The query is valid when it gets here.
     */
    SearchWithVersions search(VectorQuery query, Collection<String> versionsOf) {
        float minScore = query.minScore() == null ? Float.NEGATIVE_INFINITY : query.minScore();
        String what = "a k-NN search in space '" + space.name() + "'";
        Map<String, Long> versions = Map.of();
        int chunksWanted = (int) Math.min((long) query.k() * CHUNKS_PER_HIT, MAX_CHUNKS);
        while (true) {
            ChunkQuery knn = knn(query.tenant(), query.vector(), query.filter(), chunksWanted);
            Ranking ranking;
            if (versionsOf == null || versionsOf.isEmpty()) {
                ranking = runCollapsed(knn, query.k(), what);
            } else {
                CollapsedWithVersions both = runCollapsedWithVersions(knn, query.k(), query.tenant(), versionsOf, what);
                ranking = both.ranking();
                versions = both.versions();
                versionsOf = null;
            }
            List<DocumentHit> documents = ranking.documents().stream()
                    .filter(hit -> hit.score() >= minScore)
                    .toList();
            boolean reachedMinScore = ranking.lowestScore() < minScore;
            boolean exhausted = ranking.chunks() < chunksWanted || chunksWanted >= MAX_CHUNKS;
            if (documents.size() >= query.k() || reachedMinScore || exhausted) {
                return new SearchWithVersions(documents.stream()
                        .sorted(Comparator.comparingDouble((DocumentHit hit) -> -hit.score())
                                .thenComparing(DocumentHit::documentId))
                        .limit(query.k())
                        .toList(), versions);
            }
            chunksWanted = (int) Math.min(chunksWanted * 2L, MAX_CHUNKS);
        }
    }

    /**
     * The {@code chunks} nearest chunk entries. The filter sits inside the knn clause, so it restricts
     * the graph search itself (efficient filtering) instead of thinning out its results.
     */
    ChunkQuery knn(String tenant, float[] vector, MetadataFilter filter, int chunks) {
        StringBuilder json = new StringBuilder(vector.length * 12 + 256)
                .append("{\"knn\":{\"").append(IndexFields.VECTOR).append("\":{\"vector\":[");
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            FloatFormat.append(json, vector[i]); // finite: checked by the index
        }
        json.append("],\"k\":").append(chunks).append(",\"filter\":").append(json(Filters.chunksOf(tenant, filter)));
        if (knn.engine() != OpenSearchSettings.Engine.NMSLIB) { // nmslib reads only the index setting
            json.append(",\"method_parameters\":{\"ef_search\":").append(knn.efSearch()).append('}');
        }
        if (knn.quantization().oversample() > 1) { // candidates from the quantized graph, scored again at full precision
            json.append(",\"rescore\":{\"oversample_factor\":").append(knn.quantization().oversample()).append('}');
        }
        return new ChunkQuery(json.append("}}}").toString(), true);
    }

    /** BM25 over the passages, under the same filter. */
    ChunkQuery bm25(String tenant, String text, MetadataFilter filter) {
        return new ChunkQuery(json(Query.of(q -> q.bool(b -> b
                .must(m -> m.match(t -> t.field(IndexFields.PASSAGE).query(v -> v.stringValue(text))))
                .filter(Filters.chunksOf(tenant, filter))))), false);
    }

    /** Runs each query for its {@code size} best chunks, one multi-search for all. */
    List<Ranking> run(List<ChunkQuery> queries, int size, String what) {
        StringBuilder body = new StringBuilder();
        for (ChunkQuery query : queries) {
            body.append("{}\n{\"size\":").append(size).append(",\"_source\":").append(SOURCE)
                    .append(",\"query\":").append(query.json()).append("}\n");
        }
        JsonArray responses = send("/_msearch?" + FILTER_PATH_MSEARCH, body, NDJSON, what).getJsonArray("responses");
        if (responses == null || responses.size() != queries.size()) {
            throw new IllegalStateException("OpenSearch answered " + what + " without one response per query");
        }
        List<Ranking> rankings = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            JsonObject item = responses.getJsonObject(i);
            if (item.containsKey("error")) {
                throw failed(what, item.getInt("status", 500), item.get("error"));
            }
            rankings.add(collapse(hitsOf(item), queries.get(i).vectorScored()));
        }
        return rankings;
    }

    /**
     * The {@code size} best documents among the {@code query}'s chunks, collapsed by OpenSearch on the
     * document id, so only those {@code size} sources travel; {@code chunks()} of the ranking is the
     * number of chunks the query matched.
     */
    Ranking runCollapsed(ChunkQuery query, int size, String what) {
        JsonObject answer = send("/_search?" + FILTER_PATH_SEARCH, collapsedBody(query, size), ContentType.APPLICATION_JSON, what);
        return collapsedRanking(answer, query);
    }

    /**
     * {@link #runCollapsed} and {@link #searchableVersions} in one multi-search: one round trip for a
     * search that the hot-vector cache merges into.
     */
    CollapsedWithVersions runCollapsedWithVersions(ChunkQuery query, int size, String tenant,
                                                   Collection<String> documentIds, String what) {
        StringBuilder body = new StringBuilder("{}\n").append(collapsedBody(query, size)).append("\n{}\n")
                .append(versionsBody(tenant, documentIds)).append('\n');
        JsonArray responses = send("/_msearch?" + FILTER_PATH_MSEARCH_TOTAL, body, NDJSON, what).getJsonArray("responses");
        if (responses == null || responses.size() != 2) {
            throw new IllegalStateException("OpenSearch answered " + what + " without one response per query");
        }
        for (int i = 0; i < 2; i++) {
            JsonObject item = responses.getJsonObject(i);
            if (item.containsKey("error")) {
                throw failed(what, item.getInt("status", 500), item.get("error"));
            }
        }
        return new CollapsedWithVersions(collapsedRanking(responses.getJsonObject(0), query),
                versionsOf(responses.getJsonObject(1)));
    }

    record CollapsedWithVersions(Ranking ranking, Map<String, Long> versions) {
    }

    private static StringBuilder collapsedBody(ChunkQuery query, int size) {
        return new StringBuilder(query.json().length() + 256)
                .append("{\"size\":").append(size)
                .append(",\"track_total_hits\":true,\"collapse\":{\"field\":\"").append(IndexFields.DOCUMENT_ID)
                .append("\"},\"_source\":").append(SOURCE)
                .append(",\"query\":").append(query.json()).append('}');
    }

    private Ranking collapsedRanking(JsonObject answer, ChunkQuery query) {
        Ranking collapsed = collapse(hitsOf(answer), query.vectorScored());
        JsonObject total = answer.containsKey("hits") ? answer.getJsonObject("hits").getJsonObject("total") : null;
        long matched = total == null ? collapsed.chunks() : total.getJsonNumber("value").longValue();
        return new Ranking(collapsed.documents(), (int) Math.min(Integer.MAX_VALUE, matched), collapsed.lowestScore());
    }

    /**
     * The versions of the documents' state entries as searches see them (a search, not a real-time
     * get: only what the last refresh made visible).
     */
    Map<String, Long> searchableVersions(String tenant, Collection<String> documentIds, String what) {
        if (documentIds.isEmpty()) {
            return Map.of();
        }
        return versionsOf(send("/_search?" + FILTER_PATH_SEARCH, versionsBody(tenant, documentIds),
                ContentType.APPLICATION_JSON, what));
    }

    /** Every state entry of a tenant, paged in document-id order with {@code search_after}. */
    Map<String, Long> allVersions(String tenant, String what) {
        Map<String, Long> versions = new HashMap<>();
        String after = null;
        while (true) {
            StringBuilder body = new StringBuilder("{\"size\":1000,\"sort\":[{\"").append(IndexFields.DOCUMENT_ID)
                    .append("\":\"asc\"}],\"_source\":[\"").append(IndexFields.DOCUMENT_ID).append("\",\"")
                    .append(IndexFields.VERSION).append("\"],\"query\":{\"bool\":{\"filter\":[")
                    .append("{\"term\":{\"").append(IndexFields.TENANT).append("\":").append(Json.createValue(tenant)).append("}},")
                    .append("{\"term\":{\"").append(IndexFields.KIND).append("\":\"").append(IndexFields.KIND_STATE).append("\"}}]}}");
            if (after != null) {
                body.append(",\"search_after\":[").append(Json.createValue(after)).append(']');
            }
            body.append('}');
            Map<String, Long> page = versionsOf(send("/_search?" + FILTER_PATH_SEARCH, body, ContentType.APPLICATION_JSON, what));
            versions.putAll(page);
            if (page.size() < 1000) {
                return versions;
            }
            after = page.keySet().stream().max(String::compareTo).orElseThrow();
        }
    }

    /** The state entries of the documents (none for an empty list). */
    private static StringBuilder versionsBody(String tenant, Collection<String> documentIds) {
        StringBuilder ids = new StringBuilder();
        for (String id : documentIds) {
            ids.append(ids.isEmpty() ? "" : ",").append(Json.createValue(id));
        }
        return new StringBuilder("{\"size\":").append(documentIds.size())
                .append(",\"_source\":[\"").append(IndexFields.DOCUMENT_ID).append("\",\"").append(IndexFields.VERSION)
                .append("\"],\"query\":{\"bool\":{\"filter\":[")
                .append("{\"term\":{\"").append(IndexFields.TENANT).append("\":").append(Json.createValue(tenant)).append("}},")
                .append("{\"term\":{\"").append(IndexFields.KIND).append("\":\"").append(IndexFields.KIND_STATE).append("\"}},")
                .append("{\"terms\":{\"").append(IndexFields.DOCUMENT_ID).append("\":[").append(ids).append("]}}]}}}");
    }

    private static Map<String, Long> versionsOf(JsonObject answer) {
        Map<String, Long> versions = new HashMap<>();
        for (JsonValue hit : hitsOf(answer)) {
            JsonObject source = hit.asJsonObject().getJsonObject("_source");
            versions.put(source.getString(IndexFields.DOCUMENT_ID), source.getJsonNumber(IndexFields.VERSION).longValue());
        }
        return versions;
    }

    /** The hits of a search answer; filter_path leaves out an empty list altogether. */
    private static JsonArray hitsOf(JsonObject answer) {
        JsonObject hits = answer.getJsonObject("hits");
        JsonArray list = hits == null ? null : hits.getJsonArray("hits");
        return list == null ? JsonValue.EMPTY_JSON_ARRAY : list;
    }

    private JsonObject send(String endpoint, StringBuilder body, ContentType type, String what) {
        SearchTransport.Answer answer;
        try {
            answer = transport.post("/" + index + endpoint, body.toString().getBytes(StandardCharsets.UTF_8), type);
        } catch (IOException e) {
            throw Failures.onRead(what, e);
        }
        JsonObject json;
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(answer.body()))) {
            json = reader.readObject();
        } catch (JsonException e) {
            throw answer.ok()
                    ? new IllegalStateException("OpenSearch answered " + what + " with something other than JSON", e)
                    : failed(what, answer.status(), Json.createValue(new String(answer.body(), StandardCharsets.UTF_8)));
        }
        if (!answer.ok()) {
            throw failed(what, answer.status(), json.get("error"));
        }
        return json;
    }

    private String json(Query query) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = mapper.jsonProvider().createGenerator(out)) {
            query.serialize(generator, mapper);
        }
        return out.toString();
    }

    private static String sourceFilter() {
        StringBuilder json = new StringBuilder("{\"includes\":[");
        for (int i = 0; i < Entries.HIT_FIELDS.size(); i++) {
            json.append(i > 0 ? "," : "").append(Json.createValue(Entries.HIT_FIELDS.get(i)));
        }
        return json.append("]}").toString();
    }

    /** The documents of the chunks, in the order of their best chunk (hits come best first). */
    private Ranking collapse(JsonArray hits, boolean vectorScored) {
        Map<String, DocumentHit> documents = new LinkedHashMap<>();
        float lowest = Float.POSITIVE_INFINITY;
        for (JsonValue value : hits) {
            JsonObject hit = value.asJsonObject();
            float raw = hit.get("_score") instanceof JsonNumber number ? (float) number.doubleValue() : 0f;
            float score = vectorScored ? Scores.fromOpenSearch(space.metric(), raw) : raw;
            lowest = Math.min(lowest, score);
            JsonObject source = hit.getJsonObject("_source");
            documents.putIfAbsent(source.getString(IndexFields.DOCUMENT_ID), Entries.hit(source, score));
        }
        return new Ranking(List.copyOf(documents.values()), hits.size(), lowest);
    }

    /** OpenSearch's error answer as an exception: unavailable when it may pass (the API answers 503). */
    private static RuntimeException failed(String what, int status, JsonValue error) {
        String reason = status + " " + describe(error);
        if (Failures.isTransientStatus(status) || status == 404) {
            return new IndexUnavailableException("OpenSearch is unavailable for " + what + ": " + reason, null);
        }
        return new IllegalStateException("OpenSearch rejected " + what + ": " + reason);
    }

    private static String describe(JsonValue error) {
        if (error instanceof JsonObject object) {
            return object.getString("type", "error") + ": " + object.getString("reason", object.toString());
        }
        return error instanceof JsonString text ? text.getString() : String.valueOf(error);
    }

    /** A query over chunk entries as JSON; {@code vectorScored} when its scores are k-NN scores. */
    record ChunkQuery(String json, boolean vectorScored) {
    }

    /**
     * One query's documents, best first, each with its best chunk; how many chunks came back, and the
     * lowest chunk score among them (positive infinity when none).
     */
    record Ranking(List<DocumentHit> documents, int chunks, float lowestScore) {
    }
}
