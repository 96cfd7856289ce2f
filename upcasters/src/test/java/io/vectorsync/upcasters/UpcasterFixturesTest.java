package io.vectorsync.upcasters;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Each upcaster, on its own, from stored JSON of the revision it reads ({@code upcasters/<Upcaster>/<case>.before.json})
 * to the JSON of the revision it writes ({@code <case>.after.json}), run the way the event store runs it. The
 * expected files were written by hand (a script outside the code under test), not by the upcaster.
 */
class UpcasterFixturesTest {

    private static final Map<String, SingleEventUpcaster> UPCASTERS = Map.of(
            "DocumentEmbeddedVectorsAsBase64", new DocumentEmbeddedVectorsAsBase64(),
            "DocumentEmbeddedProvenance", new DocumentEmbeddedProvenance(),
            "DocumentEmbeddedChunkSpans", new DocumentEmbeddedChunkSpans());
    private static final Map<String, SimpleSerializedType[]> TYPES = Map.of(
            "DocumentEmbeddedVectorsAsBase64",
            new SimpleSerializedType[]{DocumentEmbeddedVectorsAsBase64.FROM, DocumentEmbeddedVectorsAsBase64.TO},
            "DocumentEmbeddedProvenance",
            new SimpleSerializedType[]{DocumentEmbeddedProvenance.FROM, DocumentEmbeddedProvenance.TO},
            "DocumentEmbeddedChunkSpans",
            new SimpleSerializedType[]{DocumentEmbeddedChunkSpans.FROM, DocumentEmbeddedChunkSpans.TO});

    private final JsonbSerializer serializer = JsonbSerializer.create();

    @Test
    void everyUpcasterOfTheChainHasFixtures() throws IOException {
        try (Stream<Path> directories = Files.list(root())) {
            assertThat(directories.map(dir -> dir.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(UPCASTERS.keySet());
        }
        assertThat(Upcasters.chain()).isNotNull();
    }

    @TestFactory
    Stream<DynamicTest> eachUpcasterTurnsItsBeforeFixtureIntoItsAfterFixture() throws IOException {
        List<Path> befores;
        try (Stream<Path> files = Files.walk(root(), 2)) {
            befores = files.filter(file -> file.toString().endsWith(".before.json")).sorted().toList();
        }
        assertThat(befores).hasSizeGreaterThanOrEqualTo(UPCASTERS.size() * 2);
        return befores.stream().map(before -> dynamicTest(root().relativize(before).toString(), () -> {
            String upcaster = before.getParent().getFileName().toString();
            Path after = before.resolveSibling(before.getFileName().toString().replace(".before.", ".after."));
            SimpleSerializedType[] types = TYPES.get(upcaster);

            IntermediateEventRepresentation upcast = upcast(UPCASTERS.get(upcaster), types[0], Files.readAllBytes(before));

            assertThat(upcast.getType()).isEqualTo(types[1]);
            assertThat(upcast.getData(JsonObject.class).getData()).isEqualTo(parse(Files.readAllBytes(after)));
        }));
    }

    @Test
    void anUpcasterLeavesOtherRevisionsAlone() throws IOException {
        byte[] revision2 = Files.readAllBytes(root().getParent().resolve("events/DocumentEmbedded/2.json"));
        IntermediateEventRepresentation untouched = upcast(new DocumentEmbeddedVectorsAsBase64(),
                DocumentEmbeddedChunkSpans.TO, revision2);

        assertThat(untouched.getType()).isEqualTo(DocumentEmbeddedChunkSpans.TO);
        assertThat(untouched.getData(JsonObject.class).getData()).isEqualTo(parse(revision2));
    }

    private IntermediateEventRepresentation upcast(SingleEventUpcaster upcaster, SimpleSerializedType type, byte[] payload) {
        GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>(
                "Document", "acme/handbook-7", 3, "5d1c8f0e-0f6b-4c7a-9a43-6d2b7b0f2e11",
                Instant.parse("2025-11-03T09:15:00Z"), type.getName(), type.getRevision(), payload,
                serializer.serialize(MetaData.emptyInstance(), byte[].class).getData());
        List<IntermediateEventRepresentation> result =
                upcaster.upcast(Stream.of(new InitialEventRepresentation(entry, serializer))).toList();
        assertThat(result).hasSize(1);
        return result.getFirst();
    }

    private static JsonObject parse(byte[] json) {
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(json))) {
            return reader.readObject();
        }
    }

    private static Path root() {
        try {
            return Path.of(UpcasterFixturesTest.class.getResource("/upcasters").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
