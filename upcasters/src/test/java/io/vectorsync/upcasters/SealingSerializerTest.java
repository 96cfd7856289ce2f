package io.vectorsync.upcasters;

import io.vectorsync.crypto.ContentCipher;
import io.vectorsync.crypto.ContentKeys;
import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EmbeddingProvenance;
import io.vectorsync.json.Float32Base64;
import jakarta.json.JsonObject;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The serializer sealing content-bearing events with their document's key (issue 21): nothing of the content in the
 * stored bytes, the same event back on every read path, old unsealed events as they were, and no content once the
 * key is destroyed.
 */
class SealingSerializerTest {

    private static final String MARKER = "Zephyrine-Quillfeather-4711";
    private final Keys keys = new Keys();
    private final JsonbSerializer serializer = JsonbSerializer.sealing(keys);
    private final float[] vector = {0.123456f, -0.98765f, 0.5f, 0.25f};
    private final DocumentEmbedded embedded = new DocumentEmbedded("acme", "doc-1", 2, "tiny",
            new EmbeddingProvenance("client", null, false, ChunkerSettings.CLIENT), 4, "About " + MARKER,
            Map.of("owner", MARKER), List.of(EmbeddedChunk.of(0, 0, 20, MARKER + " wrote this", vector)));
    private final DocumentCreated created = new DocumentCreated("acme", "doc-1", "About " + MARKER,
            MARKER + " lives on floor 3", Map.of("owner", MARKER), "crm", "hash-of-the-text");

    @Test
    void theStoredBytesHoldNoContentAndEveryReadGivesTheEventBack() {
        SerializedObject<byte[]> stored = serializer.serialize(embedded, byte[].class);
        String text = new String(stored.getData(), StandardCharsets.UTF_8);

        assertThat(text).doesNotContain(MARKER).doesNotContain(Float32Base64.encode(vector))
                .doesNotContain("About").contains("\"tenant\":\"acme\"", "\"documentId\":\"doc-1\"",
                        "\"contentRevision\":2", "\"space\":\"tiny\"", "\"sealed\":{\"generation\":1");
        assertThat(contains(stored.getData(), littleEndian(vector))).as("the vector's float32 bytes").isFalse();

        DocumentEmbedded read = serializer.deserialize(stored);
        assertThat(read.title()).isEqualTo(embedded.title());
        assertThat(read.metadata()).isEqualTo(embedded.metadata());
        assertThat(read.chunks().getFirst().text()).isEqualTo(embedded.chunks().getFirst().text());
        assertThat(read.chunks().getFirst().vector()).containsExactly(vector);
        assertThat(read.provenance()).isEqualTo(embedded.provenance());

        JsonObject upcasting = serializer.getConverter().convert(stored, JsonObject.class).getData();
        assertThat(upcasting.getString("title")).as("what the upcasters see: the plain event").isEqualTo(embedded.title());
        assertThat(upcasting.containsKey("sealed")).isFalse();

        assertThat((DocumentCreated) serializer.deserialize(serializer.serialize(created, String.class))).isEqualTo(created);
    }

    @Test
    void eventsWithoutContentAndEventsStoredBeforeSealingReadAsTheyAre() {
        DocumentErased erased = new DocumentErased("acme", "doc-1");
        SerializedObject<String> stored = serializer.serialize(erased, String.class);
        assertThat(stored.getData()).doesNotContain("sealed").contains("doc-1");
        assertThat((DocumentErased) serializer.deserialize(stored)).isEqualTo(erased);

        // a deletion's reason is free text, which may name a person: sealed like content
        DocumentDeleted deleted = new DocumentDeleted("acme", "doc-1", "Jane Doe asked");
        SerializedObject<String> sealedReason = serializer.serialize(deleted, String.class);
        assertThat(sealedReason.getData()).contains("sealed").doesNotContain("Jane");
        assertThat((DocumentDeleted) serializer.deserialize(sealedReason)).isEqualTo(deleted);

        SerializedObject<byte[]> plain = JsonbSerializer.create().serialize(created, byte[].class);
        assertThat(new String(plain.getData(), StandardCharsets.UTF_8)).contains(MARKER);
        assertThat((DocumentCreated) serializer.deserialize(plain)).as("written before sealing").isEqualTo(created);
    }

    @Test
    void withTheKeyDestroyedTheEventReadsWithoutItsContent() {
        SerializedObject<byte[]> stored = serializer.serialize(created, byte[].class);
        SerializedObject<byte[]> storedEmbedding = serializer.serialize(embedded, byte[].class);

        keys.destroy("acme", "doc-1");

        DocumentCreated erased = serializer.deserialize(stored);
        assertThat(erased).isEqualTo(new DocumentCreated("acme", "doc-1", null, null, null, null, null));
        DocumentEmbedded erasedEmbedding = serializer.deserialize(storedEmbedding);
        assertThat(erasedEmbedding.chunks()).isNull();
        assertThat(erasedEmbedding.title()).isNull();
        assertThat(erasedEmbedding.contentRevision()).as("bookkeeping stays").isEqualTo(2);
        assertThat(serializer.getConverter().convert(stored, JsonObject.class).getData().isNull("body")).isTrue();

        DocumentCreated again = new DocumentCreated("acme", "doc-1", "new", "new text", Map.of(), null, "h");
        SerializedObject<byte[]> rewritten = serializer.serialize(again, byte[].class);
        assertThat(new String(rewritten.getData(), StandardCharsets.UTF_8)).contains("\"generation\":2");
        assertThat((DocumentCreated) serializer.deserialize(rewritten)).isEqualTo(again);
        assertThat((DocumentCreated) serializer.deserialize(stored)).as("the old generation stays erased")
                .isEqualTo(erased);
    }

    @Test
    void aSealedContentMovedToAnotherDocumentDoesNotOpen() {
        String stored = serializer.serialize(created, String.class).getData();
        keys.current("acme", "doc-2");
        String moved = stored.replace("\"documentId\":\"doc-1\"", "\"documentId\":\"doc-2\"");

        assertThatThrownBy(() -> serializer.deserialize(new SimpleSerializedObject<>(moved, String.class,
                serializer.typeForClass(DocumentCreated.class))))
                .isInstanceOf(SerializationException.class).hasMessageContaining("does not authenticate");
    }

    private static byte[] littleEndian(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        String base64 = Base64.getEncoder().encodeToString(needle);
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1))
                || new String(haystack, StandardCharsets.ISO_8859_1).contains(base64);
    }

    /** Keys in memory, as the store keeps them: a generation per document, destroyed keys gone. */
    private static final class Keys implements ContentKeys {
        private final Map<String, Long> generations = new HashMap<>();
        private final Map<String, SecretKey> keys = new HashMap<>();

        @Override
        public DataKey current(String tenant, String documentId) {
            String document = tenant + "/" + documentId;
            long generation = generations.getOrDefault(document, 0L);
            SecretKey key = keys.get(document + "/" + generation);
            if (key == null) {
                generation++;
                key = ContentCipher.newKey();
                generations.put(document, generation);
                keys.put(document + "/" + generation, key);
            }
            return new DataKey(generation, key);
        }

        @Override
        public Optional<SecretKey> find(String tenant, String documentId, long generation) {
            return Optional.ofNullable(keys.get(tenant + "/" + documentId + "/" + generation));
        }

        void destroy(String tenant, String documentId) {
            keys.keySet().removeIf(key -> key.startsWith(tenant + "/" + documentId + "/"));
        }
    }
}
