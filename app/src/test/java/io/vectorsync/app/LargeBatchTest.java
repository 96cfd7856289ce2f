package io.vectorsync.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches at the limit ({@code vectorsync.max-batch-bytes}, 4 MiB here): one just under it, sent by a client that
 * writes the whole body before it reads a byte, completes (the answer is written only once the body is read, so the
 * two cannot block each other); one whose length is over it gets 413 before anything is written; a chunked one
 * that passes it is answered with the lines before the limit applied and a 413 line for the rest.
 */
class LargeBatchTest {

    private static final long LIMIT = 4L * 1024 * 1024;
    @TempDir
    static Path dataDir;
    static TestApp app;

    @BeforeAll
    static void start() {
        // these batches are about sizes, sent back to back: the index's pacing of writes (IndexPressure) is off here
        app = TestApp.start(TestApp.keys(dataDir)
                .put("vectorsync.max-batch-bytes", LIMIT)
                .put("vectorsync.limits.write.max-index-lag", 0)
                .settings());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aBatchJustUnderTheLimitCompletesForAClientThatSendsEverythingBeforeItReads() throws Exception {
        StringBuilder body = new StringBuilder();
        int lines = 0;
        while (body.length() < LIMIT - 1000) {
            lines++;
            // a few documents, and many lines refused for a misspelt field: big answers, little work
            body.append(lines % 50 == 0 ? vectorLine("big-" + lines) : "{\"documentId\":\"x" + lines
                    + "\",\"titel\":\"misspelt field to make the answer long, line " + lines + "\"}").append('\n');
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        assertThat((long) bytes.length).isLessThan(LIMIT);
        try (Socket socket = new Socket("localhost", port())) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/tenants/big/documents:batch HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-ndjson\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes); // all of it, before reading anything
            out.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 200");
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            assertThat(length.find()).as(head.toString()).isTrue();
            byte[] entity = new byte[Integer.parseInt(length.group(1))];
            in.readFully(entity);
            String results = new String(entity, StandardCharsets.UTF_8);
            List<String> resultLines = results.lines().filter(l -> l.startsWith("{")).toList();
            assertThat(resultLines).hasSize(lines);
            assertThat(resultLines.stream().filter(l -> l.contains("\"status\":201")).count()).isEqualTo(lines / 50);
            assertThat(resultLines.stream().filter(l -> l.contains("\"status\":400")).count())
                    .isEqualTo(lines - lines / 50);
        }
        assertThat(app.get("/v1/tenants/big/documents/big-50").status()).isEqualTo(200);
    }

    @Test
    void aBatchWhoseLengthIsOverTheLimitIs413AndWritesNothing() throws Exception {
        StringBuilder body = new StringBuilder(vectorLine("over-1")).append('\n');
        while (body.length() <= LIMIT) {
            body.append(vectorLine("over-" + body.length())).append('\n');
        }
        // as a careful client does (Expect: 100-continue): the answer comes from the length alone, before the body
        // is sent (the server would not read it, and a client still sending could see the connection reset)
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(app.baseUrl() + "/v1/tenants/over/documents:batch"))
                .header("Content-Type", "application/x-ndjson").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body()).contains("vectorsync.max-batch-bytes");
        assertThat(app.get("/v1/tenants/over/documents/over-1").status()).isEqualTo(404);
    }

    @Test
    void aChunkedBatchThatPassesTheLimitAppliesWhatCameBeforeAndSaysWhereItStopped() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int lines = 0;
        while (body.size() <= LIMIT + 10_000) {
            lines++;
            body.writeBytes((vectorLine("chunk-" + lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = body.toByteArray();
        // no Content-Length: the body goes chunked, so only reading it finds the limit
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(app.baseUrl() + "/v1/tenants/chunk/documents:batch"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        List<String> results = answer.body().lines().toList();
        String last = results.getLast();
        assertThat(last).contains("\"status\":413").contains("vectorsync.max-batch-bytes");
        int applied = results.size() - 1;
        assertThat(applied).isLessThan(lines);
        assertThat(results.subList(0, applied)).allMatch(l -> l.contains("\"status\":201"));
        assertThat(app.get("/v1/tenants/chunk/documents/chunk-" + applied).status()).isEqualTo(200);
        // the line the limit cut in two was not applied, nor any after it
        assertThat(app.get("/v1/tenants/chunk/documents/chunk-" + (applied + 1)).status()).isEqualTo(404);
    }

    private static String vectorLine(String id) {
        return "{\"documentId\":\"" + id + "\",\"title\":\"t\",\"body\":\"b\",\"vectors\":{\"space\":\"tiny\","
                + "\"vector\":[1,0.5,0.25,0]}}";
    }

    private static int port() {
        return Integer.parseInt(app.baseUrl().substring(app.baseUrl().lastIndexOf(':') + 1));
    }

}
