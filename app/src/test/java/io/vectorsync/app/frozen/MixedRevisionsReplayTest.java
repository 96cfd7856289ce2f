package io.vectorsync.app.frozen;

import io.vectorsync.app.Main;
import io.vectorsync.app.Settings;
import io.vectorsync.app.Vectorsync;
import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.command.encoder.MiniLmEmbeddingModel;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.json.Float32Base64;
import io.vectorsync.json.Json;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The second half of issue 5's proof: the frozen revision-1 store, with revision-2 events appended to it through
 * the real API, still replays. The app starts over the loaded frozen store (Lucene), and the test appends a text
 * the in-process model embeds, a catalogue item whose client vectors include a passage that is not in its body, a
 * new text for an old document, a delete and restore of another old document, and re-sends of old client vectors
 * that must change nothing. The event table must then hold the frozen rows untouched at revision 1 and the new
 * embeddings at revision 2. The whole mixed log is replayed into a fresh Lucene index and a fresh OpenSearch index:
 * every frozen answer the appended events do not reach comes out exactly as frozen, the rest agree on every
 * document that did not change, and the new and changed documents read and rank as their new events say.
 */
class MixedRevisionsReplayTest {

    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final String EMBEDDED = "io.vectorsync.domain.DocumentEmbedded";

    // new: a text the in-process model embeds, two chunks long (the chunker cuts at 64 tokens)
    private static final String HIVE = "hive-0001";
    private static final String HIVE_TITLE = "Keeping bees through the year";
    private static final String HIVE_BODY = "Open the hive only on warm, calm afternoons, when most foragers are out"
            + " collecting nectar. Puff a little cool smoke at the entrance, wait a minute, then lift the crown board"
            + " slowly so the colony stays calm. Check every brood frame for eggs, capped brood and a laying queen,"
            + " and look for queen cells that announce a swarm. In late summer take off the honey supers, brush the"
            + " last bees from the combs, uncap the frames with a warm knife and spin them in a centrifugal extractor"
            + " before straining the honey into jars. Before winter, treat the colony against varroa mites and feed"
            + " thick sugar syrup so the bees have stores until spring.";
    private static final String HONEY_QUESTION = "how do I extract and jar the honey from the frames";
    // an old document of the frozen store (maintenance text, 2 chunks, version 4) gets a new text about bees
    private static final String REVISED = "kb-0002";
    private static final String REVISED_TITLE = "Calming an angry bee colony";
    private static final String REVISED_BODY = "Bees defend the hive more fiercely in cold, windy weather and after"
            + " a honey harvest. Work slowly, use smoke, and wear a veil and gloves while the colony is open.";
    // an old document deleted and restored with the very same content: same vectors, a new version
    private static final String RESTORED = "kb-0046";
    // new: client vectors for the catalogue, one passage of the body and one that is not in it; both vectors score
    // below the last frozen hit of every unfiltered globex catalogue search, and the metadata matches no frozen filter
    private static final String ITEM = "sku-0900";
    private static final String ITEM_BODY = "Catalogue entry GX-9000 in apiary supplies. A smoker with a leather"
            + " bellows.";
    private static final String ITEM_PASSAGE = "A smoker with a leather bellows.";
    private static final String ITEM_ELSEWHERE = "Fuel pellets sold separately.";
    private static final float[] ITEM_PASSAGE_VECTOR = {0.9f, -0.1f, 0.2f, 0.05f, -0.3f, 0.1f, 0.0f, 0.4f};
    private static final float[] ITEM_ELSEWHERE_VECTOR = {0.8f, 0.2f, 0.1f, -0.2f, -0.4f, 0.0f, 0.1f, 0.3f};
    // old client vectors sent again: a passage that is not in the body (a -1 span in revision 1), one whole-body vector
    private static final List<String> RESENT = List.of("acme/sku-0031", "acme/sku-0013", "acme/ext-0002");

