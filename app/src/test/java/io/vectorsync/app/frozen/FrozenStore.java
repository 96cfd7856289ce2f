package io.vectorsync.app.frozen;

import io.vectorsync.app.Settings;
import io.vectorsync.app.SettingsKeys;
import io.vectorsync.app.Vectorsync;
import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.command.encoder.Encoder;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.json.Json;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings;
import io.vectorsync.upcasters.JsonbSerializer;
import io.vectorsync.upcasters.Upcasters;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.Serializer;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frozen revision-1 event store: the settings it was written with, its export (every row of
 * Axon's {@code DomainEventEntry} table as one JSON line, gzipped), loading that export into the real
 * tables of a fresh data directory, and waiting for the processors to have taken the whole log.
 *
 * <p>Binary columns (payload, metadata) hold the serializer's JSON; they are exported as that text,
 * checked to be valid UTF-8, so a row loads back byte for byte.
 */
final class FrozenStore {

    static final String RESOURCE_DIR = "/frozen/revision-1/";
    /** Where the generator writes, relative to the {@code app} module. */
    static final Path SOURCE_DIR = Path.of("src/test/resources/frozen/revision-1");
    static final String EVENTS = "events.jsonl.gz";
    static final String MANIFEST = "manifest.json";
    static final String EXPECTED_SEARCH = "expected-search.json";
    static final String EXPECTED_DOCUMENTS = "expected-documents.jsonl";

    static final String DEFAULT_SPACE = "default";
    static final String CLIENT_SPACE = "catalog";
    static final int CLIENT_DIMENSION = 8;
    static final List<EmbeddingSpace> SPACES = List.of(
            new EmbeddingSpace(DEFAULT_SPACE, "all-minilm-l6-v2", 384, "cosine", new ChunkerSettings("recursive", 64, 8)),
            new EmbeddingSpace(CLIENT_SPACE, EmbeddingSpace.CLIENT_MODEL, CLIENT_DIMENSION, "cosine",
                    new ChunkerSettings("recursive", 64, 8)));
    static final int HNSW_M = 16;
    static final int HNSW_EF_CONSTRUCTION = 100;

    private static final EventSchema SCHEMA = EventSchema.builder().build();
    private static final List<String> LONG_COLUMNS = List.of(SCHEMA.globalIndexColumn(), SCHEMA.sequenceNumberColumn());
    private static final List<String> TEXT_COLUMNS = List.of(SCHEMA.eventIdentifierColumn(),
            SCHEMA.aggregateIdentifierColumn(), SCHEMA.typeColumn(), SCHEMA.timestampColumn(),
            SCHEMA.payloadTypeColumn(), SCHEMA.payloadRevisionColumn());
    private static final List<String> BINARY_COLUMNS = List.of(SCHEMA.payloadColumn(), SCHEMA.metaDataColumn());

    private FrozenStore() {
    }

    /**
     * The app over {@code dataDir} with the frozen spaces on the embedded index, no hot-vector cache: searches read
     * the index alone.
     */
    static Settings settings(Path dataDir, List<EmbeddingSpace> spaces) {
        return keys(dataDir, spaces).settings();
    }

    /**
     * The same on the OpenSearch node shared by the test run, under an index prefix of this test's own that starts
     * with {@code prefix}.
     */
    static Settings openSearchSettings(Path dataDir, List<EmbeddingSpace> spaces, String prefix) {
        String url = System.getenv("VECTORSYNC_TEST_OPENSEARCH_URL");
        assertThat(url)
                .as("VECTORSYNC_TEST_OPENSEARCH_URL must be the URL of an OpenSearch node with the k-NN plugin; "
                        + "run the tests with bin/test, or export VECTORSYNC_TEST_OPENSEARCH_URL=$(bin/opensearch start)")
                .isNotBlank();
        return keys(dataDir, spaces)
                .opensearch(url, prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8), 1, 0)
                .settings();
    }

    private static SettingsKeys keys(Path dataDir, List<EmbeddingSpace> spaces) {
        SettingsKeys keys = new SettingsKeys()
                .put("server.host", "localhost")
                .put("server.port", 0)
                .dataDir(dataDir)
                .put("vectorsync.node.id", "frozen-node")
                .put("vectorsync.max-request-bytes", 8L * 1024 * 1024)
                .put("vectorsync.default-space", DEFAULT_SPACE)
                .lucene()
                .put("vectorsync.index.hnsw-m", HNSW_M)
                .put("vectorsync.index.hnsw-ef-construction", HNSW_EF_CONSTRUCTION)
                .put("vectorsync.processors.segments", 2)
                .put("vectorsync.processors.batch-size", 200)
                .cache(false);
        for (EmbeddingSpace space : spaces) {
            assertThat(space.chunker().name()).as("the chunker configuration names").isEqualTo("recursive");
            keys.space(space.name(), space.model(), space.dimension(), space.metric(), space.chunker().maxTokens(),
                    space.chunker().overlapTokens());
        }
        return keys;
    }

    static JsonObject spaceJson(EmbeddingSpace space) {
        return Json.createObjectBuilder()
                .add("name", space.name())
                .add("model", space.model())
                .add("dimension", space.dimension())
                .add("metric", space.metric())
                .add("chunker", Json.createObjectBuilder()
                        .add("name", space.chunker().name())
                        .add("maxTokens", space.chunker().maxTokens())
                        .add("overlapTokens", space.chunker().overlapTokens()))
                .build();
    }

    static EmbeddingSpace space(JsonObject json) {
        JsonObject chunker = json.getJsonObject("chunker");
        return new EmbeddingSpace(json.getString("name"), json.getString("model"), json.getInt("dimension"),
                json.getString("metric"), new ChunkerSettings(chunker.getString("name"), chunker.getInt("maxTokens"),
                chunker.getInt("overlapTokens")));
    }

    // ---- export and load -------------------------------------------------------------------------

    /** Writes every event row, in log order; returns how many. The database must not be written meanwhile. */
    static int export(EventStoreDatabase database, Path file) throws IOException, SQLException {
        int rows = 0;
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             Writer out = new BufferedWriter(new OutputStreamWriter(
                     new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
            try (ResultSet snapshots = statement.executeQuery("SELECT COUNT(*) FROM " + SCHEMA.snapshotTable())) {
                snapshots.next();
                if (snapshots.getLong(1) != 0) {
                    throw new IllegalStateException("the store has snapshots; the export covers events only");
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT * FROM " + SCHEMA.domainEventTable()
                    + " ORDER BY " + SCHEMA.globalIndexColumn())) {
                while (rs.next()) {
                    JsonObjectBuilder row = Json.createObjectBuilder();
                    for (String column : LONG_COLUMNS) {
                        row.add(column, rs.getLong(column));
                    }
                    for (String column : TEXT_COLUMNS) {
                        String value = rs.getString(column);
                        row.add(column, value == null ? JsonValue.NULL : Json.createValue(value));
                    }
                    for (String column : BINARY_COLUMNS) {
                        byte[] value = rs.getBytes(column);
                        row.add(column, value == null ? JsonValue.NULL : Json.createValue(utf8(value, column)));
                    }
                    out.write(row.build().toString());
                    out.write('\n');
                    rows++;
                }
            }
        }
        return rows;
    }

    /** The exported rows, in log order, from the test resource. */
    static List<JsonObject> rows() {
        List<JsonObject> rows = new ArrayList<>();
        try (InputStream in = resource(EVENTS);
             BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rows.add(Json.createReader(new StringReader(line)).readObject());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * Creates the real tables in a fresh data directory (through the same code the app uses), inserts
     * every row with its original global index, and records the encoder as done with the whole log:
     * the frozen store already holds every embedding, and the point is to replay it, not re-embed it.
     * The {@code vector-index} projection has no token, so it starts from the beginning.
     */
    static void load(Path dataDir, List<JsonObject> rows) throws SQLException {
        Serializer serializer = JsonbSerializer.create();
        long head = rows.getLast().getJsonNumber(SCHEMA.globalIndexColumn()).longValueExact();
        try (EventStoreDatabase database = EventStoreDatabase.openH2(dataDir)) {
            database.storageEngine(serializer, Upcasters.chain());
            TokenStore tokens = database.tokenStore(serializer, "frozen-loader");
            List<String> columns = new ArrayList<>(LONG_COLUMNS);
            columns.addAll(TEXT_COLUMNS);
            columns.addAll(BINARY_COLUMNS);
            String insert = "INSERT INTO " + SCHEMA.domainEventTable() + " (" + String.join(", ", columns)
                    + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
            try (Connection connection = database.dataSource().getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement statement = connection.prepareStatement(insert)) {
                    for (JsonObject row : rows) {
                        int i = 1;
                        for (String column : LONG_COLUMNS) {
                            statement.setLong(i++, row.getJsonNumber(column).longValueExact());
                        }
                        for (String column : TEXT_COLUMNS) {
                            if (row.isNull(column)) {
                                statement.setNull(i++, Types.VARCHAR);
                            } else {
                                statement.setString(i++, row.getString(column));
                            }
                        }
                        for (String column : BINARY_COLUMNS) {
                            if (row.isNull(column)) {
                                statement.setNull(i++, Types.VARBINARY);
                            } else {
                                statement.setBytes(i++, row.getString(column).getBytes(StandardCharsets.UTF_8));
                            }
                        }
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
                try (Statement statement = connection.createStatement()) {
                    // rows came with their global index: new events continue after the frozen head
                    statement.execute("ALTER TABLE " + SCHEMA.domainEventTable() + " ALTER COLUMN "
                            + SCHEMA.globalIndexColumn() + " RESTART WITH " + (head + 1));
                }
                connection.commit();
            }
            database.transactionManager().executeInTransaction(() -> tokens.initializeTokenSegments(
                    Encoder.PROCESSING_GROUP, 1, GapAwareTrackingToken.newInstance(head, Set.of())));
        }
    }

    /** Events per payload type and revision, e.g. {@code DocumentCreated@1 → 331}. */
    static Map<String, Integer> countByType(List<JsonObject> rows) {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonObject row : rows) {
            String type = row.getString(SCHEMA.payloadTypeColumn());
            String simple = type.substring(type.lastIndexOf('.') + 1);
            String revision = row.isNull(SCHEMA.payloadRevisionColumn()) ? "null" : row.getString(SCHEMA.payloadRevisionColumn());
            counts.merge(simple + "@" + revision, 1, Integer::sum);
        }
        return counts;
    }

    static long globalIndex(JsonObject row) {
        return row.getJsonNumber(SCHEMA.globalIndexColumn()).longValueExact();
    }

    // ---- processors ------------------------------------------------------------------------------

    /**
     * Waits until the log stops growing and both processors have taken all of it, without errors:
     * the encoder appends events of its own, so a head reached once is not enough.
     */
    static long awaitQuiet(Vectorsync app, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long head = app.database().headPosition();
            if (position(app, Encoder.PROCESSING_GROUP, 1) >= head
                    && position(app, Vectorsync.VECTOR_INDEX_GROUP, app.settings().segments()) >= head
                    && app.database().headPosition() == head) {
                return head;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("processors did not take the log up to " + head + " within " + timeout
                        + ": encoder at " + position(app, Encoder.PROCESSING_GROUP, 1) + ", vector-index at "
                        + position(app, Vectorsync.VECTOR_INDEX_GROUP, app.settings().segments()));
            }
            sleep(50);
        }
    }

    /** Drops every index of the settings' prefix: the node is shared by the test run. */
    static void dropIndexes(OpenSearchSettings opensearch) throws Exception {
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(opensearch.endpoints().getFirst() + "/" + opensearch.indexPrefix() + "-*"))
                .DELETE().build(), java.net.http.HttpResponse.BodyHandlers.discarding());
    }

    /**
     * Until the index projection has taken the log up to {@code head}; then nothing may have been appended
     * (no re-embedding) or dead-lettered.
     */
    static void awaitReplay(Vectorsync app, long head, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (position(app, Vectorsync.VECTOR_INDEX_GROUP, app.settings().segments()) < head) {
            assertThat(System.nanoTime()).as("vector-index replayed up to " + head + " within " + patience)
                    .isLessThan(deadline);
            sleep(50);
        }
        assertThat(app.database().headPosition()).as("the log after the replay").isEqualTo(head);
        assertThat(deadLetters(app)).as("dead letters").isZero();
    }

    /** The lowest position over a pooled processor's segments; -1 until it holds all of them. */
    static long position(Vectorsync app, String group, int segments) {
        EventProcessor processor = app.axon().eventProcessingConfiguration().eventProcessor(group).orElseThrow();
        Map<Integer, EventTrackerStatus> status = ((PooledStreamingEventProcessor) processor).processingStatus();
        if (status.size() < segments) {
            return -1;
        }
        long lowest = Long.MAX_VALUE;
        for (EventTrackerStatus segment : status.values()) {
            if (segment.isErrorState()) {
                throw new AssertionError(group + " segment " + segment.getSegment().getSegmentId() + " failed: "
                        + segment.getError());
            }
            lowest = Math.min(lowest, segment.getCurrentPosition().orElse(-1));
        }
        return lowest;
    }

    static long deadLetters(Vectorsync app) {
        try (Connection connection = app.database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM DeadLetterEntry")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- files -----------------------------------------------------------------------------------

    static InputStream resource(String name) {
        InputStream in = FrozenStore.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IllegalStateException("test resource " + RESOURCE_DIR + name + " is missing; see its README");
        }
        return in;
    }

    static JsonObject jsonResource(String name) {
        try (InputStream in = resource(name)) {
            return Json.createReader(in).readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonObject> jsonLinesResource(String name) {
        List<JsonObject> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(resource(name), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    lines.add(Json.createReader(new StringReader(line)).readObject());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    static long longValue(JsonValue value) {
        return ((JsonNumber) value).longValueExact();
    }

    static String string(JsonValue value) {
        return ((JsonString) value).getString();
    }

    private static String utf8(byte[] bytes, String column) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("column " + column + " holds bytes that are not UTF-8 text", e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
