package io.vectorsync.app;

import io.vectorsync.json.Json;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure is physical on OpenSearch too (issue 21): after an erasure that waited for every copy, no file of the
 * index's directory under the OpenSearch node's data path — segments and translog — holds the erased documents'
 * markers or vector bytes, while the kept documents' passages are found there (the scan sees what is stored).
 */
class ErasureProofOpenSearchTest {

    @TempDir
    Path dataDir;

    @Test
    void noFileOfTheIndexUnderTheDataPathHoldsAnErasedDocument() throws Exception {
        String url = System.getenv("VECTORSYNC_TEST_OPENSEARCH_URL");
        assertThat(url).as("VECTORSYNC_TEST_OPENSEARCH_URL: run the tests with bin/test").isNotBlank();
        Settings settings = TestApp.base(dataDir)
                .space("tiny", "client", 4, "euclidean", 64, 8)
                .put("vectorsync.default-space", "tiny")
                .opensearch(url, "erasure-" + UUID.randomUUID().toString().substring(0, 8), 1, 0)
                .settings();
        try (TestApp app = TestApp.start(settings)) {
            for (String id : ErasureProofTest.ERASED) {
                assertThat(app.put("/v1/tenants/acme/documents/" + id, ErasureProofTest.document(id, "first")).status())
                        .isEqualTo(201);
            }
            for (String id : ErasureProofTest.KEPT) {
                assertThat(app.put("/v1/tenants/acme/documents/" + id, ErasureProofTest.document(id, "first")).status())
                        .isEqualTo(201);
            }
            TestApp.await("every document is searchable", java.time.Duration.ofSeconds(60), () -> {
                app.app().indexes().all().forEach(index -> index.makeSearchable());
                return ErasureProofTest.found(app, null).size() == 6;
            });
            String physical = ((OpenSearchVectorIndex) app.app().indexes().forSpace("tiny")).physicalIndex();
            Path indexDirectory = indexDirectory(url, physical);
            assertThat(ErasureProofTest.scan(indexDirectory, ErasureProofTest.erasedNeedles()))
                    .as("before the erasure the scan finds the documents (flushed to the index's files)")
                    .isNotEmpty();

            // the last one waits for the purge, which covers the erasures before it (OpenSearch's retention leases
            // may hold the deleted entries for up to 30 s)
            for (String id : ErasureProofTest.ERASED) {
                boolean last = id.equals(ErasureProofTest.ERASED.getLast());
                TestApp.Response erased = app.delete("/v1/tenants/acme/documents/" + id + "?erase=true"
                        + (last ? "&wait=true" : ""));
                assertThat(erased.status()).as(erased.body()).isEqualTo(200);
                assertThat(erased.json().getBoolean("complete")).isEqualTo(last);
            }

            assertThat(ErasureProofTest.scan(indexDirectory, ErasureProofTest.erasedNeedles()))
                    .as("copies of erased content under " + indexDirectory).isEmpty();
            assertThat(ErasureProofTest.scan(indexDirectory, ErasureProofTest.keptBodyNeedles()))
                    .as("the kept documents' passages, where OpenSearch keeps them")
                    .containsOnlyKeys(ErasureProofTest.keptBodyNeedles().keySet());
            assertThat(ErasureProofTest.found(app, null)).containsExactlyInAnyOrderElementsOf(ErasureProofTest.KEPT);
        }
    }

    /** The directory of the index's files on the node: {@code <path.data>/nodes/0/indices/<uuid>}, or the newer layout. */
    private static Path indexDirectory(String url, String index) throws Exception {
        JsonObject nodes = get(url, "/_nodes/_local/settings").getJsonObject("nodes");
        JsonObject settings = nodes.getJsonObject(nodes.keySet().iterator().next()).getJsonObject("settings");
        JsonValue data = settings.getJsonObject("path").get("data");
        String dataPath = data instanceof jakarta.json.JsonString text ? text.getString()
                : ((jakarta.json.JsonArray) data).getString(0);
        String uuid = get(url, "/" + index + "/_settings").getJsonObject(index).getJsonObject("settings")
                .getJsonObject("index").getString("uuid");
        for (Path candidate : new Path[]{Path.of(dataPath, "nodes", "0", "indices", uuid), Path.of(dataPath, "indices", uuid)}) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("no directory of index " + index + " (" + uuid + ") under " + dataPath);
    }

    private static JsonObject get(String url, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.createReader(new StringReader(response.body())).readObject();
        }
    }
}
