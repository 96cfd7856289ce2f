package io.vectorsync.app.frozen;

import io.vectorsync.app.Main;
import io.vectorsync.app.Settings;
import io.vectorsync.app.Vectorsync;
import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
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
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frozen revision-1 event store (written by {@link Revision1StoreGenerator} with the code of its
 * day) loaded into the real tables of a fresh data directory and replayed into fresh indexes, Lucene
 * and OpenSearch: every frozen search, "similar" request, document state and history must come out
 * as frozen. When events get a new revision, this is what proves the upcasters read the old log.
 */
class FrozenRevision1StoreTest {

    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private static List<JsonObject> rows;
    private static JsonObject manifest;
    private static JsonObject expected;
    private static List<EmbeddingSpace> spaces;
    private static long head;

    @BeforeAll
    static void readTheFrozenFiles() {
        rows = FrozenStore.rows();
        manifest = FrozenStore.jsonResource(FrozenStore.MANIFEST);
        expected = FrozenStore.jsonResource(FrozenStore.EXPECTED_SEARCH);
        spaces = manifest.getJsonArray("spaces").getValuesAs(JsonObject.class).stream().map(FrozenStore::space).toList();
        head = manifest.getJsonObject("events").getJsonNumber("headPosition").longValueExact();
    }

    @Test
    void theFrozenStoreHoldsEveryKindOfChangeItClaims() {
        JsonObject events = manifest.getJsonObject("events");
        assertThat(rows).hasSize(events.getInt("rows"));
        assertThat(FrozenStore.globalIndex(rows.getLast())).isEqualTo(head);
        for (int i = 1; i < rows.size(); i++) {
            assertThat(FrozenStore.globalIndex(rows.get(i))).isGreaterThan(FrozenStore.globalIndex(rows.get(i - 1)));
        }
        Map<String, Integer> byType = FrozenStore.countByType(rows);
        events.getJsonObject("byType").forEach((type, count) ->
                assertThat(byType.get(type)).as(type).isEqualTo(FrozenStore.longValue(count)));
        assertThat(byType.keySet()).containsExactlyInAnyOrder("DocumentCreated@1", "DocumentContentRevised@1",
                "DocumentMetadataChanged@1", "DocumentEmbedded@1", "DocumentDeleted@1", "DocumentRestored@1");
        JsonObject documents = manifest.getJsonObject("documents");
        assertThat(documents.getInt("count")).isGreaterThanOrEqualTo(300);
        assertThat(documents.getJsonObject("perTenant")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(spaces).extracting(EmbeddingSpace::model).contains("all-minilm-l6-v2", EmbeddingSpace.CLIENT_MODEL);
        // embeddings by space and chunker: the encoder's, and vectors clients supplied in both spaces
        assertThat(rows.stream()
                .filter(row -> row.getString("payloadType").endsWith(".DocumentEmbedded"))
                .map(row -> ApiClient.parse(row.getString("payload")))
                .map(event -> event.getString("space") + "/" + event.getJsonObject("chunker").getString("name"))
                .distinct())
                .containsExactlyInAnyOrder("default/recursive", "default/client", "catalog/client");
    }

    @Test
    void replayedIntoLuceneItAnswersAsFrozen(@TempDir Path dataDir) throws Exception {
        FrozenStore.load(dataDir, rows);
        Main.Running running = Main.start(FrozenStore.settings(dataDir, spaces));
        try {
            FrozenStore.awaitReplay(running.app(), head, PATIENCE);
            ApiClient api = new ApiClient(running.port());
            assertThat(searchDifferences(api)).isEmpty();
            assertThat(documentDifferences(api)).isEmpty();
        } finally {
            running.stop();
        }
    }

    @Test
    void replayedIntoOpenSearchItAnswersAsFrozen(@TempDir Path dataDir) throws Exception {
        Settings settings = FrozenStore.openSearchSettings(dataDir, spaces, "frozen");
        FrozenStore.load(dataDir, rows);
        Main.Running running = Main.start(settings);
        try {
            FrozenStore.awaitReplay(running.app(), head, PATIENCE);
            // applied is durable; searchable after a refresh, which the test asks for instead of waiting a second
            running.app().indexes().all().forEach(VectorIndex::makeSearchable);
            assertThat(searchDifferences(new ApiClient(running.port()))).isEmpty();
        } finally {
            running.stop();
            FrozenStore.dropIndexes(settings.opensearch());
        }
    }

    /** Every frozen search and "similar" request, run again; one line per difference. */
    private static List<String> searchDifferences(ApiClient api) {
        List<String> problems = new ArrayList<>();
        List<JsonObject> searches = expected.getJsonArray("searches").getValuesAs(JsonObject.class);
        assertThat(searches).hasSizeGreaterThanOrEqualTo(30);
        for (JsonObject search : searches) {
            String name = search.getString("name");
            JsonArray hits = api.postJson(search.getString("tenant"), "/search", search.getJsonObject("request"))
                    .getJsonArray("hits");
            HitComparison.differences(search.getJsonArray("hits"), hits, true).forEach(p -> problems.add(name + ": " + p));
            List<String> ids = HitComparison.ids(hits);
            for (JsonString id : search.getJsonArray("present").getValuesAs(JsonString.class)) {
                if (!ids.contains(id.getString())) {
                    problems.add(name + ": " + id.getString() + " must be found, got " + ids);
                }
            }
            for (JsonString id : search.getJsonArray("absent").getValuesAs(JsonString.class)) {
                if (ids.contains(id.getString())) {
                    problems.add(name + ": " + id.getString() + " must not be found, got " + ids);
                }
            }
        }
        List<JsonObject> similar = expected.getJsonArray("similar").getValuesAs(JsonObject.class);
        assertThat(similar).isNotEmpty();
        for (JsonObject request : similar) {
            JsonArray hits = api.postJson(request.getString("tenant"),
                    "/documents/" + request.getString("documentId") + "/similar", request.getJsonObject("request"))
                    .getJsonArray("hits");
            HitComparison.differences(request.getJsonArray("hits"), hits, true)
                    .forEach(p -> problems.add(request.getString("name") + ": " + p));
        }
        return problems;
    }

    /** Every document's state and history, read from the replayed store. */
    private static List<String> documentDifferences(ApiClient api) {
        List<String> problems = new ArrayList<>();
        List<JsonObject> documents = FrozenStore.jsonLinesResource(FrozenStore.EXPECTED_DOCUMENTS);
        assertThat(documents).hasSize(manifest.getJsonObject("documents").getInt("count"));
        for (JsonObject line : documents) {
            String path = "/documents/" + line.getString("documentId");
            String tenant = line.getString("tenant");
            JsonObject state = api.getJson(tenant, path);
            if (!HitComparison.sameJson(line.getJsonObject("document"), state)) {
                problems.add(tenant + path + " is " + state + ", expected " + line.getJsonObject("document"));
            }
            JsonObject history = api.getJson(tenant, path + "/history");
            if (!HitComparison.sameJson(line.getJsonObject("history"), HitComparison.asFrozen(history))) {
                problems.add(tenant + path + "/history is " + history + ", expected " + line.getJsonObject("history"));
            }
        }
        return problems;
    }
}