    /**
     * Documents whose vectors the appended events replaced or added, per tenant: they may enter or leave any ranking
     * of their tenant, so a frozen answer holding one of them is compared on its other documents only.
     */
    private static final Map<String, Set<String>> MOVED = Map.of(
            "acme", Set.of(REVISED, HIVE),
            "globex", Set.of(ITEM));
    /** Deleted and restored with the same content: the same place and score in every ranking, and this version. */
    private static final Map<String, Map<String, Integer>> REVERSIONED = Map.of("globex", Map.of(RESTORED, 5));
    /**
     * The frozen answers the appended events reach: the two that held {@value #REVISED} before its text changed
     * (it leaves them), "similar to {@value #REVISED}" (its own vectors changed), and {@code text-8} ("watching
     * meteors at night", filtered to non-public documents of priority 2 to 4, whose last frozen hit scores only 0.52):
     * the new bee text of {@value #REVISED}, which kept its metadata, ranks into it. {@value #HIVE} is about bees too,
     * but its metadata holds only a team that no frozen filter names, and no unfiltered frozen query is near it.
     */
    private static final Set<String> TOUCHED = Set.of("text-3", "text-8", "restored-acme-kb-0027",
            "similar-acme-kb-0002");

    private static List<JsonObject> rows;
    private static JsonObject expected;
    private static List<EmbeddingSpace> spaces;
    private static long frozenHead;

    @BeforeAll
    static void readTheFrozenFiles() {
        rows = FrozenStore.rows();
        expected = FrozenStore.jsonResource(FrozenStore.EXPECTED_SEARCH);
        JsonObject manifest = FrozenStore.jsonResource(FrozenStore.MANIFEST);
        spaces = manifest.getJsonArray("spaces").getValuesAs(JsonObject.class).stream().map(FrozenStore::space).toList();
        frozenHead = manifest.getJsonObject("events").getJsonNumber("headPosition").longValueExact();
    }

    @Test
    void revision2EventsAppendedToTheFrozenStoreReplayWithItIntoLuceneAndOpenSearch(@TempDir Path dataDir)
            throws Exception {
        FrozenStore.load(dataDir, rows);
        Settings lucene = FrozenStore.settings(dataDir, spaces);

        long head;
        Main.Running running = Main.start(lucene);
        try {
            FrozenStore.awaitQuiet(running.app(), PATIENCE);
            appendChanges(new ApiClient(running.port()));
            head = FrozenStore.awaitQuiet(running.app(), PATIENCE);
            assertThat(FrozenStore.deadLetters(running.app())).as("dead letters").isZero();
            assertTheEventTableMixesRevisions(running.app(), head);
        } finally {
            running.stop();
        }

        forgetTheIndex(dataDir);
        running = Main.start(lucene);
        try {
            FrozenStore.awaitReplay(running.app(), head, PATIENCE);
            ApiClient api = new ApiClient(running.port());
            assertThat(searchDifferences(api)).isEmpty();
            assertTheNewAndChangedDocuments(api);
            assertThat(documentDifferences(api)).isEmpty();
        } finally {
            running.stop();
        }

        replayIntoOpenSearch(dataDir, head);
    }

    // ---- the appended history --------------------------------------------------------------------

