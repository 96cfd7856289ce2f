package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.MetadataJson;
import io.vectorsync.projections.index.Provenance;
import io.vectorsync.json.FloatFormat;
import io.vectorsync.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.vectorsync.projections.index.IndexFields.*;
import static io.vectorsync.projections.index.IndexFields.OpenSearch.*;

/**
 * How one indexed document maps to OpenSearch documents: one per chunk (the search entries), id
 * {@code tenant/documentId#chunk}, plus one state document, id {@code tenant/documentId}, that holds
 * the version, the deleted flag and which chunk ids the document occupies. The state document is the
 * durable tombstone: it is never deleted, so a late, older write is recognised however long ago the
 * document was deleted (OpenSearch itself forgets a delete's version after {@code index.gc_deletes}).
 * The field names are {@link IndexFields}' (with {@link IndexFields.OpenSearch}'s spellings).
 */
final class Entries {

    /** What a hit reads: never the vector, nor the typed metadata copies. */
    static final List<String> HIT_FIELDS = List.of(DOCUMENT_ID, TITLE, CHUNK_NUMBER, PASSAGE, START, END, METADATA_JSON,
            VERSION, CONTENT_REVISION);
    static final List<String> STATE_FIELDS = List.of(VERSION, DELETED, CHUNKS);

    /** OpenSearch's limit on a document id. */
    private static final int MAX_ID_BYTES = 512;
    /** The longest chunk suffix: '#' and a negative int. */
    private static final int MAX_CHUNK_SUFFIX_BYTES = 12;

    private Entries() {
    }

    /**
     * Escapes the separators, so distinct (tenant, document id) pairs never share an id even when a
     * document id contains '/' or '#'.
     */
    static String stateId(String tenant, String documentId) {
        return escape(tenant) + '/' + escape(documentId);
    }

    static String chunkId(String tenant, String documentId, int chunk) {
        return stateId(tenant, documentId) + '#' + chunk;
    }

    /** OpenSearch's limit on the id length (the shared rules check the keyword metadata values). */
    static void requireIndexable(IndexWrite write) {
        requireIdFits(write.tenant(), write.documentId());
    }

    private static void requireIdFits(String tenant, String documentId) {
        int bytes = stateId(tenant, documentId).getBytes(StandardCharsets.UTF_8).length + MAX_CHUNK_SUFFIX_BYTES;
        if (bytes > MAX_ID_BYTES) {
            throw new IllegalArgumentException("tenant and documentId are too long for OpenSearch ids ("
                    + MAX_ID_BYTES + " bytes)");
        }
    }

    private static String escape(String value) {
        return value.replace("%", "%25").replace("/", "%2F").replace("#", "%23");
    }

    /**
     * A chunk entry's source as UTF-8 JSON, rendered once: its size splits the bulk requests and the
     * same bytes go into the request body.
     */
    static byte[] chunk(ReplaceChunks content, long version, IndexChunk chunk) {
        JsonObjectBuilder entry = common(KIND_CHUNK, content.tenant(), content.documentId(), version)
                .add(CONTENT_REVISION, content.contentRevision())
                .add(CHUNK_NUMBER, chunk.index())
                .add(START, chunk.start())
                .add(END, chunk.end())
                .add(PASSAGE, chunk.passage());
        if (content.title() != null) {
            entry.add(TITLE, content.title());
        }
        Provenance provenance = content.provenance();
        if (provenance != null) {
            if (provenance.model() != null) {
                entry.add(MODEL, provenance.model());
            }
            if (provenance.chunker() != null) {
                entry.add(CHUNKER, provenance.chunker());
            }
            entry.add(CHUNK_MAX_TOKENS, provenance.chunkMaxTokens());
            entry.add(CHUNK_OVERLAP_TOKENS, provenance.chunkOverlapTokens());
        }
        Map<String, Object> metadata = content.metadata() == null ? Map.of() : content.metadata();
        entry.add(METADATA_JSON, MetadataJson.write(metadata))
                .add(METADATA, MetadataFields.typed(metadata));
        return withVector(entry.build().toString(), chunk.vector());
    }

