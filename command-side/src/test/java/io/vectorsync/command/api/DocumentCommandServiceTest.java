package io.vectorsync.command.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.vectorsync.command.commit.CommandSubmitter;
import io.vectorsync.command.commit.CommitFailures;
import io.vectorsync.domain.DeleteDocument;
import io.vectorsync.domain.DeleteOutcome;
import io.vectorsync.domain.EraseDocument;
import io.vectorsync.domain.EraseOutcome;
import io.vectorsync.domain.UpsertDocument;
import io.vectorsync.domain.UpsertOutcome;
import io.vectorsync.domain.VersionConflictException;
import io.vectorsync.json.Json;
import io.vectorsync.store.LogPositions;
import jakarta.json.JsonObject;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command API over HTTP (Helidon's in-memory client), in front of a scripted committer and log: what a request
 * becomes, which status and body it gets, and how an NDJSON batch is answered line by line. The error handler is
 * the app's in miniature: {@link Problems#from} as problem+json.
 */
@RoutingTest
class DocumentCommandServiceTest {

    private static final long MAX_REQUEST = 2048;
    private static final long MAX_BATCH = 1 << 20;
    private static final long SMALL_BATCH = 200;

    private static final ScriptedCommitter COMMITTER = new ScriptedCommitter();
    private static final CountingLog LOG = new CountingLog();
    /** Erasures up to a position complete once asked to wait at all; records each position asked about. */
    private static final List<Long> ERASURES_ASKED = new CopyOnWriteArrayList<>();
    private static final ErasureProgress ERASURES = (position, patience) -> {
        ERASURES_ASKED.add(position);
        return !patience.isZero() && position < 5000;
    };
    private static final AtomicInteger GATE_PASSES = new AtomicInteger();
    private static volatile boolean gateClosed;

    private final DirectClient client;

    DocumentCommandServiceTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        WriteGate gate = () -> {
            GATE_PASSES.incrementAndGet();
            if (gateClosed) {
                throw new WriteGate.Closed("the index is 900 events behind", 3);
            }
        };
        // the production routing: the service under the one problem+json mapping, as the app registers it
        Problems.register(routing)
                .register("/v1/tenants", new DocumentCommandService(COMMITTER, LOG, UpsertRequestsTest.SPACES,
                        MAX_REQUEST, MAX_BATCH, gate, ERASURES))
                .register("/small/tenants", new DocumentCommandService(COMMITTER, LOG, UpsertRequestsTest.SPACES,
                        MAX_REQUEST, SMALL_BATCH));
    }

    @BeforeEach
    void reset() {
        COMMITTER.reset();
        LOG.queries.set(0);
        GATE_PASSES.set(0);
        gateClosed = false;
    }

    // ---- one document

    @Test
    void anUpsertOfANewDocumentIs201WithItsVersionPositionAndETag() {
        Reply reply = send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json",
                "{\"title\": \"Reset\", \"body\": \"How to reset\", \"metadata\": {\"lang\": \"en\"}, \"source\": \"cms\"}");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.etag()).isEqualTo("\"1\"");
        assertThat(reply.json()).isEqualTo(Json.createObjectBuilder().add("tenant", "acme").add("documentId", "kb-1")
                .add("result", "created").add("version", 1).add("position", 1000).build());
        assertThat(COMMITTER.commands).containsExactly(new UpsertDocument("acme", "kb-1", "Reset", "How to reset",
                Map.of("lang", "en"), "cms", null, null));
    }

    @Test
    void anUpsertOfAnExistingDocumentIs200AndSaysWhatChanged() {
        COMMITTER.answer = command -> CompletableFuture.completedFuture(
                new UpsertOutcome(UpsertOutcome.Result.METADATA_CHANGED, 4));

        Reply reply = send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json", "{\"body\": \"b\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.etag()).isEqualTo("\"4\"");
        assertThat(reply.json().getString("result")).isEqualTo("metadata_changed");
        assertThat(reply.json().getInt("position")).isEqualTo(1003);
    }

    @Test
    void ifMatchIsTheExpectedVersionInAnyOfItsSpellingsAndWinsOverTheBody() {
        for (String ifMatch : List.of("\"3\"", "W/\"3\"", "3")) {
            COMMITTER.reset();
            Reply reply = send(client.put("/v1/tenants/acme/documents/kb-1").header(HeaderNames.IF_MATCH, ifMatch),
                    "application/json", "{\"body\": \"b\", \"expectedVersion\": 9}");
            assertThat(reply.status()).as(ifMatch).isEqualTo(201);
            assertThat(((UpsertDocument) COMMITTER.commands.getFirst()).expectedVersion()).as(ifMatch).isEqualTo(3L);
        }
        COMMITTER.reset();
        send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json", "{\"body\": \"b\", \"expectedVersion\": 9}");
        assertThat(((UpsertDocument) COMMITTER.commands.getFirst()).expectedVersion()).isEqualTo(9L);
    }

    @Test
    void anIfMatchThatIsNoVersionIs400AndNothingIsWritten() {
        for (String ifMatch : List.of("abc", "\"-1\"", "\"\"", "\"3")) {
            Reply reply = send(client.put("/v1/tenants/acme/documents/kb-1").header(HeaderNames.IF_MATCH, ifMatch),
                    "application/json", "{\"body\": \"b\"}");
            assertThat(reply.status()).as(ifMatch).isEqualTo(400);
            assertThat(reply.json().getString("field")).as(ifMatch).isEqualTo("If-Match");
        }
        assertThat(COMMITTER.commands).isEmpty();
    }

    @Test
    void aVersionConflictIs412() {
        COMMITTER.answer = command -> CompletableFuture.failedFuture(new VersionConflictException(3, 5));

        Reply reply = send(client.put("/v1/tenants/acme/documents/kb-1").header(HeaderNames.IF_MATCH, "\"3\""),
                "application/json", "{\"body\": \"b\"}");

        assertThat(reply.status()).isEqualTo(412);
        assertThat(reply.contentType()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(reply.json().getString("type")).endsWith("/version-conflict");
        assertThat(reply.json().getString("field")).isEqualTo("If-Match");
    }

    @Test
    void aBodyThatIsNotStrictJsonIs400NamingTheBody() {
        for (String body : List.of("", "{\"body\": \"b\"", "{\"body\": \"b\"} {}", "[\"body\"]", "{\"body\": \"b\", \"metadata\": {\"n\": 1e400}}")) {
            Reply reply = send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json", body);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.json().getString("type")).as(body).endsWith("/invalid-input");
        }
        assertThat(COMMITTER.commands).isEmpty();
    }

    @Test
    void aWellFormedBodyWithWrongFieldsIs400NamingTheField() {
        assertThat(field(send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json",
                "{\"titel\": \"t\", \"body\": \"b\"}"))).isEqualTo("titel");
        assertThat(field(send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json",
                "{\"title\": \"t\"}"))).isEqualTo("body");
        assertThat(field(send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json",
                "{\"body\": \"b\", \"vectors\": {\"vector\": [1, 2]}}"))).isEqualTo("vectors.vector");
        assertThat(field(send(client.put("/v1/tenants/Acme/documents/kb-1"), "application/json",
                "{\"body\": \"b\"}"))).isEqualTo("tenant");
        assertThat(field(send(client.put("/v1/tenants/acme/documents/kb%201"), "application/json",
                "{\"body\": \"b\"}"))).isEqualTo("documentId");
        assertThat(COMMITTER.commands).isEmpty();
    }

    @Test
    void aBodyThatIsNotUtf8Is400() {
        byte[] latin1 = "{\"body\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        Reply reply = Reply.of(client.put("/v1/tenants/acme/documents/kb-1")
                .header(HeaderNames.CONTENT_TYPE, "application/json").submit(latin1));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().getString("field")).isEqualTo("body");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String body = "{\"body\": \"" + "x".repeat((int) MAX_REQUEST) + "\"}";

        Reply reply = send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json", body);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().getString("type")).endsWith("/payload-too-large");
        assertThat(COMMITTER.commands).isEmpty();
    }

    @Test
    void aBodyOfAnotherMediaTypeIs415() {
        Reply plain = send(client.put("/v1/tenants/acme/documents/kb-1"), "text/plain", "{\"body\": \"b\"}");
        Reply ndjson = send(client.put("/v1/tenants/acme/documents/kb-1"), "application/x-ndjson", "{\"body\": \"b\"}");
        Reply withCharset = send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json; charset=utf-8",
                "{\"body\": \"b\"}");

        assertThat(plain.status()).isEqualTo(415);
        assertThat(plain.json().getString("type")).endsWith("/unsupported-media-type");
        assertThat(ndjson.status()).isEqualTo(415);
        assertThat(withCharset.status()).isEqualTo(201);
    }

    @Test
    void aFullWriteQueueIs429() {
        COMMITTER.answer = command -> CompletableFuture.failedFuture(CommitFailures.overloaded(10_000));

        Reply reply = send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json", "{\"body\": \"b\"}");

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.json().getString("type")).endsWith("/overloaded");
    }

    @Test
    void aDeleteAnswersWhatItDidAndPassesItsReason() {
        Reply deleted = Reply.of(client.delete("/v1/tenants/acme/documents/kb-1").queryParam("reason", "retired").request());
        COMMITTER.answer = command -> CompletableFuture.completedFuture(new DeleteOutcome(false, 2));
        Reply again = Reply.of(client.delete("/v1/tenants/acme/documents/kb-1").request());

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.etag()).isEqualTo("\"2\"");
        assertThat(deleted.json().getString("result")).isEqualTo("deleted");
        assertThat(deleted.json().getInt("position")).isEqualTo(1001);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getString("result")).isEqualTo("already_deleted");
        assertThat(COMMITTER.commands).containsExactly(new DeleteDocument("acme", "kb-1", "retired"),
                new DeleteDocument("acme", "kb-1", null));
    }

    // ---- erasure (issue 21)

    @Test
    void anErasureAnswersWhetherEveryCopyIsGoneAndWaitsOnlyWhenAsked() {
        ERASURES_ASKED.clear();
        COMMITTER.answer = command -> CompletableFuture.completedFuture(new EraseOutcome(true, 3));
        Reply erased = Reply.of(client.delete("/v1/tenants/acme/documents/kb-1").queryParam("erase", "true").request());
        Reply waited = Reply.of(client.delete("/v1/tenants/acme/documents/kb-1").queryParam("erase", "true")
                .queryParam("wait", "true").request());
        COMMITTER.answer = command -> CompletableFuture.completedFuture(new EraseOutcome(false, 5000));
        Reply late = Reply.of(client.delete("/v1/tenants/acme/documents/kb-1").queryParam("erase", "true")
                .queryParam("wait", "true").request());

        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.json().getString("result")).isEqualTo("erased");
        assertThat(erased.json().getBoolean("complete")).isFalse();
        assertThat(waited.status()).isEqualTo(200);
        assertThat(waited.json().getBoolean("complete")).isTrue();
        assertThat(late.status()).as("recorded, its copies still going: the same call waits again").isEqualTo(202);
        assertThat(late.json().getString("result")).isEqualTo("already_erased");
        assertThat(late.json().getBoolean("complete")).isFalse();
        assertThat(ERASURES_ASKED).containsExactly(1002L, 1002L, 5999L);
        assertThat(COMMITTER.commands).containsOnly(new EraseDocument("acme", "kb-1"));
    }

    @Test
    void badErasureRequestsAre400AndWriteNothing() {
        Reply notAFlag = Reply.of(client.delete("/v1/tenants/acme/documents/kb-1").queryParam("erase", "yes").request());
        Reply waitAlone = Reply.of(client.delete("/v1/tenants/acme/documents/kb-1").queryParam("wait", "true").request());
        Reply withReason = Reply.of(client.delete("/v1/tenants/acme/documents/kb-1").queryParam("erase", "true")
                .queryParam("reason", "Jane Doe asked").request());

        assertThat(List.of(notAFlag, waitAlone, withReason)).extracting(Reply::status).containsOnly(400);
        assertThat(notAFlag.json().getString("detail")).contains("erase").contains("true or false");
        assertThat(waitAlone.json().getString("detail")).contains("only an erasure");
        assertThat(withReason.json().getString("detail")).contains("records no reason");
        assertThat(COMMITTER.commands).isEmpty();
    }

    @Test
    void deletingADocumentThatNeverExistedIs404NamingIt() {
        COMMITTER.answer = command -> CompletableFuture.failedFuture(new AggregateNotFoundException("acme/kb-9", "none"));

        Reply reply = Reply.of(client.delete("/v1/tenants/acme/documents/kb-9").request());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().getString("detail")).isEqualTo("document 'kb-9' of tenant 'acme' does not exist");
    }

    // ---- the write gate

    @Test
    void aClosedGateIs429AndNothingIsWritten() {
        gateClosed = true;

        Reply upsert = send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json", "{\"body\": \"b\"}");
        Reply delete = Reply.of(client.delete("/v1/tenants/acme/documents/kb-1").request());
        Reply batch = send(client.post("/v1/tenants/acme/documents:batch"), "application/x-ndjson",
                "{\"documentId\": \"a\", \"body\": \"b\"}\n");

        for (Reply reply : List.of(upsert, delete, batch)) {
            assertThat(reply.status()).isEqualTo(429);
            assertThat(reply.json().getString("detail")).isEqualTo("the index is 900 events behind");
            assertThat(reply.retryAfter()).as("the gate's own estimate").isEqualTo("3");
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
        }
        assertThat(COMMITTER.commands).isEmpty();
    }

    @Test
    void aRequestThatIsNotEvenReadableGetsItsOwn4xxBeforeTheGate() {
        gateClosed = true;

        assertThat(send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json", "{not json").status())
                .isEqualTo(400);
        assertThat(send(client.put("/v1/tenants/acme/documents/kb-1"), "text/plain", "{\"body\": \"b\"}").status())
                .isEqualTo(415);
        assertThat(send(client.put("/v1/tenants/acme/documents/kb-1").header(HeaderNames.IF_MATCH, "x"),
                "application/json", "{\"body\": \"b\"}").status()).isEqualTo(400);
        assertThat(send(client.post("/v1/tenants/Bad_Tenant/documents:batch"), "application/x-ndjson", "{}\n").status())
                .isEqualTo(400);
        assertThat(GATE_PASSES).hasValue(0);
    }

    @Test
    void aRequestThatIsReadableButInvalidGetsItsOwn4xxBeforeTheGateToo() {
        gateClosed = true;

        Reply noBody = send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json", "{\"title\": \"t\"}");
        Reply unknownField = send(client.put("/v1/tenants/acme/documents/kb-1"), "application/json",
                "{\"body\": \"b\", \"bodee\": 1}");
        Reply badTenant = send(client.put("/v1/tenants/Bad_T/documents/kb-1"), "application/json", "{\"body\": \"b\"}");
        Reply badDelete = Reply.of(client.delete("/v1/tenants/Bad_T/documents/kb-1").request());

        assertThat(List.of(noBody, unknownField, badTenant, badDelete)).extracting(Reply::status)
                .containsExactly(400, 400, 400, 400);
        assertThat(unknownField.json().getString("field")).isEqualTo("bodee");
        assertThat(GATE_PASSES).as("nothing waited at the gate").hasValue(0);
        assertThat(COMMITTER.commands).isEmpty();
    }

    @Test
    void aBatchPassesTheGateOnceAsAWhole() {
        String body = IntStream.range(0, 50).mapToObj(i -> "{\"documentId\": \"d" + i + "\", \"body\": \"b\"}")
                .collect(Collectors.joining("\n"));

        assertThat(send(client.post("/v1/tenants/acme/documents:batch"), "application/x-ndjson", body).status())
                .isEqualTo(200);
        assertThat(GATE_PASSES).hasValue(1);
        assertThat(COMMITTER.commands).hasSize(50);
    }

    // ---- NDJSON batches

    @Test
    void aBatchAnswersEveryLineInOrderAndABadLineFailsAlone() {
        COMMITTER.answer = command -> command instanceof UpsertDocument upsert && upsert.documentId().equals("stale")
                ? CompletableFuture.failedFuture(new VersionConflictException(1, 4))
                : ScriptedCommitter.DEFAULT.apply(command);
        String body = String.join("\n",
                "{\"documentId\": \"a\", \"title\": \"A\", \"body\": \"first\", \"metadata\": {\"k\": true}}",
                "",
                "{\"op\": \"delete\", \"documentId\": \"b\", \"reason\": \"gone\"}",
                "{\"documentId\": \"c\", \"body\": ",
                "{\"op\": \"move\", \"documentId\": \"d\"}",
                "{\"body\": \"no id\"}",
                "{\"documentId\": \"e\", \"body\": \"x\", \"colour\": \"red\"}",
                "{\"documentId\": \"stale\", \"body\": \"x\", \"expectedVersion\": 1}",
                "{\"documentId\": \"bad id!\", \"body\": \"x\"}",
                "{\"op\": \"upsert\", \"documentId\": \"f\", \"body\": \"last\"}") + "\n";

        Reply reply = send(client.post("/v1/tenants/acme/documents:batch"), "application/x-ndjson", body);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/x-ndjson");
        List<JsonObject> lines = reply.lines();
        assertThat(lines).extracting(l -> l.getInt("line")).containsExactly(1, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(lines).extracting(l -> l.getInt("status")).containsExactly(201, 200, 400, 400, 400, 400, 412, 400, 201);
        assertThat(lines.get(0)).isEqualTo(Json.createObjectBuilder().add("line", 1).add("tenant", "acme")
                .add("documentId", "a").add("result", "created").add("version", 1).add("position", 1000)
                .add("status", 201).build());
        assertThat(lines.get(1).getString("result")).isEqualTo("deleted");
        assertThat(lines.get(2).containsKey("documentId")).as("not known: the line is not JSON").isFalse();
        assertThat(lines.get(2).getJsonObject("problem").getString("field")).isEqualTo("line");
        assertThat(lines.get(3).getString("documentId")).isEqualTo("d");
        assertThat(lines.get(3).getJsonObject("problem").getString("field")).isEqualTo("op");
        assertThat(lines.get(4).getJsonObject("problem").getString("field")).isEqualTo("documentId");
        assertThat(lines.get(5).getJsonObject("problem").getString("field")).isEqualTo("colour");
        assertThat(lines.get(6).getString("documentId")).isEqualTo("stale");
        assertThat(lines.get(6).getJsonObject("problem").getString("field")).isEqualTo("If-Match");
        assertThat(lines.get(7).getJsonObject("problem").getString("field")).isEqualTo("documentId");
        assertThat(COMMITTER.commands).containsExactly(
                new UpsertDocument("acme", "a", "A", "first", Map.of("k", true), null, null, null),
                new DeleteDocument("acme", "b", "gone"),
                new UpsertDocument("acme", "stale", "", "x", null, null, 1L, null),
                new UpsertDocument("acme", "f", "", "last", null, null, null, null));
    }

    @Test
    void aBatchLineTooLongOrNotUtf8FailsAloneAndALastLineNeedsNoLineFeed() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("{\"documentId\": \"long\", \"body\": \"" + "x".repeat((int) MAX_REQUEST) + "\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes("{\"documentId\": \"latin\", \"body\": \"caf\u00e9\"}\r\n".getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes("{\"documentId\": \"ok\", \"body\": \"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8));

        Reply reply = Reply.of(client.post("/v1/tenants/acme/documents:batch")
                .header(HeaderNames.CONTENT_TYPE, "application/x-ndjson").submit(body.toByteArray()));

        List<JsonObject> lines = reply.lines();
        assertThat(lines).extracting(l -> l.getInt("status")).containsExactly(413, 400, 201);
        assertThat(lines.get(0).getJsonObject("problem").getString("type")).endsWith("/payload-too-large");
        assertThat(COMMITTER.commands).containsExactly(new UpsertDocument("acme", "ok", "", "caf\u00e9", null, null,
                null, null));
    }

    @Test
    void aLongBatchIsAnsweredInOrderAcrossWindowsWithOnePositionQueryPerWindow() {
        int count = 1300; // more than two windows of 512
        String body = IntStream.range(0, count)
                .mapToObj(i -> i % 100 == 7 ? "{\"documentId\": \"d" + i + "\"}"
                        : "{\"documentId\": \"d" + i + "\", \"body\": \"b\"}")
                .collect(Collectors.joining("\n", "", "\n"));

        List<JsonObject> lines = send(client.post("/v1/tenants/acme/documents:batch"), "application/x-ndjson", body)
                .lines();

        assertThat(lines).hasSize(count);
        for (int i = 0; i < count; i++) {
            JsonObject line = lines.get(i);
            assertThat(line.getInt("line")).isEqualTo(i + 1);
            assertThat(line.getString("documentId")).isEqualTo("d" + i);
            assertThat(line.getInt("status")).isEqualTo(i % 100 == 7 ? 400 : 201);
        }
        assertThat(COMMITTER.commands).hasSize(count - 13);
        assertThat(LOG.queries).hasValue(3);
    }

    @Test
    void aBatchDeclaredLargerThanTheLimitIs413AndNothingIsWritten() {
        String body = IntStream.range(0, 10).mapToObj(i -> "{\"documentId\": \"d" + i + "\", \"body\": \"b\"}")
                .collect(Collectors.joining("\n"));
        assertThat(body.length()).isGreaterThan((int) SMALL_BATCH);

        Reply reply = send(client.post("/small/tenants/acme/documents:batch"), "application/x-ndjson", body);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().getString("type")).endsWith("/payload-too-large");
        assertThat(COMMITTER.commands).isEmpty();
    }

    @Test
    void aChunkedBatchThatGrowsPastTheLimitHasItsCompleteLinesAppliedAndTheRestRefused() {
        List<String> input = IntStream.range(0, 10).mapToObj(i -> "{\"documentId\": \"d" + i + "\", \"body\": \"b\"}")
                .toList();
        int perLine = input.getFirst().length() + 1;
        int whole = (int) (SMALL_BATCH / perLine); // lines that end before the limit

        Reply reply = Reply.of(client.post("/small/tenants/acme/documents:batch")
                .header(HeaderNames.CONTENT_TYPE, "application/x-ndjson")
                .outputStream(out -> {
                    for (String line : input) {
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    out.close();
                }));

        assertThat(reply.status()).isEqualTo(200);
        List<JsonObject> lines = reply.lines();
        assertThat(lines).hasSize(whole + 1);
        assertThat(lines.subList(0, whole)).extracting(l -> l.getInt("status")).containsOnly(201);
        JsonObject refused = lines.getLast();
        assertThat(refused.getInt("line")).isEqualTo(whole + 1);
        assertThat(refused.getInt("status")).isEqualTo(413);
        assertThat(refused.getJsonObject("problem").getString("detail")).contains("line " + (whole + 1));
        assertThat(COMMITTER.commands).extracting(c -> ((UpsertDocument) c).documentId())
                .containsExactlyElementsOf(IntStream.range(0, whole).mapToObj(i -> "d" + i).toList());
    }

    @Test
    void aBatchTakesNdjsonJsonLinesOrJsonAndNothingElse() {
        String line = "{\"documentId\": \"a\", \"body\": \"b\"}\n";
        assertThat(send(client.post("/v1/tenants/acme/documents:batch"), "application/jsonl", line).status()).isEqualTo(200);
        assertThat(send(client.post("/v1/tenants/acme/documents:batch"), "application/json", line).status()).isEqualTo(200);
        Reply csv = send(client.post("/v1/tenants/acme/documents:batch"), "text/csv", line);
        assertThat(csv.status()).isEqualTo(415);
        assertThat(COMMITTER.commands).hasSize(2);
    }

    // ---- helpers

    private static String field(Reply reply) {
        assertThat(reply.status()).isEqualTo(400);
        return reply.json().getString("field");
    }

    private static Reply send(Http1ClientRequest request, String contentType, String body) {
        return Reply.of(request.header(HeaderNames.CONTENT_TYPE, contentType).submit(body));
    }

    /** A response as status, headers and text. */
    record Reply(int status, String contentType, String etag, String retryAfter, String text) {

        static Reply of(Http1ClientResponse response) {
            try (response) {
                return new Reply(response.status().code(),
                        response.headers().first(HeaderNames.CONTENT_TYPE).orElse(null),
                        response.headers().first(HeaderNames.ETAG).orElse(null),
                        response.headers().first(HeaderNames.RETRY_AFTER).orElse(null),
                        response.as(String.class));
            }
        }

        JsonObject json() {
            return Json.createReader(new StringReader(text)).readObject();
        }

        List<JsonObject> lines() {
            return Arrays.stream(text.split("\n")).map(l -> Json.createReader(new StringReader(l)).readObject()).toList();
        }
    }

    /**
     * The committer: records every command in arrival order and answers it as told; by default an upsert creates
     * version 1 and a delete deletes at version 2.
     */
    static final class ScriptedCommitter implements CommandSubmitter {

        static final Function<Object, CompletableFuture<Object>> DEFAULT = command -> CompletableFuture.completedFuture(
                command instanceof DeleteDocument ? new DeleteOutcome(true, 2)
                        : new UpsertOutcome(UpsertOutcome.Result.CREATED, 1));

        final List<Object> commands = new CopyOnWriteArrayList<>();
        volatile Function<Object, CompletableFuture<Object>> answer = DEFAULT;

        void reset() {
            commands.clear();
            answer = DEFAULT;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> CompletableFuture<R> submit(Object command) {
            commands.add(command);
            return (CompletableFuture<R>) answer.apply(command);
        }

        @Override
        public void close() {
        }
    }

    /** Event (aggregate, sequence) is at position 1000 + sequence; counts the queries a batch makes. */
    static final class CountingLog implements LogPositions {

        final AtomicInteger queries = new AtomicInteger();

        @Override
        public OptionalLong position(String aggregateId, long sequenceNumber) {
            return OptionalLong.of(1000 + sequenceNumber);
        }

        @Override
        public Map<Map.Entry<String, Long>, Long> positions(List<Map.Entry<String, Long>> events) {
            queries.incrementAndGet();
            return LogPositions.super.positions(events);
        }

        @Override
        public Map<Long, Long> positions(String aggregateId) {
            throw new AssertionError("the command API does not ask the log this");
        }

        @Override
        public long headPosition() {
            throw new AssertionError("the command API does not ask the log this");
        }

        @Override
        public Optional<Instant> timestampAt(long position) {
            throw new AssertionError("the command API does not ask the log this");
        }
    }
}
