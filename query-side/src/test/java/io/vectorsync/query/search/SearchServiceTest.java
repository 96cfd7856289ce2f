package io.vectorsync.query.search;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.Provenance;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndexes;
import io.vectorsync.projections.index.lucene.HnswSettings;
import io.vectorsync.projections.index.lucene.LuceneVectorIndex;
import io.vectorsync.query.HttpJson;
import io.vectorsync.command.api.Problems;
import io.vectorsync.query.TextEmbedder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search resource over HTTP (in memory) against real Lucene indexes. The text embedder is a
 * stand-in: the model is the app's to wire, and the query side only needs a vector back.
 */
@RoutingTest
class SearchServiceTest {

    private static final SpaceSpec SMALL = new SpaceSpec("small", 3, SpaceSpec.Metric.COSINE);
    private static final SpaceSpec CLIENT = new SpaceSpec("client", 2, SpaceSpec.Metric.DOT_PRODUCT);
    private static final Provenance PROVENANCE = new Provenance("test-model", "sentences", 256, 32);
    private static final TextEmbedder EMBEDDER = (space, text) -> {
        if (!space.equals(SMALL.name())) {
            throw TextEmbedder.noModel(space);
        }
        return text.contains("password") ? new float[] {1, 0, 0} : new float[] {0, 1, 0};
    };

    @TempDir
    static Path indexDirectory;
    private static VectorIndexes indexes;

    private final DirectClient client;

    SearchServiceTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        indexes = VectorIndexes.open(List.of(SMALL, CLIENT), LuceneVectorIndex.factory(indexDirectory, HnswSettings.DEFAULT));
        indexes.forSpace("small").apply(List.of(
                document("acme", "reset", "Reset your password", Map.of("lang", "en", "year", new BigDecimal("2025")),
                        chunk(0, "Open the settings page.", 0, 23, 0.2f, 1, 0),
                        chunk(1, "Choose reset password.", 24, 46, 1, 0, 0)),
                document("acme", "billing", "Invoices", Map.of("lang", "de", "year", new BigDecimal("2024")),
                        chunk(0, "Rechnungen finden Sie hier.", 0, 27, 0, 1, 0)),
                document("acme", "shipping", "Shipping", Map.of("lang", "en", "year", new BigDecimal("2026"), "tags", List.of("faq", "orders")),
                        chunk(0, "Parcels leave daily.", 0, 20, 0.7f, 0.7f, 0)),
                document("globex", "secret", "Another tenant", Map.of("lang", "en"),
                        chunk(0, "Not yours.", 0, 10, 1, 0, 0))));
        indexes.forSpace("client").apply(List.of(
                document("acme", "supplied", "Client vectors", Map.of(),
                        new IndexChunk(0, "A passage not found in the body", -1, -1, new float[] {1, 0}))));

