package io.vectorsync.upcasters;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DeleteDocument;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EmbeddingProvenance;
import io.vectorsync.domain.RecordEmbeddings;
import io.vectorsync.domain.SuppliedEmbedding;
import io.vectorsync.domain.UpsertDocument;
import io.vectorsync.domain.UpsertOutcome;
import jakarta.json.JsonObject;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonbSerializerTest {

    private final JsonbSerializer serializer = JsonbSerializer.create();

    static Stream<Object> messages() {
        List<EmbeddedChunk> chunks = List.of(EmbeddedChunk.of(0, 0, 12, "Remote work.", new float[]{0.5f, -0.25f}));
        return Stream.of(
                new UpsertDocument("acme", "handbook-7", "Employee handbook", "Remote work.",
                                   Map.of("pages", new BigDecimal("42")), "confluence", 3L,
                                   new SuppliedEmbedding("default", "client-model", 2, chunks)),
                new UpsertDocument("acme", "handbook-7", "Employee handbook", "Remote work.", Map.of(), null, null, null),
                new RecordEmbeddings("acme", "handbook-7", 1, "default", "all-minilm-l6-v2", "test-version", 2,
                                     ChunkerSettings.CLIENT, chunks),
                new DeleteDocument("acme", "handbook-7", null),
                new UpsertOutcome(UpsertOutcome.Result.METADATA_CHANGED, 4));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void commandsAndResultsRoundTrip(Object message) {
        assertThat(roundTrip(message)).isEqualTo(message);
    }

    @Test
    void eventMetadataComesBackAsStringsBigDecimalsBooleansAndListsOfStrings() {
        DocumentMetadataChanged event = new DocumentMetadataChanged("acme", "handbook-7", Map.of(
                "department", "people-ops", "pages", 42, "rating", 4.5, "confidential", true,
                "tags", List.of("onboarding", "policy")));

        DocumentMetadataChanged read = roundTrip(event);

        assertThat(read.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "department", "people-ops", "pages", new BigDecimal("42"), "rating", new BigDecimal("4.5"),
                "confidential", true, "tags", List.of("onboarding", "policy")));
    }

    @Test
    void vectorsRoundTripToTheBit() {
        float[] vector = {0.1f, -0.33333334f, 1e-8f, Float.MIN_VALUE, Float.MAX_VALUE, -0.0f, 0.0f, 1.0f, 0.0004f};
        EmbeddedChunk chunk = EmbeddedChunk.of(0, -1, -1, "passage", vector);

        EmbeddedChunk read = roundTrip(chunk);

        assertThat(read).isEqualTo(chunk); // Arrays.equals compares floats bit for bit, so -0.0 must stay -0.0
        // little-endian float32s in base64: 0.5f is 0x3F000000, -0.25f is 0xBE800000
        assertThat(serializer.serialize(EmbeddedChunk.of(0, -1, -1, "p", new float[]{0.5f, -0.25f}), String.class).getData())
                .contains("\"vector\":\"AAAAPwAAgL4=\"");
    }

    @Test
    void revisionOneVectorsAsDecimalArraysStillReadToTheSameFloats() {
        SimpleSerializedObject<String> old = new SimpleSerializedObject<>(
                "{\"index\":0,\"text\":\"p\",\"vector\":[0.1,-0.33333334,1E-8,1.4E-45,3.4028235E+38,-0.0,0,1,0.0004]}",
                String.class, EmbeddedChunk.class.getName(), null);

        EmbeddedChunk read = serializer.deserialize(old);

        assertThat(read.vector()).containsExactly(0.1f, -0.33333334f, 1e-8f, Float.MIN_VALUE, Float.MAX_VALUE, -0.0f,
                0.0f, 1.0f, 0.0004f);
        assertThat(Float.floatToRawIntBits(read.vector()[5])).isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(read.span()).isNull();
    }

    @Test
    void documentEmbeddedVectorsRoundTripToTheBitThroughEveryRepresentation() {
        SplittableRandom random = new SplittableRandom(7);
        float[] edges = {-0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
                Math.nextDown(Float.MIN_NORMAL), Float.MAX_VALUE, -Float.MAX_VALUE, 1e-45f, 1e-5f, 100f, 16777216f};
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int index = 0; index < 8; index++) {
            float[] vector = new float[384];
            for (int d = 0; d < vector.length; d++) {
                float value;
                do {
                    value = index % 2 == 0
                            ? Float.intBitsToFloat(random.nextInt())             // any finite float
                            : (float) ((random.nextDouble() * 2 - 1) * 0.2);    // a unit vector's components
                } while (!Float.isFinite(value));
                vector[d] = value;
            }
            System.arraycopy(edges, 0, vector, index * 16, edges.length);
            chunks.add(EmbeddedChunk.of(index, index * 10, index * 10 + 9, "passage " + index, vector));
        }
        DocumentEmbedded event = new DocumentEmbedded("acme", "handbook-7", 3, "default", new EmbeddingProvenance("all-minilm-l6-v2", null, false, ChunkerSettings.CLIENT), 384, "Employee handbook",
                                                      Map.of("team", "people-ops"), chunks);

        for (Class<?> representation : List.of(byte[].class, String.class)) {
            DocumentEmbedded read = serializer.deserialize(serializer.serialize(event, representation));

            assertThat(read).isEqualTo(event);
            for (int index = 0; index < chunks.size(); index++) {
                float[] written = chunks.get(index).vector();
                float[] back = read.chunks().get(index).vector();
                for (int d = 0; d < written.length; d++) {
                    assertThat(Float.floatToRawIntBits(back[d])).as("chunk %d [%d]", index, d)
                            .isEqualTo(Float.floatToRawIntBits(written[d]));
                }
            }
        }
    }

    @Test
    void aNullVectorReadsAsNull() {
        EmbeddedChunk chunk = EmbeddedChunk.of(0, -1, -1, "passage", null);

        assertThat(roundTrip(chunk)).isEqualTo(chunk);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[0.5,\"-0.25\"]", "[0.5,null]", "[0.5,[-0.25]]", "[0.5,{}]", "[true]", "\"0.5\"",
            "\"AAAAPwAAgA==\"", "\"not base64!\"", "0.5", "{\"x\":0.5}"})
    void aVectorOfAnythingButBase64FloatsOrNumbersIsASerializationException(String vector) {
        String stored = serializer.serialize(embedded(new float[]{0.5f, -0.25f}), String.class).getData();
        assertThat(stored).contains("\"vector\":\"AAAAPwAAgL4=\"");
        SimpleSerializedObject<byte[]> bad = new SimpleSerializedObject<>(
                stored.replace("\"AAAAPwAAgL4=\"", vector).getBytes(StandardCharsets.UTF_8), byte[].class,
                DocumentEmbedded.class.getName(), "2");

        assertThatThrownBy(() -> serializer.deserialize(bad))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot deserialize io.vectorsync.domain.DocumentEmbedded revision 2")
                .hasMessageContaining("vector");
    }

    @Test
    void aChunkPropertyTheEventDoesNotHaveIsStillAnError() {
        String stored = serializer.serialize(embedded(new float[]{0.5f, -0.25f}), String.class).getData();
        SimpleSerializedObject<String> renamed = new SimpleSerializedObject<>(
                stored.replace("\"vector\":\"AAAAPwAAgL4=\"", "\"vector\":\"AAAAPwAAgL4=\",\"norm\":1"), String.class,
                DocumentEmbedded.class.getName(), "2");

        assertThatThrownBy(() -> serializer.deserialize(renamed))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("norm");
    }

    @Test
    void aVectorWithoutANumberIsRefused() {
        EmbeddedChunk chunk = EmbeddedChunk.of(0, 0, 1, "x", new float[]{Float.NaN});

        assertThatThrownBy(() -> serializer.serialize(chunk, byte[].class)).isInstanceOf(SerializationException.class);
    }

    @Test
    void metaDataRoundTripsWithLongsBigDecimalsAndNesting() {
        Map<String, Object> values = new HashMap<>();
        values.put("correlationId", "0b7e6a52-41f4-4f0e-9d55-2f1c1f7d3a10");
        values.put("attempts", 3L);
        values.put("receivedAt", 1762161300000L);
        values.put("score", new BigDecimal("0.875"));
        values.put("retry", true);
        values.put("lastError", null);
        values.put("caller", Map.of("principal", "cms@acme", "roles", List.of("writer", "admin")));
        MetaData metaData = MetaData.from(values);

        for (Class<?> representation : List.of(byte[].class, String.class, JsonObject.class)) {
            SerializedObject<?> written = serializer.serialize(metaData, representation);

            assertThat(written.getType()).isEqualTo(new SimpleSerializedType(MetaData.class.getName(), null));
            assertThat((Object) serializer.deserialize(written)).isEqualTo(metaData);
        }
    }

    @Test
    void metaDataIntegersComeBackAsLongOtherNumbersAsBigDecimalAndOtherValuesAsTheirJson() {
        MetaData metaData = MetaData.with("retries", 2).and("ratio", 0.5d).and("weight", 0.1f)
                                    .and("at", Instant.parse("2025-11-03T09:15:00Z"));

        MetaData read = roundTrip(metaData);

        assertThat(read.get("retries")).isEqualTo(2L);
        assertThat(read.get("ratio")).isEqualTo(new BigDecimal("0.5"));
        assertThat(read.get("weight")).isEqualTo(new BigDecimal("0.1"));
        assertThat(read.get("at")).isEqualTo("2025-11-03T09:15:00Z");
    }

    @Test
    void metaDataAsTheEventStoreReadsIt() {
        MetaData metaData = MetaData.with("correlationId", "c-1").and("principal", "cms@acme");
        byte[] stored = serializer.serialize(metaData, byte[].class).getData();

        // how SerializedMetaData and the dead-letter queue hand it back: the class name, no revision
        Object read = serializer.deserialize(
                new SimpleSerializedObject<>(stored, byte[].class, MetaData.class.getName(), null));

        assertThat(read).isEqualTo(metaData);
    }

    @Test
    void aMalformedPayloadIsASerializationExceptionNamingTheType() {
        SimpleSerializedObject<byte[]> truncated = new SimpleSerializedObject<>(
                "{\"tenant\":\"acme\",\"documentId\":".getBytes(StandardCharsets.UTF_8), byte[].class,
                DocumentDeleted.class.getName(), "1");

        assertThatThrownBy(() -> serializer.deserialize(truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot deserialize io.vectorsync.domain.DocumentDeleted revision 1");
    }

    @Test
    void aPropertyTheEventDoesNotHaveIsAnErrorNotSilentlyDropped() {
        SimpleSerializedObject<String> renamed = new SimpleSerializedObject<>(
                "{\"tenant\":\"acme\",\"documentId\":\"handbook-7\",\"why\":\"archived\"}", String.class,
                DocumentDeleted.class.getName(), "1");

        assertThatThrownBy(() -> serializer.deserialize(renamed))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("why");
    }

    @Test
    void malformedMetaDataIsASerializationException() {
        SimpleSerializedObject<String> notAnObject = new SimpleSerializedObject<>(
                "[1,2", String.class, MetaData.class.getName(), null);

        assertThatThrownBy(() -> serializer.deserialize(notAnObject)).isInstanceOf(SerializationException.class);
    }

    @Test
    void nullIsTheEmptyTypeBothWays() {
        SerializedObject<byte[]> written = serializer.serialize(null, byte[].class);

        assertThat(written.getType()).isEqualTo(SerializedType.emptyType());
        assertThat((Object) serializer.deserialize(written)).isNull();
        assertThat(serializer.classForType(SerializedType.emptyType())).isEqualTo(Void.class);
        assertThat(serializer.typeForClass(Void.class)).isEqualTo(SerializedType.emptyType());
    }

    @Test
    void anUnknownClassIsAnUnknownSerializedTypeWhoseJsonStaysReadable() {
        SimpleSerializedObject<byte[]> stored = new SimpleSerializedObject<>(
                "{\"tenant\":\"acme\"}".getBytes(StandardCharsets.UTF_8), byte[].class,
                "io.vectorsync.domain.DocumentArchived", "1");

        assertThat(serializer.classForType(stored.getType())).isEqualTo(UnknownSerializedType.class);
        UnknownSerializedType unknown = serializer.deserialize(stored);
        assertThat(unknown.serializedType()).isEqualTo(stored.getType());
        assertThat(unknown.supportsFormat(JsonObject.class)).isTrue();
        assertThat(unknown.readData(JsonObject.class).getString("tenant")).isEqualTo("acme");
    }

    @Test
    void typesCarryTheRevisionAnnotation() {
        assertThat(serializer.typeForClass(DocumentDeleted.class))
                .isEqualTo(new SimpleSerializedType(DocumentDeleted.class.getName(), "1"));
        assertThat(serializer.typeForClass(UpsertOutcome.class))
                .isEqualTo(new SimpleSerializedType(UpsertOutcome.class.getName(), null));
        assertThat(serializer.classForType(new SimpleSerializedType(DocumentDeleted.class.getName(), "1")))
                .isEqualTo(DocumentDeleted.class);
    }

    @Test
    void theConverterMovesBetweenBytesStringsAndJsonObjects() {
        byte[] bytes = "{\"tenant\":\"acme\"}".getBytes(StandardCharsets.UTF_8);

        JsonObject object = serializer.getConverter().convert(bytes, JsonObject.class);
        String text = serializer.getConverter().convert(object, String.class);

        assertThat(object.getString("tenant")).isEqualTo("acme");
        assertThat(serializer.getConverter().convert(text, JsonObject.class)).isEqualTo(object);
        assertThat(Arrays.asList(byte[].class, String.class, JsonObject.class, InputStream.class))
                .allMatch(serializer::canSerializeTo);
    }

    @Test
    void xStreamIsNotOnTheClasspath() {
        // Axon 4 silently defaults to XStream; excluding it here proves nothing in this module needs it
        assertThatThrownBy(() -> Class.forName("com.thoughtworks.xstream.XStream"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    private static DocumentEmbedded embedded(float[] vector) {
        return new DocumentEmbedded("acme", "handbook-7", 1, "default", new EmbeddingProvenance("client-model", null, false, ChunkerSettings.CLIENT), vector.length, "Employee handbook", Map.of(),
                                    List.of(EmbeddedChunk.of(0, 0, 12, "Remote work.", vector)));
    }

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T object) {
        return (T) serializer.deserialize(serializer.serialize(object, byte[].class));
    }
}
