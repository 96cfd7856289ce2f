package io.vectorsync.app.frozen;

import io.vectorsync.app.Main;
import io.vectorsync.app.Vectorsync;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.DocumentRestored;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Writes the frozen revision-1 event store (issue 5, step 1) with the code as it is: starts the real
 * app with the Lucene index over a temporary data directory, drives its command API through creates,
 * content revisions, metadata-only changes, deletes and restores in two tenants and two embedding
 * spaces (the in-process model, and client vectors), waits for the processors, then records
 * <ul>
 *     <li>{@code expected-search.json}: searches by explicit vectors (so the model need not run when
 *     checking) with filters, probes of deleted and restored documents, and "similar" requests, each
 *     with the hits the live app answered; every search is also checked here against an exact
 *     brute-force ranking over the vectors in the events, so the frozen answer is the true one;</li>
 *     <li>{@code expected-documents.jsonl}: every document's state and history as the API reads them;</li>
 *     <li>{@code events.jsonl.gz}: every row of the event table, exported once the app is stopped;</li>
 *     <li>{@code manifest.json}: the spaces, counts, head position, git commit and date.</li>
 * </ul>
 * Everything is seeded, so a rerun writes the same documents and events, though event identifiers
 * and timestamps differ. Run from the {@code app} module (see the README next to the files); an
 * argument names another output directory, and {@code --overwrite} replaces an existing store, which
 * is only right while the events are still at revision 1.
 */
public final class Revision1StoreGenerator {

    private static final long SEED = 20_240_501L;
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private enum Kind { TEXT, CLIENT, SUPPLIED }

    /** What the generator last wrote for one document. */
    private static final class Doc {
        final String tenant;
        final String id;
        final Kind kind;
        String title;
        String body;
        Map<String, Object> metadata;
        JsonObject vectors;
        boolean deleted;
        boolean everDeleted;
        boolean restored;

        Doc(String tenant, String id, Kind kind) {
            this.tenant = tenant;
            this.id = id;
            this.kind = kind;
        }

        String key() {
            return tenant + "/" + id;
        }
    }

    /** A document as the events leave it, for the brute-force check. */
    private static final class Folded {
        boolean live;
        Map<String, Object> metadata = Map.of();
        final Map<String, List<EmbeddedChunk>> chunks = new HashMap<>();
    }

    private final Random random = new Random(SEED);
    private final Map<String, Doc> docs = new LinkedHashMap<>();
    private final List<float[]> centers = new ArrayList<>();
    private Vectorsync app;
    private ApiClient api;
    private int reference = 1000;

