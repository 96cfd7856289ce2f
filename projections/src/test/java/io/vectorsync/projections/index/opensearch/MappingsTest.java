package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The create-index body, checked without a node (a faiss index would crash one without native libraries). */
class MappingsTest {

    private static final SpaceSpec MINILM = new SpaceSpec("minilm", 384, SpaceSpec.Metric.COSINE);
    private static final OpenSearchSettings DEFAULTS = OpenSearchSettings.defaults(List.of(URI.create("http://os:9200")));

    @Test
    void faissEngineSpellsOutItsMethod() {
        OpenSearchSettings.KnnMethod faiss = new OpenSearchSettings.KnnMethod(OpenSearchSettings.Engine.FAISS,
                32, 256, 128, OpenSearchSettings.Quantization.NONE);
        SpaceSpec dot = new SpaceSpec("client", 768, SpaceSpec.Metric.DOT_PRODUCT);

        assertThat(Mappings.vector(dot, faiss)).isEqualTo(json("""
                {"type": "knn_vector", "dimension": 768,
                 "method": {"name": "hnsw", "engine": "faiss", "space_type": "innerproduct",
                            "parameters": {"m": 32, "ef_construction": 256}}}"""));
    }

    @Test
    void scalarQuantizationAddsLucenesEncoder() {
        OpenSearchSettings.KnnMethod sq = new OpenSearchSettings.KnnMethod(OpenSearchSettings.Engine.LUCENE,
                16, 100, 100, OpenSearchSettings.Quantization.SQ);
        SpaceSpec euclidean = new SpaceSpec("images", 4, SpaceSpec.Metric.EUCLIDEAN);

        assertThat(Mappings.vector(euclidean, sq)).isEqualTo(json("""
                {"type": "knn_vector", "dimension": 4,
                 "method": {"name": "hnsw", "engine": "lucene", "space_type": "l2",
                            "parameters": {"m": 16, "ef_construction": 100, "encoder": {"name": "sq"}}}}"""));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = OpenSearchSettings.Quantization.class, names = {"SQ"})
    void quantizationIsForTheLuceneEngineOnly(OpenSearchSettings.Quantization quantization) {
        assertThatThrownBy(() -> new OpenSearchSettings.KnnMethod(OpenSearchSettings.Engine.FAISS, 16, 100, 100,
                quantization)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(quantization.wireName());
    }

    @Test
    void createBodyHoldsSettingsMappingAndAliases() {
        JsonObject body = Mappings.createIndexBody(MINILM, DEFAULTS.withShards(3, 2), "vectorsync-minilm",
                "vectorsync-minilm-write");

        assertThat(body.getJsonObject("settings").getJsonObject("index")).isEqualTo(json("""
                {"number_of_shards": 3, "number_of_replicas": 2, "knn": true,
                 "knn.algo_param.ef_search": 100, "gc_deletes": "1h"}"""));
        assertThat(body.getJsonObject("aliases")).isEqualTo(json("""
                {"vectorsync-minilm": {}, "vectorsync-minilm-write": {"is_write_index": true}}"""));
        JsonObject mappings = body.getJsonObject("mappings");
        assertThat(mappings.getString("dynamic")).isEqualTo("strict");
        assertThat(mappings.getJsonArray("dynamic_templates")).hasSize(3);
        assertThat(mappings.getJsonObject("properties").getJsonObject("vector").getInt("dimension")).isEqualTo(384);
    }

    @Test
    void layoutNamesVersionsAndAliases() {
        IndexLayout layout = IndexLayout.of("vectorsync", MINILM);

        assertThat(layout.readAlias()).isEqualTo("vectorsync-minilm");
        assertThat(layout.writeAlias()).isEqualTo("vectorsync-minilm-write");
        assertThat(layout.physical(2)).isEqualTo("vectorsync-minilm-v2");
        assertThatThrownBy(() -> IndexLayout.of("vectorsync", new SpaceSpec("MiniLM", 384, SpaceSpec.Metric.COSINE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(DEFAULTS.indexPrefix()).isEqualTo("vectorsync");
        assertThat(DEFAULTS.shards()).isEqualTo(1);
        assertThat(DEFAULTS.replicas()).isEqualTo(1);
        assertThat(DEFAULTS.knn()).isEqualTo(OpenSearchSettings.KnnMethod.DEFAULT);
        assertThat(DEFAULTS.bulkMaxBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(DEFAULTS.retry().backoff(1)).hasMillis(200);
        assertThat(DEFAULTS.retry().backoff(3)).hasMillis(800);
        assertThat(DEFAULTS.retry().backoff(10)).hasSeconds(5);
        assertThat(DEFAULTS.withCredentials("admin", "secret").toString()).doesNotContain("secret");
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