    private static void appendChanges(ApiClient api) {
        JsonObject hive = upsert(api, "acme", HIVE, Json.createObjectBuilder()
                .add("title", HIVE_TITLE).add("body", HIVE_BODY)
                .add("metadata", Json.createObjectBuilder().add("team", "apiary")).build(), null);
        assertThat(hive.getString("result")).isEqualTo("created");

        JsonObject old = frozenDocument("acme", REVISED);
        JsonObject revised = upsert(api, "acme", REVISED, Json.createObjectBuilder()
                .add("title", REVISED_TITLE).add("body", REVISED_BODY).add("metadata", old.getJsonObject("metadata"))
                .add("source", old.getString("source")).build(), String.valueOf(old.getInt("version")));
        assertThat(revised.getString("result")).isEqualTo("revised");

        JsonObject item = upsert(api, "globex", ITEM, Json.createObjectBuilder()
                .add("title", "A smoker for beekeepers (900)").add("body", ITEM_BODY)
                .add("metadata", Json.createObjectBuilder().add("team", "catalog-apiary"))
                .add("vectors", Json.createObjectBuilder().add("space", FrozenStore.CLIENT_SPACE)
                        .add("chunks", Json.createArrayBuilder()
                                .add(Json.createObjectBuilder().add("text", ITEM_PASSAGE)
                                        .add("vector", Revision1StoreGenerator.vectorJson(ITEM_PASSAGE_VECTOR)))
                                .add(Json.createObjectBuilder().add("text", ITEM_ELSEWHERE)
                                        .add("vector", Revision1StoreGenerator.vectorJson(ITEM_ELSEWHERE_VECTOR)))))
                .build(), null);
        assertThat(item.getString("result")).isEqualTo("created");

        JsonObject restoredBefore = frozenDocument("globex", RESTORED);
        JsonObject deleted = ApiClient.parse(api.delete("globex", "/documents/" + RESTORED + "?reason=retired", 200));
        assertThat(deleted.getString("result")).isEqualTo("deleted");
        JsonObject restored = upsert(api, "globex", RESTORED, Json.createObjectBuilder()
                .add("title", restoredBefore.getString("title")).add("body", restoredBefore.getString("body"))
                .add("metadata", restoredBefore.getJsonObject("metadata"))
                .add("source", restoredBefore.getString("source")).build(), null);
        assertThat(restored.getString("result")).isEqualTo("restored");

        // the aggregate, folded from upcast revision-1 events, knows these exact vectors: nothing is appended
        for (String key : RESENT) {
            String tenant = key.substring(0, key.indexOf('/'));
            String id = key.substring(key.indexOf('/') + 1);
            JsonObject state = frozenDocument(tenant, id);
            JsonObject answer = upsert(api, tenant, id, Json.createObjectBuilder()
                    .add("title", state.getString("title")).add("body", state.getString("body"))
                    .add("metadata", state.getJsonObject("metadata"))
                    .add("vectors", frozenVectors(tenant, id, state.getString("body"))).build(), null);
            assertThat(answer.getString("result")).as(key + " re-sent with its revision-1 vectors").isEqualTo("unchanged");
        }
    }

    private static JsonObject upsert(ApiClient api, String tenant, String id, JsonObject body, String ifMatch) {
        return ApiClient.parse(api.put(tenant, "/documents/" + id, body, ifMatch, 200, 201));
    }

    /** The client's vectors as the last revision-1 {@code DocumentEmbedded} of the document stored them, as a request. */
    private static JsonObject frozenVectors(String tenant, String id, String body) {
        JsonObject event = rows.stream()
                .filter(row -> row.getString("payloadType").equals(EMBEDDED))
                .map(row -> ApiClient.parse(row.getString("payload")))
                .filter(payload -> payload.getString("tenant").equals(tenant) && payload.getString("documentId").equals(id))
                .reduce((first, second) -> second)
                .orElseThrow();
        assertThat(event.getJsonObject("chunker").getString("name")).as(tenant + "/" + id + " has client vectors")
                .isEqualTo("client");
        JsonArray chunks = event.getJsonArray("chunks");
        JsonObjectBuilder vectors = Json.createObjectBuilder().add("space", event.getString("space"));
        if (chunks.size() == 1 && chunks.getJsonObject(0).getString("text").equals(body)) {
            return vectors.add("vector", chunks.getJsonObject(0).getJsonArray("vector")).build();
        }
        JsonArrayBuilder passages = Json.createArrayBuilder();
        for (JsonObject chunk : chunks.getValuesAs(JsonObject.class)) {
            passages.add(Json.createObjectBuilder().add("text", chunk.getString("text")).add("vector", chunk.getJsonArray("vector")));
        }
        return vectors.add("chunks", passages).build();
    }

    // ---- the event table -------------------------------------------------------------------------