    public static void main(String[] args) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(args));
        boolean overwrite = arguments.remove("--overwrite");
        Path out = arguments.isEmpty() ? FrozenStore.SOURCE_DIR : Path.of(arguments.getFirst());
        if (Files.exists(out.resolve(FrozenStore.EVENTS)) && !overwrite) {
            // a frozen store is the past: once events have a new revision, regenerating would not recreate it
            System.err.println(out.resolve(FrozenStore.EVENTS) + " exists; pass --overwrite only while events are "
                    + "still at revision 1, or name another directory");
            System.exit(2);
        }
        new Revision1StoreGenerator().run(out.toAbsolutePath());
        System.exit(0);
    }

    private void run(Path out) throws Exception {
        Files.createDirectories(out);
        Path dataDir = Files.createTempDirectory("vectorsync-frozen-");
        Main.Running running = Main.start(FrozenStore.settings(dataDir, FrozenStore.SPACES));
        JsonObject expectedSearch;
        int documents;
        long head;
        try {
            app = running.app();
            api = new ApiClient(running.port());
            writeHistory();
            head = FrozenStore.awaitQuiet(app, PATIENCE);
            if (FrozenStore.deadLetters(app) != 0) {
                throw new IllegalStateException("the store has dead letters; it must be clean");
            }
            Map<String, Folded> folded = fold();
            expectedSearch = expectedSearch(folded);
            documents = writeExpectedDocuments(out.resolve(FrozenStore.EXPECTED_DOCUMENTS));
        } finally {
            running.stop();
        }
        int rows;
        Map<String, Integer> byType;
        try (EventStoreDatabase database = EventStoreDatabase.openH2(dataDir)) {
            if (database.headPosition() != head) {
                throw new IllegalStateException("the log grew after the results were recorded");
            }
            rows = FrozenStore.export(database, out.resolve(FrozenStore.EVENTS));
        }
        // read back what was written, as the test will
        byType = countByType(out.resolve(FrozenStore.EVENTS));
        writeExpectedSearch(out.resolve(FrozenStore.EXPECTED_SEARCH), expectedSearch);
        writeJson(out.resolve(FrozenStore.MANIFEST), manifest(rows, head, byType, documents));
        deleteRecursively(dataDir);
        System.out.println("frozen store written to " + out + ": " + rows + " events, head " + head + ", "
                + documents + " documents; events by type " + byType);
    }

    // ---- the history -----------------------------------------------------------------------------

    private void writeHistory() {
        for (int i = 0; i < 6; i++) {
            float[] center = new float[FrozenStore.CLIENT_DIMENSION];
            for (int d = 0; d < center.length; d++) {
                center[d] = (float) random.nextGaussian();
            }
            centers.add(center);
        }
        // 1. creates: texts by NDJSON batch and by PUT, client vectors, and vectors supplied for the model's space
        createTenant("acme", 150, 40, 4);
        createTenant("globex", 110, 25, 2);
        awaitQuiet();

        // 2. content revisions (the encoder embeds each new text; client documents bring new vectors)
        for (Doc doc : pick(45, d -> d.kind == Kind.TEXT)) {
            reviseText(doc, random.nextInt(4) == 0, true);
        }
        for (Doc doc : pick(12, d -> d.kind == Kind.CLIENT)) {
            doc.body = doc.body + " Revised edition " + (reference++) + ".";
            doc.vectors = clientVectors(doc, centerOf(doc));
            upsert(doc, "revised", false);
        }
        for (Doc doc : pick(1, d -> d.kind == Kind.SUPPLIED)) {
            Corpus.Topic topic = Corpus.TOPICS.get(random.nextInt(Corpus.TOPICS.size()));
            doc.body = Corpus.body(topic, random, ref(doc), false);
            doc.vectors = suppliedVectors(doc.body);
            upsert(doc, "revised", false);
        }
        awaitQuiet();

        // 3. metadata-only changes, unchanged upserts, and new vectors for unchanged text
        for (Doc doc : pick(40, d -> d.kind != Kind.CLIENT)) {
            changeMetadata(doc);
            upsert(doc, "metadata_changed", random.nextBoolean());
        }
        for (Doc doc : pick(12, d -> d.kind == Kind.CLIENT)) {
            changeMetadata(doc);
            upsert(doc, "metadata_changed", false);
        }
        for (Doc doc : pick(10, d -> true)) {
            upsert(doc, "unchanged", false);
        }
        for (Doc doc : pick(3, d -> d.kind == Kind.CLIENT)) {
            doc.vectors = clientVectors(doc, centerOf(doc));
            upsert(doc, "revised", false);
        }
        awaitQuiet();

        // 4. deletes, some twice
        List<Doc> deleted = new ArrayList<>();
        deleted.addAll(pick(30, d -> d.kind == Kind.TEXT));
        deleted.addAll(pick(8, d -> d.kind == Kind.CLIENT));
        deleted.addAll(pick(1, d -> d.kind == Kind.SUPPLIED));
        for (Doc doc : deleted) {
            delete(doc, "deleted");
        }
        for (Doc doc : deleted.subList(0, 3)) {
            delete(doc, "already_deleted");
        }
        awaitQuiet();

        // 5. restores: an upsert after a delete, with the old text, a new text, or new vectors
        List<Doc> restore = pickAmong(19, d -> d.deleted);
        for (Doc doc : restore) {
            if (doc.kind == Kind.CLIENT) {
                doc.vectors = clientVectors(doc, centerOf(doc));
            } else if (doc.kind == Kind.TEXT && random.nextBoolean()) {
                Corpus.Topic topic = topicOf(doc);
                doc.body = Corpus.body(topic, random, ref(doc), random.nextInt(4) == 0);
            }
            doc.deleted = false;
            doc.restored = true;
            upsert(doc, "restored", false);
        }
        awaitQuiet();

        // 6. a second round: restored documents change metadata or go again, others are revised once more
        List<Doc> restored = docs.values().stream().filter(d -> d.restored && !d.deleted).toList();
        for (Doc doc : restored.subList(0, 5)) {
            changeMetadata(doc);
            upsert(doc, "metadata_changed", false);
        }
        for (Doc doc : restored.subList(5, 8)) {
            delete(doc, "deleted");
        }
        for (Doc doc : pick(8, d -> d.kind == Kind.TEXT && !d.everDeleted)) {
            reviseText(doc, true, false);
        }
        awaitQuiet();
    }

    private void createTenant(String tenant, int texts, int clients, int supplied) {
        StringBuilder batch = new StringBuilder();
        int batched = 0;
        for (int i = 1; i <= texts; i++) {
            Doc doc = new Doc(tenant, "kb-" + String.format("%04d", i), Kind.TEXT);
            Corpus.Topic topic = Corpus.topic(random);
            doc.title = Corpus.title(topic, random, i);
            doc.body = Corpus.body(topic, random, ref(doc), random.nextInt(5) == 0);
            doc.metadata = Corpus.metadata(topic.team(), topic.tags(), random);
            docs.put(doc.key(), doc);
            if (i % 2 == 0) {
                upsert(doc, "created", false);
            } else {
                batch.append(Json.createObjectBuilder(request(doc)).add("op", "upsert").add("documentId", doc.id).build())
                        .append('\n');
                batched++;
            }
        }
        String answer = api.post(tenant, "/documents:batch", "application/x-ndjson", batch.toString(), 200);
        List<String> lines = answer.lines().filter(line -> !line.isBlank()).toList();
        if (lines.size() != batched) {
            throw new IllegalStateException("batch answered " + lines.size() + " lines for " + batched);
        }
        for (String line : lines) {
            JsonObject result = ApiClient.parse(line);
            if (result.getInt("status") != 201 || !result.getString("result").equals("created")) {
                throw new IllegalStateException("batch line failed: " + line);
            }
        }
        for (int i = 1; i <= clients; i++) {
            Doc doc = new Doc(tenant, "sku-" + String.format("%04d", i), Kind.CLIENT);
            int category = random.nextInt(Corpus.CATEGORIES.size());
            String adjective = Corpus.ADJECTIVES.get(random.nextInt(Corpus.ADJECTIVES.size()));
            doc.title = "A " + adjective + " " + Corpus.CATEGORIES.get(category) + " item (" + i + ")";
            doc.body = "Catalogue entry " + ref(doc) + " in " + Corpus.CATEGORIES.get(category) + ". It is "
                    + adjective + " and ships in " + (1 + random.nextInt(9)) + " days.";
            doc.metadata = Corpus.metadata("catalog-" + Corpus.CATEGORIES.get(category),
                    List.of(adjective, "in-stock", "sale"), random);
            doc.vectors = clientVectors(doc, centers.get(category));
            docs.put(doc.key(), doc);
            upsert(doc, "created", false);
        }
        for (int i = 1; i <= supplied; i++) {
            Doc doc = new Doc(tenant, "ext-" + String.format("%04d", i), Kind.SUPPLIED);
            Corpus.Topic topic = Corpus.topic(random);
            doc.title = Corpus.title(topic, random, i);
            doc.body = Corpus.body(topic, random, ref(doc), false);
            doc.metadata = Corpus.metadata(topic.team(), topic.tags(), random);
            doc.vectors = suppliedVectors(doc.body);
            docs.put(doc.key(), doc);
            upsert(doc, "created", false);
        }
    }

    private void reviseText(Doc doc, boolean newTitle, boolean allowLong) {
        Corpus.Topic topic = topicOf(doc);
        if (newTitle) {
            doc.title = Corpus.title(topic, random, reference++);
        }
        doc.body = Corpus.body(topic, random, ref(doc), allowLong && random.nextInt(4) == 0);
        upsert(doc, "revised", random.nextBoolean());
    }

    private void changeMetadata(Doc doc) {
        Map<String, Object> metadata = new LinkedHashMap<>(doc.metadata);
        switch (random.nextInt(4)) {
            case 0 -> metadata.put("year", ((Number) metadata.get("year")).intValue() + 1);
            case 1 -> metadata.put("public", !((Boolean) metadata.get("public")));
            case 2 -> metadata.put("priority", 1 + (((Number) metadata.get("priority")).intValue() % 5));
            default -> metadata.put("reviewed", true);
        }
        if (random.nextInt(5) == 0) {
            metadata.remove("tags");
        }
        doc.metadata = metadata;
    }

    private Corpus.Topic topicOf(Doc doc) {
        String team = (String) doc.metadata.get("team");
        return Corpus.TOPICS.stream().filter(t -> t.team().equals(team)).findFirst().orElseThrow();
    }

    private float[] centerOf(Doc doc) {
        String team = (String) doc.metadata.get("team");
        return centers.get(Corpus.CATEGORIES.indexOf(team.substring("catalog-".length())));
    }

    /** A new unique reference for a document's text. */
    private String ref(Doc doc) {
        return (doc.tenant.equals("acme") ? "AC-" : "GX-") + (reference++);
    }

    /** One vector for the whole body, or passages: two found in the body, sometimes one that is not. */
    private JsonObject clientVectors(Doc doc, float[] center) {
        JsonObjectBuilder vectors = Json.createObjectBuilder().add("space", FrozenStore.CLIENT_SPACE);
        if (random.nextInt(5) < 3) {
            return vectors.add("vector", vectorJson(near(center))).build();
        }
        String[] sentences = doc.body.split("(?<=\\.) ");
        JsonArrayBuilder chunks = Json.createArrayBuilder();
        for (String sentence : sentences) {
            chunks.add(Json.createObjectBuilder().add("text", sentence).add("vector", vectorJson(near(center))));
        }
        if (random.nextInt(3) == 0) {
            chunks.add(Json.createObjectBuilder().add("text", "Spare parts sold separately.")
                    .add("vector", vectorJson(near(center))));
        }
        return vectors.add("chunks", chunks).build();
    }

    private float[] near(float[] center) {
        float[] vector = new float[center.length];
        for (int d = 0; d < vector.length; d++) {
            vector[d] = center[d] + 0.45f * (float) random.nextGaussian();
        }
        return vector;
    }

    /** Vectors a content system computed itself with the same model, one passage per sentence. */
    private JsonObject suppliedVectors(String body) {
        JsonArrayBuilder chunks = Json.createArrayBuilder();
        for (String sentence : body.split("(?<=\\.) ")) {
            chunks.add(Json.createObjectBuilder().add("text", sentence)
                    .add("vector", vectorJson(app.spaces().embedQuery(FrozenStore.DEFAULT_SPACE, sentence))));
        }
        return Json.createObjectBuilder().add("space", FrozenStore.DEFAULT_SPACE).add("chunks", chunks).build();
    }

    private JsonObject request(Doc doc) {
        JsonObjectBuilder request = Json.createObjectBuilder()
                .add("title", doc.title)
                .add("body", doc.body)
                .add("metadata", Json.createObjectBuilder(doc.metadata));
        if (doc.kind == Kind.TEXT) {
            request.add("source", "https://cms.example/" + doc.tenant + "/" + doc.id);
        }
        if (doc.vectors != null) {
            request.add("vectors", doc.vectors);
        }
        return request.build();
    }

    private void upsert(Doc doc, String expected, boolean ifMatch) {
        String version = ifMatch
                ? String.valueOf(api.getJson(doc.tenant, "/documents/" + doc.id).getInt("version"))
                : null;
        JsonObject answer = ApiClient.parse(api.put(doc.tenant, "/documents/" + doc.id, request(doc), version, 200, 201));
        if (!answer.getString("result").equals(expected)) {
            throw new IllegalStateException(doc.key() + ": expected " + expected + ", got " + answer);
        }
    }

    private void delete(Doc doc, String expected) {
        String reason = List.of("retired", "duplicate", "outdated").get(random.nextInt(3));
        JsonObject answer = ApiClient.parse(api.delete(doc.tenant, "/documents/" + doc.id + "?reason=" + reason, 200));
        if (!answer.getString("result").equals(expected)) {
            throw new IllegalStateException(doc.key() + ": expected " + expected + ", got " + answer);
        }
        doc.deleted = true;
        doc.everDeleted = true;
    }

    /** {@code n} live documents matching, drawn with the seeded random from those in creation order. */
    private List<Doc> pick(int n, Predicate<Doc> filter) {
        return pickAmong(n, doc -> !doc.deleted && filter.test(doc));
    }

    private List<Doc> pickAmong(int n, Predicate<Doc> filter) {
        List<Doc> candidates = new ArrayList<>(docs.values().stream().filter(filter).toList());
        java.util.Collections.shuffle(candidates, random);
        if (candidates.size() < n) {
            throw new IllegalStateException("only " + candidates.size() + " documents to pick " + n + " from");
        }
        return List.copyOf(candidates.subList(0, n));
    }

    private void awaitQuiet() {
        FrozenStore.awaitQuiet(app, PATIENCE);
    }

    // ---- expected results ------------------------------------------------------------------------

    /** Every document as the events in the store leave it (the live app's own log). */
    private Map<String, Folded> fold() {
        Map<String, Folded> folded = new TreeMap<>();
        long head = app.database().headPosition();
        long position = -1;
        try (BlockingStream<TrackedEventMessage<?>> stream = app.eventStore().openStream(null)) {
            while (position < head) {
                if (!stream.hasNextAvailable(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the event stream stopped at " + position + " before " + head);
                }
                TrackedEventMessage<?> message = stream.nextAvailable();
                position = message.trackingToken().position().orElseThrow();
                Object event = message.getPayload();
                switch (event) {
                    case DocumentCreated e -> {
                        Folded f = folded.computeIfAbsent(e.tenant() + "/" + e.documentId(), k -> new Folded());
                        f.live = true;
                        f.metadata = e.metadata();
                    }
                    case DocumentRestored e -> {
                        Folded f = folded.get(e.tenant() + "/" + e.documentId());
                        f.live = true;
                        f.metadata = e.metadata();
                    }
                    case DocumentMetadataChanged e -> folded.get(e.tenant() + "/" + e.documentId()).metadata = e.metadata();
                    case DocumentDeleted e -> folded.get(e.tenant() + "/" + e.documentId()).live = false;
                    case DocumentEmbedded e -> folded.get(e.tenant() + "/" + e.documentId()).chunks.put(e.space(), e.chunks());
                    case DocumentContentRevised e -> {
                        // the index keeps the old vectors until the new text's arrive, which they have by now
                    }
                    default -> throw new IllegalStateException("unexpected event " + event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return folded;
    }

    private JsonObject expectedSearch(Map<String, Folded> folded) {
        JsonArrayBuilder searches = Json.createArrayBuilder();
        String[][] textQueries = {
                {"acme", "I forgot my password and cannot sign in", "10", null},
                {"acme", "when will my refund arrive", "10", "{\"team\": \"billing\"}"},
                {"acme", "how to repair a leaking pump", "8", "{\"year\": {\"gte\": 2021}}"},
                {"acme", "planting tomatoes in spring", "10", "{\"team\": [\"gardening\", \"cooking\"]}"},
                {"acme", "customs paperwork for international parcels", "5", "{\"public\": true}"},
                {"acme", "training against phishing e-mails", "10", "{\"tags\": \"phishing\"}"},
                {"acme", "baking bread at home", "20", null},
                {"acme", "watching meteors at night", "10", "{\"priority\": {\"gte\": 2, \"lte\": 4}, \"public\": false}"},
                {"acme", "when is salary paid", "10", "{\"reviewed\": true}"},
                {"globex", "I forgot my password and cannot sign in", "10", null},
                {"globex", "night train across Europe", "10", "{\"year\": {\"lt\": 2023}}"},
                {"globex", "compost and soil", "6", "{\"tags\": [\"soil\", \"trees\"]}"},
                {"globex", "invoice copy for my accountant", "10", "{\"team\": \"billing\", \"public\": true}"},
                {"globex", "laptop disk encryption", "15", null},
                {"globex", "first day at a new job", "10", "{\"priority\": {\"gt\": 3}}"},
        };
        int n = 0;
        for (String[] q : textQueries) {
            float[] vector = app.spaces().embedQuery(FrozenStore.DEFAULT_SPACE, q[1]);
            JsonObject filter = q[3] == null ? null : ApiClient.parse(q[3]);
            searches.add(search("text-" + (++n), q[0], q[1], FrozenStore.DEFAULT_SPACE, vector, Integer.parseInt(q[2]),
                    filter, folded, List.of(), List.of()));
        }
        String[][] clientQueries = {
                {"acme", "0", "10", null},
                {"acme", "2", "10", "{\"team\": \"catalog-kitchen\"}"},
                {"acme", "4", "8", "{\"year\": {\"gte\": 2020, \"lt\": 2024}}"},
                {"globex", "1", "10", null},
                {"globex", "3", "10", "{\"public\": false}"},
                {"globex", "5", "5", "{\"tags\": \"in-stock\"}"},
        };
        n = 0;
        for (String[] q : clientQueries) {
            float[] vector = near(centers.get(Integer.parseInt(q[1])));
            JsonObject filter = q[3] == null ? null : ApiClient.parse(q[3]);
            searches.add(search("vector-" + (++n), q[0], "near catalogue cluster " + q[1], FrozenStore.CLIENT_SPACE,
                    vector, Integer.parseInt(q[2]), filter, folded, List.of(), List.of()));
        }
        // probes: a deleted document's own vector must not find it; a restored one's must
        for (String tenant : List.of("acme", "globex")) {
            for (Kind kind : Kind.values()) {
                int limit = kind == Kind.TEXT ? 3 : 1;
                docs.values().stream().filter(d -> d.tenant.equals(tenant) && d.kind == kind && d.deleted).limit(limit)
                        .forEach(doc -> searches.add(probe(doc, "deleted-", folded, List.of(), List.of(doc.id))));
                docs.values().stream().filter(d -> d.tenant.equals(tenant) && d.kind == kind && d.restored && !d.deleted)
                        .limit(limit)
                        .forEach(doc -> searches.add(probe(doc, "restored-", folded, List.of(doc.id), List.of())));
            }
        }
        JsonArrayBuilder similar = Json.createArrayBuilder();
        for (Doc doc : List.of(docs.get("acme/kb-0002"), docs.get("acme/sku-0003"), docs.get("globex/kb-0005"),
                docs.get("globex/sku-0002"), docs.get("acme/ext-0002"))) {
            if (doc.deleted) {
                continue;
            }
            String space = doc.kind == Kind.CLIENT ? FrozenStore.CLIENT_SPACE : FrozenStore.DEFAULT_SPACE;
            JsonObject request = Json.createObjectBuilder().add("space", space).add("k", 5).build();
            JsonObject answer = api.postJson(doc.tenant, "/documents/" + doc.id + "/similar", request);
            similar.add(Json.createObjectBuilder()
                    .add("name", "similar-" + doc.tenant + "-" + doc.id)
                    .add("tenant", doc.tenant)
                    .add("documentId", doc.id)
                    .add("request", request)
                    .add("hits", answer.getJsonArray("hits")));
        }
        return Json.createObjectBuilder()
                .add("tolerance", HitComparison.TOLERANCE)
                .add("searches", searches)
                .add("similar", similar)
                .build();
    }

    private JsonObject probe(Doc doc, String prefix, Map<String, Folded> folded, List<String> present,
                             List<String> absent) {
        String space = doc.kind == Kind.CLIENT ? FrozenStore.CLIENT_SPACE : FrozenStore.DEFAULT_SPACE;
        float[] vector = folded.get(doc.key()).chunks.get(space).getFirst().vector();
        return search(prefix + doc.tenant + "-" + doc.id, doc.tenant, "the first passage vector of " + doc.key(), space,
                vector, 5, null, folded, present, absent);
    }

    /**
     * One search: k is lowered until the k-th and the next document are clearly apart (so no index
     * may legitimately cut between tied documents), the live answer must equal the exact ranking, and
     * both go into the file.
     */
    private JsonObject search(String name, String tenant, String about, String space, float[] vector, int k,
                              JsonObject filter, Map<String, Folded> folded, List<String> present, List<String> absent) {
        List<JsonObject> exact = bruteForce(tenant, space, vector, filter, folded);
        int kept = Math.min(k, exact.size());
        while (kept > 1 && kept < exact.size()
                && score(exact.get(kept - 1)) - score(exact.get(kept)) <= 2 * HitComparison.TOLERANCE) {
            kept--;
        }
        JsonObjectBuilder request = Json.createObjectBuilder().add("space", space).add("vector", vectorJson(vector))
                .add("k", kept);
        if (filter != null) {
            request.add("filter", filter);
        }
        JsonObject body = request.build();
        JsonArray hits = api.postJson(tenant, "/search", body).getJsonArray("hits");
        JsonArray truth = Json.createArrayBuilder(exact.subList(0, kept)).build();
        List<String> problems = HitComparison.differences(truth, hits, false);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(name + ": the live answer is not the exact ranking: " + problems);
        }
        List<String> ids = HitComparison.ids(hits);
        if (!ids.containsAll(present) || absent.stream().anyMatch(ids::contains)) {
            throw new IllegalStateException(name + ": expected " + present + " present and " + absent + " absent in " + ids);
        }
        return Json.createObjectBuilder()
                .add("name", name)
                .add("about", about)
                .add("tenant", tenant)
                .add("request", body)
                .add("present", Json.createArrayBuilder(present))
                .add("absent", Json.createArrayBuilder(absent))
                .add("hits", hits)
                .build();
    }

    /** Every live document of the tenant with vectors in the space that passes the filter, best chunk first. */
    private static List<JsonObject> bruteForce(String tenant, String space, float[] query, JsonObject filter,
                                               Map<String, Folded> folded) {
        List<JsonObject> ranked = new ArrayList<>();
        folded.forEach((key, doc) -> {
            List<EmbeddedChunk> chunks = doc.chunks.get(space);
            if (!key.startsWith(tenant + "/") || !doc.live || chunks == null
                    || filter != null && !matches(filter, doc.metadata)) {
                return;
            }
            double best = chunks.stream().mapToDouble(chunk -> (1 + cosine(query, chunk.vector())) / 2).max().orElseThrow();
            ranked.add(Json.createObjectBuilder().add("documentId", key.substring(tenant.length() + 1))
                    .add("score", best).build());
        });
        ranked.sort(Comparator.comparingDouble(Revision1StoreGenerator::score).reversed());
        return ranked;
    }

    private static double score(JsonObject hit) {
        return hit.getJsonNumber("score").doubleValue();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** The README's filter semantics, for the conditions the queries use. */
    private static boolean matches(JsonObject filter, Map<String, Object> metadata) {
        for (Map.Entry<String, JsonValue> condition : filter.entrySet()) {
            Object value = metadata.get(condition.getKey());
            if (value == null) {
                return false;
            }
            JsonValue wanted = condition.getValue();
            boolean ok = switch (wanted.getValueType()) {
                case ARRAY -> wanted.asJsonArray().stream().anyMatch(v -> equalsScalar(v, value));
                case OBJECT -> value instanceof Number number && inRange(wanted.asJsonObject(), number);
                default -> equalsScalar(wanted, value);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsScalar(JsonValue wanted, Object value) {
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(item -> equalsScalar(wanted, item));
        }
        return switch (wanted.getValueType()) {
            case STRING -> ((JsonString) wanted).getString().equals(value);
            case NUMBER -> value instanceof Number number
                    && ((JsonNumber) wanted).bigDecimalValue().compareTo(new BigDecimal(number.toString())) == 0;
            case TRUE -> Boolean.TRUE.equals(value);
            case FALSE -> Boolean.FALSE.equals(value);
            default -> false;
        };
    }

    private static boolean inRange(JsonObject range, Number number) {
        BigDecimal value = new BigDecimal(number.toString());
        for (Map.Entry<String, JsonValue> bound : range.entrySet()) {
            int c = value.compareTo(((JsonNumber) bound.getValue()).bigDecimalValue());
            boolean ok = switch (bound.getKey()) {
                case "gt" -> c > 0;
                case "gte" -> c >= 0;
                case "lt" -> c < 0;
                case "lte" -> c <= 0;
                default -> throw new IllegalArgumentException(bound.getKey());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Each float as its shortest decimal, so the test sends exactly these vectors. */
    static JsonArray vectorJson(float[] vector) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (float f : vector) {
            array.add(Json.createValue(new BigDecimal(Float.toString(f))));
        }
        return array.build();
    }

    /** One line per document: its state and its history, as the API reads them from the store. */
    private int writeExpectedDocuments(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Doc doc : docs.values()) {
                JsonObject state = api.getJson(doc.tenant, "/documents/" + doc.id);
                if (state.getBoolean("deleted") != doc.deleted) {
                    throw new IllegalStateException(doc.key() + ": deleted is " + state.getBoolean("deleted"));
                }
                JsonObject history = api.getJson(doc.tenant, "/documents/" + doc.id + "/history");
                out.write(Json.createObjectBuilder()
                        .add("tenant", doc.tenant)
                        .add("documentId", doc.id)
                        .add("document", state)
                        .add("history", history)
                        .build().toString());
                out.write('\n');
            }
        }
        return docs.size();
    }

    private static Map<String, Integer> countByType(Path events) throws IOException {
        List<JsonObject> rows = new ArrayList<>();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(events)), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rows.add(ApiClient.parse(line));
            }
        }
        return FrozenStore.countByType(rows);
    }

    private JsonObject manifest(int rows, long head, Map<String, Integer> byType, int documents) {
        JsonArrayBuilder spaces = Json.createArrayBuilder();
        FrozenStore.SPACES.forEach(space -> spaces.add(FrozenStore.spaceJson(space)));
        JsonObjectBuilder types = Json.createObjectBuilder();
        byType.forEach(types::add);
        Map<String, Integer> perTenant = new TreeMap<>();
        docs.values().forEach(doc -> perTenant.merge(doc.tenant, 1, Integer::sum));
        JsonObjectBuilder tenants = Json.createObjectBuilder();
        perTenant.forEach(tenants::add);
        return Json.createObjectBuilder()
                .add("revision", 1)
                .add("generator", Revision1StoreGenerator.class.getName())
                .add("seed", SEED)
                .add("generatedAt", Instant.now().toString())
                .add("gitCommit", git("rev-parse", "HEAD"))
                .add("gitModifiedFiles", Json.createArrayBuilder(git("status", "--porcelain", "--untracked-files=no").lines()
                        .map(String::strip).toList()))
                .add("defaultSpace", FrozenStore.DEFAULT_SPACE)
                .add("spaces", spaces)
                .add("hnsw", Json.createObjectBuilder().add("m", FrozenStore.HNSW_M)
                        .add("efConstruction", FrozenStore.HNSW_EF_CONSTRUCTION))
                .add("events", Json.createObjectBuilder().add("rows", rows).add("headPosition", head).add("byType", types))
                .add("documents", Json.createObjectBuilder().add("count", documents).add("perTenant", tenants)
                        .add("deleted", docs.values().stream().filter(d -> d.deleted).count())
                        .add("restored", docs.values().stream().filter(d -> d.restored).count()))
                .build();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor() == 0 ? output : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Valid JSON with one line per search, so that a diff shows which searches changed. */
    private static void writeExpectedSearch(Path file, JsonObject json) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("{\n\"tolerance\": " + json.get("tolerance") + ",\n");
            for (String list : List.of("searches", "similar")) {
                out.write("\"" + list + "\": [\n");
                JsonArray items = json.getJsonArray(list);
                for (int i = 0; i < items.size(); i++) {
                    out.write("  " + items.get(i) + (i + 1 < items.size() ? ",\n" : "\n"));
                }
                out.write(list.equals("similar") ? "]\n" : "],\n");
            }
            out.write("}\n");
        }
    }

    private static void writeJson(Path file, JsonObject json) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Json.provider().createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(out).write(json);
            out.write('\n');
        }
    }
}
