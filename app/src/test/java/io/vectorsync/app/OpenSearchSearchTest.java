package io.vectorsync.app;

import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query API of the real app with {@code index.kind=opensearch}, against the node in
 * {@code VECTORSYNC_TEST_OPENSEARCH_URL}: documents go in through the command API, the in-process
 * model embeds them, and searches run k-NN and hybrid through HTTP.
 */
class OpenSearchSearchTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String PART_NUMBER_DOCUMENT = "stock-note";

    @TempDir
    static Path dataDir;
    private static TestApp app;
    private static String url;
    private static final List<String> physicalIndexes = new ArrayList<>();

    @BeforeAll
    static void startAppAndIndexDocuments() {
        url = System.getenv("VECTORSYNC_TEST_OPENSEARCH_URL");
        assertThat(url)
                .as("VECTORSYNC_TEST_OPENSEARCH_URL must be the URL of an OpenSearch node with the k-NN plugin; "
                        + "run the tests with bin/test, or export VECTORSYNC_TEST_OPENSEARCH_URL=$(bin/opensearch start)")
                .isNotBlank();
        app = TestApp.start(TestApp.keys(dataDir)
                .opensearch(url, "search-" + UUID.randomUUID().toString().substring(0, 8), 1, 0).settings());
        app.app().indexes().all()
                .forEach(index -> physicalIndexes.add(((OpenSearchVectorIndex) index).physicalIndex()));

        upsert("acme", "password-help", "Resetting your password",
                "If you forgot your password, open Account settings and choose Reset password.",
                "{\"team\": \"support\", \"year\": 2024}");
        upsert("acme", "invoice-copy", "Getting a copy of an invoice",
                "Invoices are listed under Billing; download any month as a PDF.",
                "{\"team\": \"billing\", \"year\": 2023}");
        upsert("acme", "refunds", "Refunds",
                "Money goes back to the original card within ten business days after we receive the item.",
                "{\"team\": \"billing\", \"year\": 2025}");
        upsert("acme", "seal-swap", "Swapping a worn seal",
                "Drain the pump, pull out the old O-ring with a plastic pick and press in a new one until it sits flush.",
                "{\"team\": \"maintenance\", \"year\": 2025}");
        upsert("acme", PART_NUMBER_DOCUMENT, "Warehouse stock note",
                "Item XK-4471 ships from Leipzig in cartons of twelve; reorder when fewer than three cartons remain.",
                "{\"team\": \"logistics\", \"year\": 2024}");
        // the same id in another tenant, with its own text
        upsert("globex", "password-help", "Password help at Globex",
                "Globex staff reset forgotten passwords at the IT desk on floor two.",
                "{\"team\": \"support\", \"year\": 2024}");

        // OpenSearch makes writes searchable at its next refresh, about a second after they are applied
        TestApp.await("every document is embedded and searchable", PATIENCE,
                () -> documentIds(search("acme", "{\"text\": \"anything\", \"k\": 100}")).size() == 5
                        && documentIds(search("globex", "{\"text\": \"anything\", \"k\": 100}")).size() == 1);
    }

    @AfterAll
    static void stopAppAndDropIndexes() throws Exception {
        if (app != null) {
            app.close();
        }
        // the node is shared by the test run: drop this test's indexes (their aliases go with them)
        HttpClient http = HttpClient.newHttpClient();
        for (String index : physicalIndexes) {
            http.send(HttpRequest.newBuilder(URI.create(url + "/" + index)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    @Test
    void findsTheDocumentByMeaningWithItsPassage() {
        JsonObject body = search("acme", "{\"text\": \"I cannot log in to my account\", \"k\": 3}");

        assertThat(body.getString("mode")).isEqualTo("knn");
        assertThat(body.getString("space")).isEqualTo("default");
        JsonObject best = body.getJsonArray("hits").getJsonObject(0);
        assertThat(best.getString("documentId")).isEqualTo("password-help");
        assertThat(best.getString("title")).isEqualTo("Resetting your password");
        assertThat(best.getJsonObject("passage").getString("text")).startsWith("If you forgot your password");
        assertThat(best.getJsonObject("metadata").getString("team")).isEqualTo("support");
        assertThat(best.getInt("version")).as("created, then embedded").isEqualTo(2);
        double score = best.getJsonNumber("score").doubleValue();
        assertThat(score).isBetween(0.5, 1.0);
    }

    @Test
    void filtersOnMetadataInsideTheVectorSearch() {
        assertThat(documentIds(search("acme",
                "{\"text\": \"I cannot log in to my account\", \"filter\": {\"team\": \"billing\"}}")))
                .containsExactlyInAnyOrder("invoice-copy", "refunds");
        assertThat(documentIds(search("acme",
                "{\"text\": \"where is my money\", \"filter\": {\"team\": [\"billing\", \"logistics\"], \"year\": {\"gte\": 2025}}}")))
                .containsExactly("refunds");
        assertThat(documentIds(search("acme", "{\"text\": \"where is my money\", \"filter\": {\"team\": \"nobody\"}}")))
                .isEmpty();
    }

    @Test
    void neverReturnsAnotherTenantsDocuments() {
        JsonObject globex = search("globex", "{\"text\": \"I forgot my password\", \"k\": 10}");
        assertThat(documentIds(globex)).containsExactly("password-help");
        assertThat(globex.getJsonArray("hits").getJsonObject(0).getJsonObject("passage").getString("text"))
                .startsWith("Globex staff");

        JsonObject acme = search("acme", "{\"text\": \"Globex IT desk on floor two\", \"k\": 10}");
        assertThat(acme.getJsonArray("hits").getValuesAs(JsonObject.class))
                .allSatisfy(hit -> assertThat(hit.getJsonObject("passage").getString("text")).doesNotContain("Globex"));
        assertThat(documentIds(search("globex", "{\"mode\": \"hybrid\", \"text\": \"XK-4471\", \"k\": 10}")))
                .containsExactly("password-help");
    }

    @Test
    void hybridPutsTheDocumentWithTheExactPartNumberFirstWherePureKnnDoesNot() {
        String query = "\"text\": \"XK-4471 replacement gasket\", \"k\": 5";

        JsonObject knn = search("acme", "{" + query + "}");
        JsonObject hybrid = search("acme", "{\"mode\": \"hybrid\", " + query + "}");

        // by meaning alone, a part number is noise: the passage about replacing a seal is nearer
        assertThat(knn.getString("mode")).isEqualTo("knn");
        assertThat(documentIds(knn).getFirst()).isEqualTo("seal-swap");
        assertThat(documentIds(knn)).contains(PART_NUMBER_DOCUMENT);
        // BM25 on the words finds the one passage that has it, and the fusion ranks it first
        assertThat(hybrid.getString("mode")).isEqualTo("hybrid");
        assertThat(documentIds(hybrid).getFirst()).isEqualTo(PART_NUMBER_DOCUMENT);
        assertThat(hybrid.getJsonArray("hits").getJsonObject(0).getJsonObject("passage").getString("text"))
                .contains("XK-4471");
        assertThat(documentIds(hybrid)).contains("seal-swap");
    }

    @Test
    void hybridKeepsTheFilter() {
        JsonObject body = search("acme",
                "{\"mode\": \"hybrid\", \"text\": \"XK-4471 replacement gasket\", \"filter\": {\"team\": \"maintenance\"}}");

        assertThat(documentIds(body)).containsExactly("seal-swap");
    }

    @Test
    void hybridWithMinScoreIsABadRequest() {
        TestApp.Response response = app.post("/v1/tenants/acme/search", "application/json",
                "{\"mode\": \"hybrid\", \"text\": \"XK-4471\", \"minScore\": 0.5}");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().getString("field")).isEqualTo("minScore");
    }

    @Test
    void readinessReportsEachOpenSearchIndex() {
        TestApp.Response ready = app.get("/health/ready");
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        JsonObject brief = ready.json().getJsonObject("checks").getJsonObject("index");
        TestApp.Response health = app.get("/v1/admin/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        JsonObject indexes = health.json().getJsonObject("checks").getJsonObject("index");
        for (VectorIndex index : app.app().indexes().all()) {
            String readAlias = ((OpenSearchVectorIndex) index).layout().readAlias();
            assertThat(brief.getString(index.space().name())).as("public readiness says no more").isEqualTo("UP");
            JsonObject detailed = indexes.getJsonObject(index.space().name());
            assertThat(detailed.getString("status")).isEqualTo("UP");
            assertThat(detailed.getString("detail")).as("admins see which index").startsWith(readAlias + " (");
        }
    }

    private static void upsert(String tenant, String documentId, String title, String body, String metadata) {
        TestApp.Response response = app.put("/v1/tenants/" + tenant + "/documents/" + documentId,
                "{\"title\": \"" + title + "\", \"body\": \"" + body + "\", \"metadata\": " + metadata + "}");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    private static JsonObject search(String tenant, String request) {
        TestApp.Response response = app.post("/v1/tenants/" + tenant + "/search", "application/json", request);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static List<String> documentIds(JsonObject body) {
        return body.getJsonArray("hits").getValuesAs(JsonObject.class).stream()
                .map(hit -> hit.getString("documentId"))
                .toList();
    }
}