    private static void assertTheEventTableMixesRevisions(Vectorsync app, long head) throws SQLException {
        List<String[]> appended = new ArrayList<>();
        List<JsonObject> embedded = new ArrayList<>();
        int old = 0;
        try (Connection connection = app.database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT globalIndex, payloadType, payloadRevision, payload"
                     + " FROM DomainEventEntry ORDER BY globalIndex")) {
            while (rs.next()) {
                long position = rs.getLong(1);
                String type = rs.getString(2);
                String revision = rs.getString(3);
                String payload = new String(rs.getBytes(4), StandardCharsets.UTF_8);
                if (position <= frozenHead) {
                    JsonObject frozen = rows.get(old++);
                    assertThat(position).isEqualTo(FrozenStore.globalIndex(frozen));
                    assertThat(revision).as("frozen row " + position).isEqualTo("1");
                    assertThat(payload).as("frozen row " + position).isEqualTo(frozen.getString("payload"));
                } else {
                    // stored sealed (issue 21): its content opens with the document's key
                    assertThat(payload).as("appended row " + position + " is sealed").contains("\"sealed\":{");
                    JsonObject event = new io.vectorsync.crypto.ContentSeal(app.keys().keys(),
                            io.vectorsync.json.Json.provider()).open(ApiClient.parse(payload));
                    String simple = type.substring(type.lastIndexOf('.') + 1);
                    appended.add(new String[]{simple + "@" + revision, event.getString("tenant") + "/" + event.getString("documentId")});
                    if (type.equals(EMBEDDED)) {
                        embedded.add(event);
                    }
                }
            }
        }
        assertThat(old).isEqualTo(rows.size());
        assertThat(appended).extracting(row -> row[0] + " " + row[1]).containsExactlyInAnyOrder(
                "DocumentCreated@1 acme/" + HIVE, "DocumentEmbedded@2 acme/" + HIVE,
                "DocumentContentRevised@1 acme/" + REVISED, "DocumentEmbedded@2 acme/" + REVISED,
                "DocumentCreated@1 globex/" + ITEM, "DocumentEmbedded@2 globex/" + ITEM,
                "DocumentDeleted@1 globex/" + RESTORED, "DocumentRestored@1 globex/" + RESTORED,
                "DocumentEmbedded@2 globex/" + RESTORED);
        assertThat(frozenHead + appended.size()).isEqualTo(head);