    /** A state document's source as UTF-8 JSON; {@code contentRevision} is null for a document without content. */
    static byte[] state(String tenant, String documentId, long version, boolean deleted, Long contentRevision,
                        Collection<Integer> chunks) {
        JsonArrayBuilder numbers = Json.createArrayBuilder();
        chunks.forEach(numbers::add);
        JsonObjectBuilder state = common(KIND_STATE, tenant, documentId, version)
                .add(DELETED, deleted)
                .add(CHUNK_COUNT, chunks.size())
                .add(CHUNKS, numbers);
        if (contentRevision != null) {
            state.add(CONTENT_REVISION, contentRevision);
        }
        return state.build().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObjectBuilder common(String kind, String tenant, String documentId, long version) {
        return Json.createObjectBuilder()
                .add(KIND, kind)
                .add(KEY, stateId(tenant, documentId))
                .add(TENANT, tenant)
                .add(DOCUMENT_ID, documentId)
                .add(VERSION, version);
    }

    /**
     * Appends the vector to the other fields, already rendered as a JSON object. Written by hand because
     * a JSON-P number per float (a BigDecimal each) made building entries a quarter of a replay's time.
     * Each float is written by FloatFormat: eight or nine significant digits, which read back as the same
     * float whether parsed as a float or as a double cast to float. Not the shortest form (Float.toString),
     * whose digit search was a fifth of the projection's CPU; a few percent more bytes. Valid JSON, since
     * validation refuses NaN and infinities.
     */
    private static byte[] withVector(String fields, float[] vector) {
        StringBuilder json = new StringBuilder(fields.length() + 16 + vector.length * 12);
        json.append(fields, 0, fields.length() - 1) // without its closing brace; never empty, so a comma follows
                .append(",\"").append(VECTOR).append("\":[");
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            FloatFormat.append(json, vector[i]); // no String per float
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static List<Integer> chunkNumbers(JsonObject state) {
        JsonArray chunks = state.getJsonArray(CHUNKS);
        return chunks == null ? List.of() : chunks.getValuesAs(JsonNumber.class).stream()
                .map(JsonNumber::intValue)
                .toList();
    }

    /** Rebuilds the content a document's chunk entries were written from; null when it has none. */
    static ReplaceChunks content(String tenant, String documentId, List<JsonObject> chunkEntries) {
        if (chunkEntries.isEmpty()) {
            return null;
        }
        JsonObject first = chunkEntries.getFirst();
        List<IndexChunk> chunks = chunkEntries.stream()
                .map(entry -> new IndexChunk(
                        entry.getInt(CHUNK_NUMBER),
                        entry.getString(PASSAGE),
                        entry.getInt(START),
                        entry.getInt(END),
                        floats(entry.getJsonArray(VECTOR))))
                .sorted(Comparator.comparingInt(IndexChunk::index))
                .toList();
        Provenance provenance = first.containsKey(CHUNK_MAX_TOKENS) ? new Provenance(
                first.getString(MODEL, null), first.getString(CHUNKER, null),
                first.getInt(CHUNK_MAX_TOKENS), first.getInt(CHUNK_OVERLAP_TOKENS)) : null;
        return new ReplaceChunks(tenant, documentId, first.getJsonNumber(VERSION).longValue(),
                first.getJsonNumber(CONTENT_REVISION).longValue(), first.getString(TITLE, null),
                MetadataJson.read(first.getString(METADATA_JSON)), provenance, chunks);
    }

    static DocumentHit hit(JsonObject source, float score) {
        return new DocumentHit(
                source.getString(DOCUMENT_ID),
                score,
                source.getString(TITLE, null),
                source.getInt(CHUNK_NUMBER),
                source.getString(PASSAGE),
                source.getInt(START),
                source.getInt(END),
                MetadataJson.read(source.getString(METADATA_JSON)),
                source.getJsonNumber(VERSION).longValue(),
                source.getJsonNumber(CONTENT_REVISION).longValue());
    }

    private static float[] floats(JsonArray values) {
        if (values == null) {
            throw new IllegalStateException("a chunk entry came back without its vector");
        }
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) values.getJsonNumber(i).doubleValue();
        }
        return vector;
    }
}
