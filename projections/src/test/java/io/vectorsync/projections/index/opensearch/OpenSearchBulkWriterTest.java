package io.vectorsync.projections.index.opensearch;

import com.sun.net.httpserver.HttpServer;
import io.vectorsync.json.Json;
import io.vectorsync.projections.index.IndexWriteException;
import io.vectorsync.projections.index.opensearch.BulkWriter.Operation;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bulk body BulkWriter writes and how it reads the answers, against a local HTTP endpoint that
 * records each request and answers from a script: what a real node rarely does on demand (429 items,
 * a 5xx or a 400 for the whole request, a short answer).
 */
class OpenSearchBulkWriterTest {

    private static final OpenSearchSettings.Retry QUICK_RETRY =
            new OpenSearchSettings.Retry(3, Duration.ofMillis(1), Duration.ofMillis(1));

    private record Sent(String method, String path, String contentType, String body) {
    }

    private record Answer(int status, String body) {
    }

    private final Queue<Answer> answers = new ArrayDeque<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private OpenSearchClient client;
    private BulkWriter writer;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            sent.add(new Sent(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Answer answer;
            synchronized (answers) {
                answer = answers.remove();
            }
            byte[] body = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        client = OpenSearchClients.create(OpenSearchSettings.defaults(
                List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))));
        writer = new BulkWriter(client, "vs-space", 1 << 20, QUICK_RETRY);
    }

    @AfterEach
    void stop() {
        OpenSearchClients.close(client);
        server.stop(0);
    }

    private void answer(int status, String body) {
        synchronized (answers) {
            answers.add(new Answer(status, body));
        }
    }

    /** A bulk answer with one item per status, in order; statuses of 300 and more carry an error. */
    private void answerItems(String action, int... statuses) {
        StringBuilder items = new StringBuilder();
        for (int status : statuses) {
            items.append(items.isEmpty() ? "" : ",").append("{\"").append(action).append("\":{\"status\":")
                    .append(status);
            if (status >= 300) {
                items.append(",\"error\":{\"type\":\"error_").append(status).append("\",\"reason\":\"reason ")
                        .append(status).append("\"}");
            }
            items.append("}}");
        }
        answer(200, "{\"took\":1,\"errors\":true,\"items\":[" + items + "]}");
    }

    private static Operation index(String document, String id) {
        return Operation.index(document, id, 7, ("{\"key\":\"" + document + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesNdjsonOnceWithEscapedIdsAndExternalVersions() {
        String oddId = "t/a\"b\\c\nd\u0001é";
        answer(200, "{\"took\":1,\"errors\":true,\"items\":[{\"index\":{\"status\":201}},"
                + "{\"delete\":{\"status\":404,\"result\":\"not_found\"}}]}");

        writer.write(List.of(index("t/doc", oddId), Operation.delete("t/doc", "t/doc#1", 7)));

        assertThat(sent).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/vs-space/_bulk");
            assertThat(request.contentType()).startsWith("application/x-ndjson");
            assertThat(request.body()).endsWith("\n");
            List<JsonObject> lines = request.body().lines().map(OpenSearchBulkWriterTest::json).toList();
            assertThat(lines).hasSize(3);
            JsonObject action = lines.get(0).getJsonObject("index");
            assertThat(action.getString("_id")).isEqualTo(oddId);
            assertThat(action.getJsonNumber("version").longValue()).isEqualTo(7);
            assertThat(action.getString("version_type")).isEqualTo("external_gte");
            assertThat(lines.get(1).getString("key")).isEqualTo("t/doc");
            assertThat(lines.get(2).getJsonObject("delete").getString("_id")).isEqualTo("t/doc#1");
        });
    }

    @Test
    void operationSizesAreTheirExactBytesSoTheLimitSplitsRequests() {
        List<Operation> operations = List.of(index("t/a", "t/a#0"), index("t/b", "t/b#0"), index("t/c", "t/c#0"));
        long two = operations.get(0).bytes() + operations.get(1).bytes();
        writer = new BulkWriter(client, "vs-space", two, QUICK_RETRY);
        answerItems("index", 201, 201);
        answerItems("index", 201);

        writer.write(operations);

        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).body().getBytes(StandardCharsets.UTF_8)).hasSize((int) two);
        assertThat(sent.get(1).body()).contains("t/c#0");
    }

    @Test
    void conflictsAreDoneAndTransientItemsAreResentAlone() {
        answerItems("index", 201, 409, 429, 503);
        answerItems("index", 200, 201);

        writer.write(List.of(index("t/a", "t/a#0"), index("t/b", "t/b#0"), index("t/c", "t/c#0"),
                index("t/d", "t/d#0")));

        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).body()).doesNotContain("t/a", "t/b").contains("t/c#0", "t/d#0");
    }

    @Test
    void rejectedItemsNameTheirDocuments() {
        answerItems("index", 201, 400, 400, 404);

        assertThatThrownBy(() -> writer.write(List.of(index("t/a", "t/a#0"), index("t/b", "t/b#0"),
                index("t/b", "t/b#1"), index("t/c", "t/c#0"))))
                .isInstanceOfSatisfying(IndexWriteException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.rejected()).isEqualTo(Map.of(
                            "t/b", "400 error_400: reason 400",
                            "t/c", "404 error_404: reason 404"));
                })
                .hasMessageContaining("rejected 3 entries")
                .hasMessageContaining("document t/b (entry t/b#1): 400 error_400: reason 400");
    }

    @Test
    void aWholeRequestRefusedFailsForGoodWithOpenSearchsReason() {
        answer(400, "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"bad bulk\"},\"status\":400}");

        assertThatThrownBy(() -> writer.write(List.of(index("t/a", "t/a#0"))))
                .isInstanceOfSatisfying(IndexWriteException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("[t/a]")
                .hasMessageContaining("400 illegal_argument_exception: bad bulk");
        assertThat(sent).hasSize(1);
    }

    @Test
    void aWholeRequestAnsweredLaterIsResentUntilRetriesRunOut() {
        for (int i = 0; i < QUICK_RETRY.maxAttempts(); i++) {
            answer(503, "{\"error\":{\"type\":\"unavailable\",\"reason\":\"busy\"},\"status\":503}");
        }

        assertThatThrownBy(() -> writer.write(List.of(index("t/a", "t/a#0"))))
                .isInstanceOfSatisfying(IndexWriteException.class, e -> assertThat(e.isTransient()).isTrue())
                .hasMessageContaining("after 3 attempts");
        assertThat(sent).hasSize(3);
    }

    @Test
    void anAnswerWithoutAnItemPerOperationFails() {
        answerItems("index", 201);

        assertThatThrownBy(() -> writer.write(List.of(index("t/a", "t/a#0"), index("t/b", "t/b#0"))))
                .isInstanceOfSatisfying(IndexWriteException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("1 items for 2 operations");
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
