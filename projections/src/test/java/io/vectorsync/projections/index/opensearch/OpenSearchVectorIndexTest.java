package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.IndexUnavailableException;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.IndexWrite.ChangeMetadata;
import io.vectorsync.projections.index.IndexWrite.Delete;
import io.vectorsync.projections.index.IndexWriteException;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexContract;
import io.vectorsync.projections.index.VectorIndexes;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.vectorsync.projections.index.TestVectors.blend;
import static io.vectorsync.projections.index.TestVectors.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * The contract and the OpenSearch specifics against a real node: {@value #NODE_URL} must name it
 * (the README's test command starts one). Each test works under its own index prefix and deletes its
 * indexes afterwards.
 */
class OpenSearchVectorIndexTest extends VectorIndexContract {

    static final String NODE_URL = "VECTORSYNC_TEST_OPENSEARCH_URL";
    private static final OpenSearchSettings.Retry QUICK_RETRY =
            new OpenSearchSettings.Retry(2, Duration.ofMillis(50), Duration.ofMillis(100));

    private static OpenSearchClient admin;

    private final String prefix = "vst-" + UUID.randomUUID().toString().substring(0, 8);

    static URI nodeUrl() {
        String url = System.getenv(NODE_URL);
        if (url == null || url.isBlank()) {
            fail(NODE_URL + " is not set. These tests need a real OpenSearch 3.x node with the k-NN plugin:"
                    + " start one (bin/opensearch start test prints its URL) and export " + NODE_URL + "=<url>");
        }
        return URI.create(url.trim());
    }

    /** Replicas 0 on the single test node, this test's prefix, quick retries. */
    private OpenSearchSettings settings() {
        return OpenSearchSettings.defaults(List.of(nodeUrl()))
                .withIndexPrefix(prefix)
                .withShards(1, 0)
                .withRetry(QUICK_RETRY);
    }

    @BeforeAll
    static void connect() {
        admin = OpenSearchClients.create(OpenSearchSettings.defaults(List.of(nodeUrl())));
    }

    @AfterAll
    static void disconnect() {
        if (admin != null) {
            OpenSearchClients.close(admin);
        }
    }

    @AfterEach
    void deleteIndexes() throws IOException {
        call("DELETE", "/" + prefix + "-*", null);
    }

    @Override
    protected VectorIndex openIndex(SpaceSpec space) {
        return OpenSearchVectorIndex.open(space, settings());
    }

    @Override
    protected long deletedEntriesStored() throws IOException {
        String physical = openSearchIndex().physicalIndex();
        return call("GET", "/" + physical + "/_stats/docs", null).getJsonObject("_all").getJsonObject("total")
                .getJsonObject("docs").getJsonNumber("deleted").longValue();
    }

    private OpenSearchVectorIndex openSearchIndex() {
        return (OpenSearchVectorIndex) index;
    }

    private void applyAndRefresh(List<IndexWrite> writes) {
        index.apply(writes);
        index.makeSearchable();
    }

    /**
     * A version built with the k-NN plugin's scalar quantization keeps recall@10 at 0.95 or more on embedding-like
     * vectors: the query oversamples the quantized graph and the plugin rescores the candidates with the
     * full-precision vectors, so the scores are exact cosines too. (Without the rescoring, this data gave 0.935.)
     */
    @Test
    void aQuantizedVersionRescoresItsCandidatesAndKeepsRecall() throws IOException {
        SpaceSpec space = new SpaceSpec("quantized", 384, SpaceSpec.Metric.COSINE);
        java.util.Random random = new java.util.Random(29);
        float[][] stored = io.vectorsync.projections.index.TestVectors.clustered(random, 3_000, 384);
        float[][] queries = io.vectorsync.projections.index.TestVectors.clustered(random, 60, 384);
        OpenSearchSettings quantized = settings().withKnn(new OpenSearchSettings.KnnMethod(
                OpenSearchSettings.Engine.LUCENE, 16, 100, 100, OpenSearchSettings.Quantization.SQ));
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(space, quantized)) {
            indexInApplies(index, stored, 500);
            double recall = recallAt10(index, stored, queries, 1e-4);
            System.out.printf("OpenSearch recall@10 with sq: %.3f%n", recall);
            assertThat(recall).as("recall@10 with sq").isGreaterThanOrEqualTo(0.95);
            JsonObject field = call("GET", "/" + index.physicalIndex() + "/_mapping", null)
                    .getJsonObject(index.physicalIndex()).getJsonObject("mappings").getJsonObject("properties")
                    .getJsonObject(IndexFields.VECTOR);
            assertThat(field.getJsonObject("method").getJsonObject("parameters").getJsonObject("encoder")
                    .getString("name")).isEqualTo("sq");
        }
    }

    @Test
    void createsVersionOneBehindAReadAndAWriteAlias() throws IOException {
        String base = prefix + "-" + SPACE.name();

        assertThat(openSearchIndex().physicalIndex()).isEqualTo(base + "-v1");
        JsonObject aliases = call("GET", "/" + base + "-v1/_alias", null).getJsonObject(base + "-v1")
                .getJsonObject("aliases");
        assertThat(aliases.keySet()).containsExactlyInAnyOrder(base, base + "-write");
        assertThat(aliases.getJsonObject(base + "-write").getBoolean("is_write_index")).isTrue();
    }

    @Test
    void mappingIsSpelledOut() throws IOException {
        String physical = openSearchIndex().physicalIndex();

        JsonObject mappings = call("GET", "/" + physical + "/_mapping", null).getJsonObject(physical)
                .getJsonObject("mappings");
        assertThat(mappings.getString("dynamic")).isEqualTo("strict");
        JsonObject properties = mappings.getJsonObject("properties");
        JsonObject vector = properties.getJsonObject("vector");
        assertThat(vector.getString("type")).isEqualTo("knn_vector");
        assertThat(vector.getInt("dimension")).isEqualTo(DIMENSION);
        JsonObject method = vector.getJsonObject("method");
        assertThat(method.getString("name")).isEqualTo("hnsw");
        assertThat(method.getString("engine")).isEqualTo("lucene");
        assertThat(method.getString("space_type")).isEqualTo("cosinesimil");
        assertThat(method.getJsonObject("parameters").getInt("m")).isEqualTo(16);
        assertThat(method.getJsonObject("parameters").getInt("ef_construction")).isEqualTo(100);
        Map<String, String> types = new HashMap<>();
        properties.forEach((name, field) -> types.put(name, field.asJsonObject().getString("type", "object")));
        assertThat(types).containsEntry("tenant", "keyword").containsEntry("document_id", "keyword")
                .containsEntry("key", "keyword").containsEntry("kind", "keyword").containsEntry("model", "keyword")
                .containsEntry("chunker", "keyword").containsEntry("chunk", "integer").containsEntry("start", "integer")
                .containsEntry("end", "integer").containsEntry("chunk_max_tokens", "integer")
                .containsEntry("chunk_overlap_tokens", "integer").containsEntry("version", "long")
                .containsEntry("content_revision", "long").containsEntry("deleted", "boolean")
                .containsEntry("passage", "text").containsEntry("title", "text").containsEntry("metadata", "object");
        assertThat(properties.getJsonObject("passage").getString("analyzer")).isEqualTo("standard");
        assertThat(properties.getJsonObject("title").getJsonObject("fields").getJsonObject("keyword")
                .getString("type")).isEqualTo("keyword");

        JsonObject settings = call("GET", "/" + physical + "/_settings", null).getJsonObject(physical)
                .getJsonObject("settings").getJsonObject("index");
        assertThat(settings.getString("knn")).isEqualTo("true");
        assertThat(settings.getString("gc_deletes")).isEqualTo("1h");
        assertThat(settings.getString("number_of_replicas")).isEqualTo("0");
    }

    @Test
    void metadataIsIndexedTypedLikeTheFilters() throws IOException {
        applyAndRefresh(List.of(replace(TENANT, "doc-1", 1, Map.of("lang", "en", "year", new BigDecimal("2024"),
                "public", true, "tags", List.of("a"), "dotted.key", "x"), unit(DIMENSION, 1))));

        String physical = openSearchIndex().physicalIndex();
        JsonObject metadata = call("GET", "/" + physical + "/_mapping", null).getJsonObject(physical)
                .getJsonObject("mappings").getJsonObject("properties").getJsonObject("metadata")
                .getJsonObject("properties");
        assertThat(type(metadata, "keyword", "lang")).isEqualTo("keyword");
        assertThat(type(metadata, "keyword", "tags")).isEqualTo("keyword");
        assertThat(type(metadata, "keyword", "dotted%2Ekey")).isEqualTo("keyword");
        assertThat(type(metadata, "number", "year")).isEqualTo("double");
        assertThat(type(metadata, "boolean", "public")).isEqualTo("boolean");
        assertThat(ids(index.search(query(unit(DIMENSION, 1), 5, new MetadataFilter.Equals("dotted.key", "x")))))
                .containsExactly("doc-1");
    }

    private static String type(JsonObject metadata, String typed, String field) {
        return metadata.getJsonObject(typed).getJsonObject("properties").getJsonObject(field).getString("type");
    }

    @Test
    void reopeningFindsTheExistingIndexInsteadOfCreatingAnother() throws IOException {
        String physical = openSearchIndex().physicalIndex();
        index.close();

        index = openIndex(SPACE);

        assertThat(openSearchIndex().physicalIndex()).isEqualTo(physical);
        assertThat(call("GET", "/" + prefix + "-*/_alias", null).keySet()).containsExactly(physical);
    }

    @Test
    void refusesAnIndexBuiltForAnotherDimension() {
        SpaceSpec resized = new SpaceSpec(SPACE.name(), DIMENSION * 2, SPACE.metric());

        assertThatThrownBy(() -> openIndex(resized))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dimension " + DIMENSION);
    }

    @Test
    void tombstoneOutlivesGcDeletes() throws Exception {
        float[] vector = unit(DIMENSION, 1);
        applyAndRefresh(List.of(replace(TENANT, "doc-1", 2, Map.of(), vector)));
        call("PUT", "/" + openSearchIndex().physicalIndex() + "/_settings",
                Json.createObjectBuilder().add("index", Json.createObjectBuilder().add("gc_deletes", "0s")).build());
        applyAndRefresh(List.of(new Delete(TENANT, "doc-1", 4)));
        Thread.sleep(200);
        index.makeSearchable(); // a refresh prunes the deletes OpenSearch no longer has to remember

        applyAndRefresh(List.of(replace(TENANT, "doc-1", 3, Map.of(), vector)));

        assertThat(index.search(query(vector, 5))).isEmpty();
        assertThat(index.countChunks(TENANT)).isZero();
        assertThat(index.version(TENANT, "doc-1")).hasValue(4);
        // the test is meaningful: OpenSearch alone has forgotten the delete and takes the older version
        String chunkId = URLEncoder.encode(Entries.chunkId(TENANT, "doc-1", 0), StandardCharsets.UTF_8);
        JsonObject raw = call("PUT", "/" + openSearchIndex().layout().writeAlias() + "/_doc/" + chunkId
                + "?version=3&version_type=external_gte", Json.createObjectBuilder().add("kind", "chunk").build());
        assertThat(raw.getString("result")).isEqualTo("created");
    }

    @Test
    void tinyBulksStillWriteEverything() {
        index.close();
        index = OpenSearchVectorIndex.open(SPACE, settings().withBulkMaxBytes(1));
        List<IndexWrite> writes = new ArrayList<>();
        for (int doc = 0; doc < 5; doc++) {
            writes.add(replace(TENANT, "doc-" + doc, 1, Map.of("n", new BigDecimal(doc)),
                    unit(DIMENSION, doc * 10), unit(DIMENSION, doc * 10 + 1), unit(DIMENSION, doc * 10 + 2)));
        }

        applyAndRefresh(writes);
        applyAndRefresh(List.of(replace(TENANT, "doc-0", 2, Map.of(), unit(DIMENSION, 99)), new Delete(TENANT, "doc-1", 2)));

        assertThat(index.countDocuments(TENANT)).isEqualTo(4);
        assertThat(index.countChunks(TENANT)).isEqualTo(1 + 3 * 3);
    }

    @Test
    void entriesOpenSearchRejectsFailTheBatchForGood() throws IOException {
        call("PUT", "/" + openSearchIndex().physicalIndex() + "/_settings", Json.createObjectBuilder()
                .add("index", Json.createObjectBuilder().add("mapping.total_fields.limit", 40)).build());
        Map<String, Object> manyKeys = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            manyKeys.put("key" + i, "value");
        }

        assertThatThrownBy(() -> index.apply(List.of(replace(TENANT, "too-many-fields", 1, manyKeys, unit(DIMENSION, 1)))))
                .isInstanceOfSatisfying(IndexWriteException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.rejected()).containsOnlyKeys(TENANT + "/too-many-fields");
                })
                .hasMessageContaining("acme/too-many-fields")
                .hasMessageContaining("total fields");
        assertThat(index.version(TENANT, "too-many-fields")).as("no state claims the version").isEmpty();
    }

    /** The bulk body is written by hand: ids that need escaping and floats in exponent form survive it. */
    @Test
    void oddIdsAndTinyFloatsSurviveTheBulkBody() throws IOException {
        String documentId = "quote\" back\\slash tab\t line\n ctrl\u0001 é 🙂";
        float[] vector = unit(DIMENSION, 3);
        vector[0] = 1.0E-7f;
        vector[1] = -3.4E-12f;
        applyAndRefresh(List.of(replace(TENANT, documentId, 2, Map.of(), vector)));
        // rewrites the chunk from the vector read back from its source
        applyAndRefresh(List.of(new ChangeMetadata(TENANT, documentId, 3, Map.of("lang", "en"))));

        assertThat(index.version(TENANT, documentId)).hasValue(3);
        assertThat(ids(index.search(query(vector, 5)))).containsExactly(documentId);
        // a path takes "+" literally: spaces as %20
        String chunkId = URLEncoder.encode(Entries.chunkId(TENANT, documentId, 0), StandardCharsets.UTF_8)
                .replace("+", "%20");
        JsonObject source = call("GET", "/" + openSearchIndex().layout().readAlias() + "/_doc/" + chunkId, null)
                .getJsonObject("_source");
        assertThat(source.getString("document_id")).isEqualTo(documentId);
        List<Float> stored = source.getJsonArray("vector").getValuesAs(JsonNumber.class).stream()
                .map(number -> Float.parseFloat(number.toString()))
                .toList();
        List<Float> written = new ArrayList<>();
        for (float value : vector) {
            written.add(value);
        }
        assertThat(stored).isEqualTo(written);
    }

    @Test
    void anUnreachableClusterFailsWritesTransientlyAndReadsAsUnavailable() throws Exception {
        URI node = nodeUrl();
        try (TcpProxy proxy = new TcpProxy(node.getHost(), node.getPort())) {
            OpenSearchSettings viaProxy = settings().withEndpoints(List.of(URI.create(proxy.url())));
            try (OpenSearchVectorIndex remote = OpenSearchVectorIndex.open(SPACE, viaProxy)) {
                assertThat(remote.healthy()).as(remote.healthDetail()).isTrue();

                proxy.close();

                long started = System.nanoTime();
                assertThatThrownBy(() -> remote.apply(List.of(replace(TENANT, "doc-1", 1, Map.of(), unit(DIMENSION, 1)))))
                        .isInstanceOfSatisfying(IndexWriteException.class, e -> assertThat(e.isTransient()).isTrue());
                assertThatThrownBy(() -> remote.search(query(unit(DIMENSION, 1), 5)))
                        .isInstanceOf(IndexUnavailableException.class);
                assertThat(remote.healthy()).isFalse();
                assertThat(remote.healthDetail()).contains("does not answer");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            }
        }
    }

    @Test
    void anUnreachableEndpointFailsToOpenAsUnavailable() {
        OpenSearchSettings nowhere = OpenSearchSettings.defaults(List.of(URI.create("http://127.0.0.1:1")))
                .withIndexPrefix(prefix);

        assertThatThrownBy(() -> OpenSearchVectorIndex.open(SPACE, nowhere))
                .isInstanceOf(IndexUnavailableException.class)
                .hasMessageContaining("127.0.0.1:1");
    }

    // hybrid search is in the contract (VectorIndexContract), run by both adapters

    @Test
    void dotProductScoresOnTheScaleOfTheLuceneAdapter() {
        index.close();
        SpaceSpec dot = new SpaceSpec("dot-space", DIMENSION, SpaceSpec.Metric.DOT_PRODUCT);
        index = openIndex(dot);
        float[] query = unit(DIMENSION, 1);
        float[] similar = blend(query, unit(DIMENSION, 2), 0.3);
        float[] opposite = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            opposite[i] = -similar[i];
        }
        applyAndRefresh(List.of(
                replace(TENANT, "similar", 1, Map.of(), similar),
                replace(TENANT, "opposite", 1, Map.of(), opposite)));

        List<DocumentHit> hits = index.search(new VectorQuery(TENANT, query, 5, MetadataFilter.NONE, null));

        double dotProduct = 0;
        for (int i = 0; i < DIMENSION; i++) {
            dotProduct += query[i] * similar[i];
        }
        assertThat(ids(hits)).containsExactly("similar", "opposite");
        assertThat(hits.get(0).score()).isCloseTo((float) ((1 + dotProduct) / 2), within(1e-4f));
        assertThat(hits.get(1).score()).isCloseTo((float) ((1 - dotProduct) / 2), within(1e-4f));
    }

    @Test
    void spacesOfOneFactoryShareAClientUntilTheLastCloses() {
        SpaceSpec other = new SpaceSpec("other-space", 4, SpaceSpec.Metric.EUCLIDEAN);
        try (VectorIndexes indexes = VectorIndexes.open(List.of(SPACE, other),
                OpenSearchVectorIndex.factory(settings()))) {
            indexes.forSpace("contract-space").close();

            OpenSearchVectorIndex still = (OpenSearchVectorIndex) indexes.forSpace("other-space");
            still.apply(List.of(replace(TENANT, "doc-1", 1, Map.of(), unit(4, 1))));
            still.refresh();
            assertThat(still.countChunks(TENANT)).isEqualTo(1);
            assertThat(still.physicalIndex()).isEqualTo(prefix + "-other-space-v1");
        }
    }

    /** A raw request through the admin client; the reply's JSON body. */
    private static JsonObject call(String method, String path, JsonObject body) throws IOException {
        Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(path);
        if (body != null) {
            request.json(body);
        }
        try (Response response = admin.generic().execute(request.build())) {
            String text = response.getBody().map(Body::bodyAsString).orElse("{}");
            assertThat(response.getStatus()).as(method + " " + path + ": " + text).isLessThan(300);
            try (var reader = Json.createReader(new StringReader(text))) {
                return reader.readObject();
            }
        }
    }
}