        for (JsonObject event : embedded) {
            String key = event.getString("tenant") + "/" + event.getString("documentId");
            assertThat(event.keySet()).as(key).doesNotContain("model", "chunker");
            JsonObject provenance = event.getJsonObject("provenance");
            for (JsonObject chunk : event.getJsonArray("chunks").getValuesAs(JsonObject.class)) {
                assertThat(chunk.keySet()).as(key).doesNotContain("start", "end");
                assertThat(chunk.get("vector")).as(key + " vector as base64").isInstanceOf(JsonString.class);
            }
            if (key.equals("globex/" + ITEM)) {
                assertThat(provenance.get("modelVersion")).as(key).isEqualTo(JsonValue.NULL);
                assertThat(provenance.getJsonObject("chunker").getString("name")).isEqualTo("client");
                assertThat(provenance.getBoolean("normalized")).as(key + ": the item's vectors are not unit length").isFalse();
                JsonArray chunks = event.getJsonArray("chunks");
                assertThat(chunks).hasSize(2);
                int start = ITEM_BODY.indexOf(ITEM_PASSAGE);
                assertThat(chunks.getJsonObject(0).getJsonObject("span"))
                        .isEqualTo(Json.createObjectBuilder().add("start", start).add("end", start + ITEM_PASSAGE.length()).build());
                assertThat(Float32Base64.decode(chunks.getJsonObject(0).getString("vector"))).isEqualTo(ITEM_PASSAGE_VECTOR);
                assertThat(chunks.getJsonObject(1).getString("text")).isEqualTo(ITEM_ELSEWHERE);
                // the serializer writes it as "span": null, the upcaster of revision 1 leaves it out: both read as none
                assertThat(chunks.getJsonObject(1).get("span")).as(key + ": a passage not in the body has no span")
                        .isIn(null, JsonValue.NULL);
                assertThat(Float32Base64.decode(chunks.getJsonObject(1).getString("vector"))).isEqualTo(ITEM_ELSEWHERE_VECTOR);
            } else {
                assertThat(provenance.getString("model")).as(key).isEqualTo(MiniLmEmbeddingModel.ID);
                assertThat(provenance.getString("modelVersion")).as(key).isEqualTo(MiniLmEmbeddingModel.VERSION);
                assertThat(provenance.getBoolean("normalized")).as(key).isTrue();
                assertThat(provenance.getJsonObject("chunker")).isEqualTo(FrozenStore.spaceJson(spaces.getFirst()).getJsonObject("chunker"));
                String body = switch (key) {
                    case "acme/" + HIVE -> HIVE_BODY;
                    case "acme/" + REVISED -> REVISED_BODY;
                    default -> frozenDocument("globex", RESTORED).getString("body");
                };
                for (JsonObject chunk : event.getJsonArray("chunks").getValuesAs(JsonObject.class)) {
                    JsonObject span = chunk.getJsonObject("span");
                    assertThat(body.substring(span.getInt("start"), span.getInt("end"))).as(key + " chunk span")
                            .isEqualTo(chunk.getString("text"));
                    assertThat(Float32Base64.decode(chunk.getString("vector"))).hasSize(384);
                }
            }
        }
        assertThat(embedded.stream().filter(e -> e.getString("documentId").equals(HIVE)).findFirst().orElseThrow()
                .getJsonArray("chunks")).as("the hive text is long enough for two chunks").hasSizeGreaterThanOrEqualTo(2);
    }

    // ---- the replays -----------------------------------------------------------------------------

    /** With the app stopped: the projection's token goes and so does the Lucene index, as if both never were. */
    private static void forgetTheIndex(Path dataDir) throws SQLException, IOException {
        try (EventStoreDatabase database = EventStoreDatabase.openH2(dataDir);
             Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            int tokens = statement.executeUpdate("DELETE FROM TokenEntry WHERE processorName = '"
                    + Vectorsync.VECTOR_INDEX_GROUP + "'");
            assertThat(tokens).as("vector-index token segments").isPositive();
        }
        Path index = dataDir.resolve("index");
        if (Files.exists(index)) {
            try (Stream<Path> paths = Files.walk(index)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static void replayIntoOpenSearch(Path dataDir, long head) throws Exception {
        Settings settings = FrozenStore.openSearchSettings(dataDir, spaces, "mixed");
        forgetTheIndex(dataDir);
        Main.Running running = Main.start(settings);
        try {
            FrozenStore.awaitReplay(running.app(), head, PATIENCE);
            running.app().indexes().all().forEach(VectorIndex::makeSearchable);
            ApiClient api = new ApiClient(running.port());
            assertThat(searchDifferences(api)).as("OpenSearch").isEmpty();
            assertTheNewAndChangedDocumentsAreFound(api);
        } finally {
            running.stop();
            FrozenStore.dropIndexes(settings.opensearch());
        }
    }

    // ---- what the replayed indexes answer --------------------------------------------------------

    /**
     * Every frozen search and "similar" request, run again. An answer that holds none of the moved documents, frozen
     * or now, must be exactly the frozen one (with the new version of a re-versioned document). One that holds a
     * moved document must agree on the others: both lists are top-k cuts of the same ranking of the unchanged
     * documents, so with the moved ones taken out, one is a prefix of the other. Exactly {@link #TOUCHED} may be of
     * the second kind.
     */
    private static List<String> searchDifferences(ApiClient api) {
        List<String> problems = new ArrayList<>();
        Set<String> touched = new TreeSet<>();
        int exact = 0;
        for (JsonObject search : expected.getJsonArray("searches").getValuesAs(JsonObject.class)) {
            JsonArray hits = api.postJson(search.getString("tenant"), "/search", search.getJsonObject("request"))
                    .getJsonArray("hits");
            exact += compare(search.getString("name"), search.getString("tenant"), search.getJsonArray("hits"), hits,
                    problems, touched);
        }
        for (JsonObject request : expected.getJsonArray("similar").getValuesAs(JsonObject.class)) {
            String tenant = request.getString("tenant");
            String name = request.getString("name");
            if (MOVED.getOrDefault(tenant, Set.of()).contains(request.getString("documentId"))) {
                touched.add(name); // its own vectors changed: the new answer is checked with the changed documents
                continue;
            }
            JsonArray hits = api.postJson(tenant, "/documents/" + request.getString("documentId") + "/similar",
                    request.getJsonObject("request")).getJsonArray("hits");
            exact += compare(name, tenant, request.getJsonArray("hits"), hits, problems, touched);
        }
        if (!touched.equals(TOUCHED)) {
            problems.add("the answers reached by the appended events are " + touched + ", expected " + TOUCHED);
        }
        int total = expected.getJsonArray("searches").size() + expected.getJsonArray("similar").size();
        if (exact != total - TOUCHED.size()) {
            problems.add(exact + " of " + total + " frozen answers held exactly");
        }
        return problems;
    }

    /** Adds the differences to {@code problems}; 1 when the answer had to be exactly the frozen one, else 0. */
    private static int compare(String name, String tenant, JsonArray frozen, JsonArray actual, List<String> problems,
                               Set<String> touched) {
        Set<String> moved = MOVED.getOrDefault(tenant, Set.of());
        JsonArray want = reversioned(tenant, frozen);
        boolean reached = Stream.concat(HitComparison.ids(want).stream(), HitComparison.ids(actual).stream())
                .anyMatch(moved::contains);
        if (!reached) {
            HitComparison.differences(want, actual, true).forEach(p -> problems.add(name + ": " + p));
            return 1;
        }
        touched.add(name);
        JsonArray wantRest = without(want, moved);
        JsonArray gotRest = without(actual, moved);
        int common = Math.min(wantRest.size(), gotRest.size());
        HitComparison.differences(prefix(wantRest, common), prefix(gotRest, common), true)
                .forEach(p -> problems.add(name + " (without " + moved + "): " + p));
        return 0;
    }

    private static JsonArray reversioned(String tenant, JsonArray hits) {
        Map<String, Integer> versions = REVERSIONED.getOrDefault(tenant, Map.of());
        JsonArrayBuilder adjusted = Json.createArrayBuilder();
        for (JsonObject hit : hits.getValuesAs(JsonObject.class)) {
            Integer version = versions.get(hit.getString("documentId"));
            adjusted.add(version == null ? hit : Json.createObjectBuilder(hit).add("version", version).build());
        }
        return adjusted.build();
    }

    private static JsonArray without(JsonArray hits, Set<String> ids) {
        JsonArrayBuilder kept = Json.createArrayBuilder();
        hits.getValuesAs(JsonObject.class).stream().filter(hit -> !ids.contains(hit.getString("documentId"))).forEach(kept::add);
        return kept.build();
    }

    private static JsonArray prefix(JsonArray hits, int n) {
        JsonArrayBuilder kept = Json.createArrayBuilder();
        hits.subList(0, n).forEach(kept::add);
        return kept.build();
    }

    /** The documents the appended events wrote, as the API reads them, and where searches find them. */
    private static void assertTheNewAndChangedDocuments(ApiClient api) {
        JsonObject hive = api.getJson("acme", "/documents/" + HIVE);
        assertThat(hive.getString("body")).isEqualTo(HIVE_BODY);
        assertThat(hive.getInt("version")).isEqualTo(2);
        assertThat(hive.getString("embeddingStatus")).isEqualTo("embedded");
        assertThat(hive.getJsonArray("embeddings").getJsonObject(0).getInt("chunks")).isGreaterThanOrEqualTo(2);

        JsonObject old = frozenLine("acme", REVISED);
        JsonObject revised = api.getJson("acme", "/documents/" + REVISED);
        int oldVersion = old.getJsonObject("document").getInt("version");
        assertThat(revised.getString("title")).isEqualTo(REVISED_TITLE);
        assertThat(revised.getString("body")).isEqualTo(REVISED_BODY);
        assertThat(revised.getInt("version")).isEqualTo(oldVersion + 2);
        assertThat(revised.getInt("contentRevision")).isEqualTo(oldVersion + 1);
        assertThat(revised.getString("embeddingStatus")).isEqualTo("embedded");
        JsonObject embedding = revised.getJsonArray("embeddings").getJsonObject(0);
        assertThat(embedding.getInt("contentRevision")).isEqualTo(oldVersion + 1);
        assertThat(embedding.getString("model")).isEqualTo(MiniLmEmbeddingModel.ID);
        assertThat(embedding.getBoolean("current")).isTrue();
        assertThat(historyTail(api, "acme", REVISED, old)).containsExactly(
                "DocumentContentRevised@" + (oldVersion + 1), "DocumentEmbedded@" + (oldVersion + 2));

        JsonObject before = frozenLine("globex", RESTORED);
        JsonObject restored = api.getJson("globex", "/documents/" + RESTORED);
        int version = before.getJsonObject("document").getInt("version");
        assertThat(REVERSIONED.get("globex").get(RESTORED)).isEqualTo(version + 3);
        assertThat(restored.getBoolean("deleted")).isFalse();
        assertThat(restored.getInt("version")).isEqualTo(version + 3);
        assertThat(restored.getInt("contentRevision")).isEqualTo(version + 2);
        assertThat(restored.getString("body")).isEqualTo(before.getJsonObject("document").getString("body"));
        assertThat(restored.getJsonObject("metadata")).isEqualTo(before.getJsonObject("document").getJsonObject("metadata"));
        assertThat(restored.getString("embeddingStatus")).isEqualTo("embedded");
        assertThat(historyTail(api, "globex", RESTORED, before)).containsExactly(
                "DocumentDeleted@" + (version + 1), "DocumentRestored@" + (version + 2), "DocumentEmbedded@" + (version + 3));

        JsonObject item = api.getJson("globex", "/documents/" + ITEM);
        assertThat(item.getInt("version")).isEqualTo(2);
        JsonObject itemEmbedding = item.getJsonArray("embeddings").getJsonObject(0);
        assertThat(itemEmbedding.getString("space")).isEqualTo(FrozenStore.CLIENT_SPACE);
        assertThat(itemEmbedding.getInt("chunks")).isEqualTo(2);

        assertTheNewAndChangedDocumentsAreFound(api);
    }

    /** Searches that only the appended events answer: the new passages with their spans, the changed documents. */
    private static void assertTheNewAndChangedDocumentsAreFound(ApiClient api) {
        // the honey passage is the hive text's second chunk, cut where the event's span says
        JsonObject honey = firstHit(api, "acme", Json.createObjectBuilder().add("space", FrozenStore.DEFAULT_SPACE)
                .add("text", HONEY_QUESTION).add("k", 3).build());
        assertThat(honey.getString("documentId")).isEqualTo(HIVE);
        assertThat(honey.getInt("version")).isEqualTo(2);
        JsonObject passage = honey.getJsonObject("passage");
        assertThat(passage.getInt("chunk")).isPositive();
        assertThat(passage.getString("text")).contains("extractor")
                .isEqualTo(HIVE_BODY.substring(passage.getInt("start"), passage.getInt("end")));

        // the old document now answers for its new text, at its new version, with its one new chunk
        JsonObject angry = firstHit(api, "acme", Json.createObjectBuilder().add("space", FrozenStore.DEFAULT_SPACE)
                .add("text", "the bees are aggressive and sting when I open the hive").add("k", 3)
                .add("filter", Json.createObjectBuilder().add("team", "maintenance")).build());
        assertThat(angry.getString("documentId")).isEqualTo(REVISED);
        assertThat(angry.getString("title")).isEqualTo(REVISED_TITLE);
        assertThat(angry.getJsonObject("passage")).isEqualTo(Json.createObjectBuilder().add("text", REVISED_BODY)
                .add("start", 0).add("end", REVISED_BODY.length()).add("chunk", 0).build());
        // ... and what is similar to it is now the other text about bees
        JsonArray similar = api.postJson("acme", "/documents/" + REVISED + "/similar",
                Json.createObjectBuilder().add("space", FrozenStore.DEFAULT_SPACE).add("k", 5).build()).getJsonArray("hits");
        assertThat(HitComparison.ids(similar)).first().isEqualTo(HIVE);

        // the catalogue item: a passage of its body has its span, the one that is not in the body has none
        JsonObject inBody = firstHit(api, "globex", vectorSearch(ITEM_PASSAGE_VECTOR));
        assertThat(inBody.getString("documentId")).isEqualTo(ITEM);
        assertThat(inBody.getJsonNumber("score").doubleValue()).isCloseTo(1.0, within(HitComparison.TOLERANCE));
        int start = ITEM_BODY.indexOf(ITEM_PASSAGE);
        assertThat(inBody.getJsonObject("passage")).isEqualTo(Json.createObjectBuilder().add("text", ITEM_PASSAGE)
                .add("start", start).add("end", start + ITEM_PASSAGE.length()).add("chunk", 0).build());
        JsonObject elsewhere = firstHit(api, "globex", vectorSearch(ITEM_ELSEWHERE_VECTOR));
        assertThat(elsewhere.getString("documentId")).isEqualTo(ITEM);
        assertThat(elsewhere.getJsonObject("passage")).isEqualTo(Json.createObjectBuilder().add("text", ITEM_ELSEWHERE)
                .addNull("start").addNull("end").add("chunk", 1).build());
    }

    private static JsonObject vectorSearch(float[] vector) {
        return Json.createObjectBuilder().add("space", FrozenStore.CLIENT_SPACE)
                .add("vector", Revision1StoreGenerator.vectorJson(vector)).add("k", 3).build();
    }

    private static JsonObject firstHit(ApiClient api, String tenant, JsonObject request) {
        JsonArray hits = api.postJson(tenant, "/search", request).getJsonArray("hits");
        assertThat(hits).as("hits for " + request).isNotEmpty();
        return hits.getJsonObject(0);
    }

    /** The history's events after the frozen ones, as {@code type@version}; the frozen ones must be unchanged. */
    private static List<String> historyTail(ApiClient api, String tenant, String id, JsonObject frozen) {
        JsonArray was = frozen.getJsonObject("history").getJsonArray("events");
        JsonArray is = api.getJson(tenant, "/documents/" + id + "/history").getJsonArray("events");
        assertThat(is.size()).isGreaterThan(was.size());
        for (int i = 0; i < was.size(); i++) {
            assertThat(HitComparison.sameJson(was.get(i), HitComparison.eventAsFrozen(is.get(i)))).as(tenant + "/" + id + " history event " + i
                    + ": " + is.get(i) + ", frozen " + was.get(i)).isTrue();
        }
        return is.subList(was.size(), is.size()).stream().map(JsonValue::asJsonObject)
                .map(event -> event.getString("type") + "@" + event.getInt("version")).toList();
    }

    /** Every other frozen document's state and history, exactly as frozen. */
    private static List<String> documentDifferences(ApiClient api) {
        List<String> problems = new ArrayList<>();
        Set<String> changed = Set.of("acme/" + REVISED, "globex/" + RESTORED);
        int compared = 0;
        for (JsonObject line : FrozenStore.jsonLinesResource(FrozenStore.EXPECTED_DOCUMENTS)) {
            String tenant = line.getString("tenant");
            String path = "/documents/" + line.getString("documentId");
            if (changed.contains(tenant + "/" + line.getString("documentId"))) {
                continue;
            }
            compared++;
            JsonObject state = api.getJson(tenant, path);
            if (!HitComparison.sameJson(line.getJsonObject("document"), state)) {
                problems.add(tenant + path + " is " + state + ", expected " + line.getJsonObject("document"));
            }
            JsonObject history = api.getJson(tenant, path + "/history");
            if (!HitComparison.sameJson(line.getJsonObject("history"), HitComparison.asFrozen(history))) {
                problems.add(tenant + path + "/history is " + history + ", expected " + line.getJsonObject("history"));
            }
        }
        assertThat(compared).isEqualTo(FrozenStore.jsonLinesResource(FrozenStore.EXPECTED_DOCUMENTS).size() - changed.size());
        return problems;
    }

    private static JsonObject frozenLine(String tenant, String id) {
        return FrozenStore.jsonLinesResource(FrozenStore.EXPECTED_DOCUMENTS).stream()
                .filter(line -> line.getString("tenant").equals(tenant) && line.getString("documentId").equals(id))
                .findFirst().orElseThrow();
    }

    private static JsonObject frozenDocument(String tenant, String id) {
        return frozenLine(tenant, id).getJsonObject("document");
    }
}