        Problems.register(routing)
                .register("/v1/tenants", new SearchService(indexes::forSpace, EMBEDDER, "small", List.of(SMALL, CLIENT)));
    }

    @AfterAll
    static void close() {
        indexes.close();
    }

    @Test
    void findsTheNearestDocumentsOfTheTenantWithTheirBestPassage() {
        HttpJson response = search("acme", "{\"vector\": [1, 0, 0], \"k\": 2}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        JsonObject body = response.body();
        assertThat(body.getString("space")).isEqualTo("small");
        assertThat(body.getString("mode")).isEqualTo("knn");
        assertThat(body.getInt("k")).isEqualTo(2);
        assertThat(body.getJsonNumber("tookMs").longValue()).isNotNegative();
        assertThat(documentIds(body)).containsExactly("reset", "shipping");

        JsonObject best = body.getJsonArray("hits").getJsonObject(0);
        assertThat(best.getJsonNumber("score").doubleValue()).isEqualTo(1.0);
        assertThat(best.getString("title")).isEqualTo("Reset your password");
        assertThat(best.getInt("version")).isEqualTo(1);
        JsonObject passage = best.getJsonObject("passage");
        assertThat(passage.getString("text")).isEqualTo("Choose reset password.");
        assertThat(passage.getInt("start")).isEqualTo(24);
        assertThat(passage.getInt("end")).isEqualTo(46);
        assertThat(passage.getInt("chunk")).isEqualTo(1);
        assertThat(best.getJsonObject("metadata").getString("lang")).isEqualTo("en");
        assertThat(best.getJsonObject("metadata").get("year").getValueType()).isEqualTo(JsonValue.ValueType.NUMBER);
        assertThat(best.getJsonObject("metadata").getJsonNumber("year").intValue()).isEqualTo(2025);

        JsonObject second = body.getJsonArray("hits").getJsonObject(1);
        assertThat(second.getJsonObject("metadata").getJsonArray("tags").getString(0)).isEqualTo("faq");
    }

    @Test
    void neverReturnsAnotherTenantsDocuments() {
        JsonObject body = search("globex", "{\"vector\": [1, 0, 0]}").body();

        assertThat(documentIds(body)).containsExactly("secret");
    }

    @Test
    void embedsATextWithTheDefaultSpacesModel() {
        JsonObject body = search("acme", "{\"text\": \"forgot my password\", \"k\": 1}").body();

        assertThat(body.getString("space")).isEqualTo("small");
        assertThat(documentIds(body)).containsExactly("reset");
    }

    @Test
    void filtersOnMetadata() {
        assertThat(documentIds(search("acme", "{\"vector\": [0, 1, 0], \"filter\": {\"lang\": \"en\"}}").body()))
                .containsExactlyInAnyOrder("reset", "shipping");
        assertThat(documentIds(search("acme", "{\"vector\": [0, 1, 0], \"filter\": {\"year\": {\"gte\": 2025, \"lt\": 2026}}}").body()))
                .containsExactly("reset");
        assertThat(documentIds(search("acme", "{\"vector\": [0, 1, 0], \"filter\": {\"tags\": [\"orders\", \"other\"]}}").body()))
                .containsExactly("shipping");
    }

    @Test
    void dropsHitsBelowTheMinimumScore() {
        JsonObject body = search("acme", "{\"vector\": [1, 0, 0], \"minScore\": 0.99}").body();

        assertThat(documentIds(body)).containsExactly("reset");
    }

    @Test
    void anUnknownPassageSpanIsNull() {
        JsonObject body = search("acme", "{\"vector\": [1, 0], \"space\": \"client\"}").body();

        JsonObject passage = body.getJsonArray("hits").getJsonObject(0).getJsonObject("passage");
        assertThat(passage.isNull("start")).isTrue();
        assertThat(passage.isNull("end")).isTrue();
    }

    @Test
    void badRequestsAre400NamingTheField() {
        assertProblem(search("acme", "{\"vector\": [1, 0]}"), "vector", "vector: has 2 dimensions; space 'small' needs 3");
        assertProblem(search("acme", "{\"text\": \"hello\", \"space\": \"client\"}"), "space", "space: 'client' has no model; send a vector");
        assertProblem(search("acme", "{\"text\": \"hello\", \"space\": \"nope\"}"), "space", "space: 'nope' is not a known space; known spaces: [small, client]");
        assertProblem(search("Acme", "{\"text\": \"hello\"}"), "tenant", null);
        assertProblem(search("acme", ""), "body", "body: is empty; a JSON object is required");
    }

    @Test
    void hybridOnTheEmbeddedIndexFusesTheWordsWithTheMeaning() {
        // "Rechnungen" embeds as [0, 1, 0]: by meaning "billing" then "reset" ([0.2, 1, 0]); by words only "billing"
        HttpJson response = search("acme", "{\"mode\": \"hybrid\", \"text\": \"Rechnungen\", \"k\": 2}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().getString("mode")).isEqualTo("hybrid");
        assertThat(documentIds(response.body())).containsExactly("billing", "reset");
        assertThat(response.body().getJsonArray("hits").getJsonObject(0).getJsonNumber("score").doubleValue())
                .isCloseTo(2.0 / 61, org.assertj.core.data.Offset.offset(1e-6));

        // the words of another tenant's passage find nothing, and a client-vector space takes a vector alongside
        assertThat(documentIds(search("acme", "{\"mode\": \"hybrid\", \"text\": \"yours\", \"k\": 1}").body()))
                .doesNotContain("secret");
        assertThat(documentIds(search("acme",
                "{\"mode\": \"hybrid\", \"text\": \"passage\", \"vector\": [1, 0], \"space\": \"client\"}").body()))
                .containsExactly("supplied");
    }

    private HttpJson search(String tenant, String body) {
        return HttpJson.of(client.post("/v1/tenants/" + tenant + "/search").contentType(MediaTypes.APPLICATION_JSON), body);
    }

    private static void assertProblem(HttpJson response, String field, String detail) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().getString("field")).isEqualTo(field);
        if (detail != null) {
            assertThat(response.body().getString("detail")).isEqualTo(detail);
        }
    }

    private static List<String> documentIds(JsonObject body) {
        return body.getJsonArray("hits").getValuesAs(JsonObject.class).stream().map(hit -> hit.getString("documentId")).toList();
    }

    private static IndexWrite document(String tenant, String documentId, String title, Map<String, Object> metadata, IndexChunk... chunks) {
        return new IndexWrite.ReplaceChunks(tenant, documentId, 1, 1, title, metadata, PROVENANCE, List.of(chunks));
    }

    private static IndexChunk chunk(int index, String passage, int start, int end, float... vector) {
        return new IndexChunk(index, passage, start, end, vector);
    }
}
