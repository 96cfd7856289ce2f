package io.vectorsync.app;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input corpus, as raw bytes against the real app: every request here is malformed, and each must be a 4xx
 * problem+json that says what is wrong (naming the field when one is at fault) and writes nothing. NDJSON lines fail
 * one by one, the good lines around them succeed.
 */
class BadInputCorpusTest {

    private static final String TENANT = "acme";
    private static final String DOCUMENTS = "/v1/tenants/" + TENANT + "/documents/";
    private static final String SEARCH = "/v1/tenants/" + TENANT + "/search";
    private static final String SIMILAR = DOCUMENTS + "kept/similar";
    private static final String REBUILD = "/v1/admin/indexes/default/versions";
    private static final String JSON = "application/json";
    private static final String NDJSON = "application/x-ndjson";
    /** 0xC0 0xAF: an overlong '/', which a lenient decoder turns into U+FFFD and lets through. */
    private static final byte[] OVERLONG_SLASH = {(byte) 0xc0, (byte) 0xaf};
    /** 0xED 0xA0 0x80: the UTF-8 form of a lone high surrogate, which no UTF-8 text holds. */
    private static final byte[] LONE_SURROGATE = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};
    private static final int DEEP = 100_000;
    private static final String TINY_VECTOR = "[0.1, 0.2, 0.3, 0.4]";

    @TempDir
    static Path dataDir;

    private static TestApp app;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private long headBefore;

    @BeforeAll
    static void start() {
        app = TestApp.start(dataDir);
        TestApp.Response kept = app.put(DOCUMENTS + "kept", "{\"title\": \"Kept\", \"body\": \"a document that exists\", "
                + "\"vectors\": {\"space\": \"tiny\", \"vector\": " + TINY_VECTOR + "}}");
        assertThat(kept.status()).as(kept.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void rememberTheLog() {
        headBefore = app.app().database().headPosition();
    }

    // ---- PUT /documents/{id}

    @Test
    void upsertRefusesTrailingGarbage() {
        Answer answer = send("PUT", DOCUMENTS + "trailing", JSON, "{\"title\":\"x\",\"body\":\"y\"} xyz");

        answer.assertProblem(400, "body", "must hold exactly one JSON value");
        assertNothingWritten("trailing");
    }

    @Test
    void upsertRefusesASecondValue() {
        Answer answer = send("PUT", DOCUMENTS + "second", JSON, "{\"title\":\"x\",\"body\":\"y\"}{\"title\":\"z\"}");

        answer.assertProblem(400, "body", "must hold exactly one JSON value");
        assertNothingWritten("second");
    }

    @Test
    void upsertAcceptsTrailingWhitespace() {
        Answer answer = send("PUT", DOCUMENTS + "spaced", JSON, "{\"title\":\"x\",\"body\":\"y\",\"vectors\":"
                + "{\"space\":\"tiny\",\"vector\":" + TINY_VECTOR + "}} \r\n\t\n");

        assertThat(answer.status).as(answer.toString()).isEqualTo(201);
    }

    @Test
    void upsertRefusesInvalidUtf8InAStringValue() {
        for (byte[] bad : List.of(OVERLONG_SLASH, LONE_SURROGATE, new byte[] {(byte) 0xff})) {
            byte[] body = bytes("{\"title\":\"caf", bad, "\",\"body\":\"y\"}");

            Answer answer = send("PUT", DOCUMENTS + "utf8", JSON, body);

            answer.assertProblem(400, "title", "is not valid UTF-8");
            assertNothingWritten("utf8");
        }
    }

    @Test
    void upsertRefusesAMetadataNumberBeyondADouble() {
        Answer answer = send("PUT", DOCUMENTS + "huge", JSON,
                "{\"title\":\"x\",\"body\":\"y\",\"metadata\":{\"year\":1e400}}");

        answer.assertProblem(400, "metadata.year", "beyond the range of a double");
        send("PUT", DOCUMENTS + "huge", JSON, "{\"title\":\"x\",\"body\":\"y\",\"metadata\":{\"year\":-1e400}}")
                .assertProblem(400, "metadata.year", "beyond the range of a double");
        // too small for a double is refused too: it would read as 0 (and metadata spells its plain digits)
        send("PUT", DOCUMENTS + "huge", JSON, "{\"title\":\"x\",\"body\":\"y\",\"metadata\":{\"tiny\":1e-999999999}}")
                .assertProblem(400, "metadata.tiny", "too small for a double");
        assertNothingWritten("huge");
    }

    @Test
    void upsertRefusesAVectorComponentBeyondADouble() {
        Answer answer = send("PUT", DOCUMENTS + "hugevector", JSON,
                "{\"title\":\"x\",\"body\":\"y\",\"vectors\":{\"space\":\"tiny\",\"vector\":[0.1,-1e400,0.3,0.4]}}");

        answer.assertProblem(400, "vectors.vector[1]", "beyond the range of a double");
        assertNothingWritten("hugevector");
    }

    @Test
    void upsertRefusesDeepNesting() {
        send("PUT", DOCUMENTS + "deep", JSON, deepArrays(DEEP)).assertProblem(400, "[0]".repeat(64), "more than 64 levels");
        send("PUT", DOCUMENTS + "deep", JSON, "{\"title\":\"x\",\"body\":\"y\",\"metadata\":" + deepArrays(DEEP) + "}")
                .assertProblem(400, "metadata" + "[0]".repeat(63), "more than 64 levels");
        // 50,000 objects fill the app's 256 KB body limit here; unclosed, the depth is what is refused first
        send("PUT", DOCUMENTS + "deep", JSON, "{\"a\":".repeat(50_000))
                .assertProblem(400, keys(64), "more than 64 levels");
        // 100,000 of them do not fit in a body at all
        send("PUT", DOCUMENTS + "deep", JSON, deepObjects(DEEP)).assertProblem(413, null, "exceeds");
        assertNothingWritten("deep");
    }

    @Test
    void upsertRefusesAnEmptyBody() {
        send("PUT", DOCUMENTS + "empty", JSON, "").assertProblem(400, "body", "is empty");
        send("PUT", DOCUMENTS + "empty", JSON, " \n").assertProblem(400, "body", "is empty");
        assertNothingWritten("empty");
    }

    @Test
    void upsertRefusesANonJsonContentType() {
        send("PUT", DOCUMENTS + "text", "text/plain", "{\"title\":\"x\",\"body\":\"y\"}")
                .assertProblem(415, null, "send Content-Type application/json, not text/plain");
        send("PUT", DOCUMENTS + "text", "application/x-www-form-urlencoded", "title=x&body=y")
                .assertProblem(415, null, "not application/x-www-form-urlencoded");
        assertNothingWritten("text");
    }

    @Test
    void documentIdsOverTheLimitAreRefused() {
        String thousand = "d".repeat(1_000);
        send("PUT", DOCUMENTS + thousand, JSON, "{\"title\":\"x\",\"body\":\"y\"}")
                .assertProblem(400, "documentId", "at most 200 characters");
        send("GET", DOCUMENTS + thousand, null, "").assertProblem(400, "documentId", "at most 200 characters");

        // 10,000 characters make the request line itself too long: refused before any route reads the id. The server
        // answers and closes without reading a body, so a client still sending one may see the connection reset
        // before the answer: this PUT sends none (the request line alone decides it)
        String tenThousand = "d".repeat(10_000);
        send("PUT", DOCUMENTS + tenThousand, JSON, "").assertProblem(414, null, "longer than 4096 bytes");
        send("GET", DOCUMENTS + tenThousand, null, "").assertProblem(414, null, "longer than 4096 bytes");
        assertThat(app.app().database().headPosition()).isEqualTo(headBefore);
    }

    // ---- POST /documents:batch

    @Test
    void eachBadBatchLineFailsOnItsOwn() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        line(body, "{\"documentId\":\"good-1\"," + tinyDocument() + "}");
        line(body, "{\"documentId\":\"b-trailing\"," + tinyDocument() + "} xyz");
        line(body, bytes("{\"documentId\":\"b-utf8\",\"title\":\"caf", OVERLONG_SLASH, "\",\"body\":\"y\"}"));
        line(body, "{\"documentId\":\"b-huge\",\"title\":\"x\",\"body\":\"y\",\"metadata\":{\"year\":1e400}}");
        line(body, "{\"documentId\":\"b-vector\",\"title\":\"x\",\"body\":\"y\",\"vectors\":{\"space\":\"tiny\","
                + "\"vector\":[0.1,-1e400,0.3,0.4]}}");
        line(body, deepArrays(DEEP));
        line(body, "{\"documentId\":\"b-deep\",\"metadata\":" + "{\"a\":".repeat(50_000));
        line(body, "{\"documentId\":\"" + "d".repeat(10_000) + "\"," + tinyDocument() + "}");
        line(body, bytes("{\"documentId\":\"b-surrogate\",\"title\":\"x\",\"body\":\"", LONE_SURROGATE, "\"}"));
        line(body, "{\"documentId\":\"good-2\"," + tinyDocument() + "}\r");

        Answer answer = send("POST", "/v1/tenants/" + TENANT + "/documents:batch", NDJSON, body.toByteArray());

        assertThat(answer.status).as(answer.toString()).isEqualTo(200);
        List<JsonObject> results = answer.body.lines().map(BadInputCorpusTest::json).toList();
        assertThat(results).extracting(r -> r.getInt("line")).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(results.get(0).getInt("status")).isEqualTo(201);
        assertThat(results.get(9).getInt("status")).isEqualTo(201);
        assertLineProblem(results.get(1), "line", "must hold exactly one JSON value");
        assertLineProblem(results.get(2), "title", "is not valid UTF-8: byte 35 of the line");
        assertLineProblem(results.get(3), "metadata.year", "beyond the range of a double");
        assertLineProblem(results.get(4), "vectors.vector[1]", "beyond the range of a double");
        assertLineProblem(results.get(5), "[0]".repeat(64), "more than 64 levels");
        assertLineProblem(results.get(6), "metadata." + keys(63), "more than 64 levels");
        assertLineProblem(results.get(7), "documentId", "at most 200 characters");
        assertLineProblem(results.get(8), "body", "is not valid UTF-8");

        assertThat(send("GET", DOCUMENTS + "good-1", null, "").status).isEqualTo(200);
        assertThat(send("GET", DOCUMENTS + "good-2", null, "").status).isEqualTo(200);
        for (String bad : List.of("b-trailing", "b-utf8", "b-huge", "b-vector", "b-deep", "b-surrogate")) {
            assertThat(send("GET", DOCUMENTS + bad, null, "").status).as(bad).isEqualTo(404);
        }
    }

    @Test
    void batchRefusesANonJsonContentType() {
        send("POST", "/v1/tenants/" + TENANT + "/documents:batch", "text/plain",
                "{\"documentId\":\"b-text\"," + tinyDocument() + "}\n")
                .assertProblem(415, null, "send Content-Type application/x-ndjson, not text/plain");
        assertNothingWritten("b-text");
    }

    /** An empty batch is no bad input: zero lines, zero results, nothing written. */
    @Test
    void anEmptyBatchAnswersNoLines() {
        Answer answer = send("POST", "/v1/tenants/" + TENANT + "/documents:batch", NDJSON, "");

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body).isEmpty();
        assertThat(app.app().database().headPosition()).isEqualTo(headBefore);
    }

    // ---- POST /search

    @Test
    void searchRefusesMalformedBodies() {
        send("POST", SEARCH, JSON, "{\"vector\":" + TINY_VECTOR + ",\"space\":\"tiny\"} xyz")
                .assertProblem(400, "body", "must hold exactly one JSON value");
        send("POST", SEARCH, JSON, bytes("{\"text\":\"caf", OVERLONG_SLASH, "\"}"))
                .assertProblem(400, "text", "is not valid UTF-8");
        send("POST", SEARCH, JSON, "{\"vector\":" + TINY_VECTOR + ",\"space\":\"tiny\",\"filter\":{\"year\":1e400}}")
                .assertProblem(400, "filter.year", "beyond the range of a double");
        send("POST", SEARCH, JSON, "{\"vector\":[0.1,-1e400,0.3,0.4],\"space\":\"tiny\"}")
                .assertProblem(400, "vector[1]", "beyond the range of a double");
        send("POST", SEARCH, JSON, deepArrays(DEEP)).assertProblem(400, "[0]".repeat(64), "more than 64 levels");
        send("POST", SEARCH, JSON, deepObjects(DEEP)).assertProblem(400, keys(64), "more than 64 levels");
        send("POST", SEARCH, JSON, "{\"text\":\"x\",\"filter\":" + deepObjects(DEEP) + "}")
                .assertProblem(400, "filter." + keys(63), "more than 64 levels");
        send("POST", SEARCH, "text/plain", "{\"text\":\"x\"}")
                .assertProblem(415, null, "send Content-Type application/json, not text/plain");
        send("POST", SEARCH, JSON, "").assertProblem(400, "body", "is empty");
        assertThat(app.app().database().headPosition()).isEqualTo(headBefore);
    }

    @Test
    void searchStillAnswersAWellFormedRequest() {
        Answer answer = send("POST", SEARCH, JSON, "{\"vector\":" + TINY_VECTOR + ",\"space\":\"tiny\",\"k\":1}\n");

        assertThat(answer.status).as(answer.toString()).isEqualTo(200);
    }

    // ---- POST /documents/{id}/similar

    @Test
    void similarRefusesMalformedBodies() {
        send("POST", SIMILAR, JSON, "{\"space\":\"tiny\"} xyz").assertProblem(400, "body", "must hold exactly one");
        send("POST", SIMILAR, JSON, bytes("{\"space\":\"ti", LONE_SURROGATE, "ny\"}"))
                .assertProblem(400, "space", "is not valid UTF-8");
        send("POST", SIMILAR, JSON, "{\"space\":\"tiny\",\"filter\":{\"year\":-1e400}}")
                .assertProblem(400, "filter.year", "beyond the range of a double");
        send("POST", SIMILAR, JSON, deepArrays(DEEP)).assertProblem(400, "[0]".repeat(64), "more than 64 levels");
        send("POST", SIMILAR, JSON, deepObjects(DEEP)).assertProblem(400, keys(64), "more than 64 levels");
        send("POST", SIMILAR, "text/plain", "{\"space\":\"tiny\"}")
                .assertProblem(415, null, "send Content-Type application/json, not text/plain");
        assertThat(app.app().database().headPosition()).isEqualTo(headBefore);
        TestApp.await("a well-formed request is still answered", Duration.ofSeconds(60),
                () -> send("POST", SIMILAR, JSON, "{\"space\":\"tiny\"}").status == 200);
    }

    // ---- POST /v1/admin/keys

    @Test
    void aKeyRequestMustBeJsonAndMakesNoKeyOtherwise() {
        send("POST", "/v1/admin/keys", "text/plain", "{\"name\":\"k\",\"role\":\"reader\",\"tenants\":[\"acme\"]}")
                .assertProblem(415, null, "send Content-Type application/json, not text/plain");
        assertThat(app.app().access().keysRequired()).as("no key was made: the server still takes requests without one")
                .isFalse();
    }

    // ---- POST /v1/admin/indexes/{space}/versions

    @Test
    void rebuildRefusesMalformedBodiesAndStartsNoVersion() {
        int versions = versions();

        send("POST", REBUILD, JSON, "{\"autoSwap\":false} xyz").assertProblem(400, "body", "must hold exactly one");
        send("POST", REBUILD, JSON, bytes("{\"model\":\"all-minilm", OVERLONG_SLASH, "\"}"))
                .assertProblem(400, "model", "is not valid UTF-8");
        send("POST", REBUILD, JSON, "{\"hnswM\":1e400}").assertProblem(400, "hnswM", "beyond the range of a double");
        send("POST", REBUILD, JSON, "{\"hnswM\":16,\"efSearch\":-1e400}")
                .assertProblem(400, "efSearch", "beyond the range of a double");
        // the admin API takes 64 KB bodies: as deep as fits, unclosed; the depth is what is refused first
        send("POST", REBUILD, JSON, "[".repeat(60_000)).assertProblem(400, "[0]".repeat(64), "more than 64 levels");
        send("POST", REBUILD, JSON, "{\"until\":" + "{\"a\":".repeat(12_000))
                .assertProblem(400, "until." + keys(63), "more than 64 levels");
        send("POST", REBUILD, JSON, deepArrays(DEEP)).assertProblem(413, null, "exceeds");
        send("POST", REBUILD, "text/plain", "{}")
                .assertProblem(415, null, "send Content-Type application/json, not text/plain");

        assertThat(versions()).isEqualTo(versions);
    }

    // ---- limits of HTTP itself, the same for every route

    @Test
    void aHugeRequestPathIsRefusedAsAProblem() {
        String hundredKb = "/v1/tenants/" + TENANT + "/documents/" + "p".repeat(100 * 1024);
        for (String method : List.of("PUT", "POST", "GET")) {
            Answer answer = raw(method + " " + hundredKb + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    + "application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

            answer.assertProblem(414, null, "the request line (method, path, query and HTTP version) is longer than "
                    + "4096 bytes");
        }
        for (String path : List.of(SEARCH, SIMILAR, REBUILD, "/v1/tenants/" + TENANT + "/documents:batch")) {
            raw("POST " + path + "?q=" + "q".repeat(100 * 1024) + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                    + "2\r\nConnection: close\r\n\r\n{}").assertProblem(414, null, "longer than 4096 bytes");
        }
        assertThat(app.app().database().headPosition()).isEqualTo(headBefore);
    }

    @Test
    void aHugeHeaderIsRefusedAsAProblem() {
        String value = "h".repeat(64 * 1024);
        for (String path : List.of(DOCUMENTS + "header", SEARCH, SIMILAR, REBUILD,
                "/v1/tenants/" + TENANT + "/documents:batch")) {
            String body = "{\"documentId\":\"header\"," + tinyDocument() + "}";
            Answer answer = raw((path.startsWith(DOCUMENTS + "header") ? "PUT " : "POST ") + path + " HTTP/1.1\r\n"
                    + "Host: localhost\r\nContent-Type: application/json\r\nX-Padding: " + value + "\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body);

            answer.assertProblem(431, null, "headers are larger than 16384 bytes");
        }
        assertNothingWritten("header");
    }

    @Test
    void malformedHttpIsAProblemToo() {
        raw("PUT " + DOCUMENTS + "nocolon HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\nConnection: close\r\n\r\n")
                .assertProblem(400, null, "");
        assertNothingWritten("nocolon");
    }

    // ---- helpers

    private static String tinyDocument() {
        return "\"title\":\"x\",\"body\":\"y\",\"vectors\":{\"space\":\"tiny\",\"vector\":" + TINY_VECTOR + "}";
    }

    private static String deepArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static String deepObjects(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    /** The path of {@code count} nested keys "a". */
    private static String keys(int count) {
        return String.join(".", java.util.Collections.nCopies(count, "a"));
    }

    private void assertNothingWritten(String documentId) {
        assertThat(send("GET", DOCUMENTS + documentId, null, "").status).as(documentId).isEqualTo(404);
        assertThat(app.app().database().headPosition()).as("the event log's head").isEqualTo(headBefore);
    }

    private static int versions() {
        return app.get("/v1/admin/indexes").json().getJsonArray("spaces").getValuesAs(JsonObject.class).stream()
                .filter(space -> space.getString("space").equals("default"))
                .mapToInt(space -> space.getJsonArray("versions").size())
                .sum();
    }

    private static void assertLineProblem(JsonObject result, String field, String detail) {
        assertThat(result.getInt("status")).as(result.toString()).isEqualTo(400);
        JsonObject problem = result.getJsonObject("problem");
        assertThat(problem.getString("field")).as(result.toString()).isEqualTo(field);
        assertThat(problem.getString("detail")).as(result.toString()).contains(detail);
    }

    private static void line(ByteArrayOutputStream body, String line) {
        line(body, line.getBytes(StandardCharsets.UTF_8));
    }

    private static void line(ByteArrayOutputStream body, byte[] line) {
        body.writeBytes(line);
        body.write('\n');
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static Answer send(String method, String path, String contentType, String body) {
        return send(method, path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Through java.net.http, the body exactly as given. */
    private static Answer send(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 && method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path.substring(0, Math.min(path.length(), 100)) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A request written byte for byte on a socket, for what an HTTP client would not send. */
    private static Answer raw(String request) {
        URI base = URI.create(app.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // the server answered and closed before reading everything: its answer is still to be read
            }
            return parse(socket.getInputStream());
        } catch (IOException e) {
            throw new AssertionError("raw request failed: " + e, e);
        }
    }

    /** Reads a response until the server closes the connection. */
    private static Answer parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        try {
            while ((n = in.read(chunk)) != -1) {
                all.write(chunk, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // the server closed with request bytes unread, and the kernel answered them with a reset: what came
            // before it is the answer (none at all fails below)
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("a whole response head in: " + text).isPositive();
        List<String> head = new ArrayList<>(Arrays.asList(text.substring(0, end).split("\r\n")));
        int status = Integer.parseInt(head.removeFirst().split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : head) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        return new Answer(status, headers.getOrDefault("content-type", ""), text.substring(end + 4));
    }

    private record Answer(int status, String contentType, String body) {

        /** A 4xx problem+json with this status, a detail saying {@code detail}, and {@code field} (or none). */
        void assertProblem(int expectedStatus, String field, String detail) {
            assertThat(status).as(toString()).isEqualTo(expectedStatus);
            assertThat(contentType).as(toString()).isEqualTo("application/problem+json");
            JsonObject problem = json(body);
            assertThat(problem.getInt("status")).isEqualTo(expectedStatus);
            assertThat(problem.getString("type")).startsWith("https://vectorsync.dev/problems/");
            assertThat(problem.getString("detail")).as(toString()).isNotBlank().contains(detail);
            if (field == null) {
                assertThat(problem.containsKey("field")).as(toString()).isFalse();
            } else {
                assertThat(problem.getString("field", null)).as(toString()).isEqualTo(field);
            }
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + (body.length() > 500 ? body.substring(0, 500) + "…" : body);
        }
    }
}
