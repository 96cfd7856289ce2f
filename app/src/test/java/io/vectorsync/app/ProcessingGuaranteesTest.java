package io.vectorsync.app;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EmbeddingProvenance;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the processors promise: no event skipped, nothing lost on shutdown, nothing duplicated on restart. */
class ProcessingGuaranteesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void aPoisonEventIsDeadLetteredAndHoldsBackOnlyItsOwnDocument() {
        try (TestApp app = TestApp.start(dataDir)) {
            // an embedding whose dimension does not fit its space can only come from a bug or a config
            // change; it is appended directly, as the aggregate would refuse it
            var poison = new DocumentEmbedded("acme", "poison", 1, "tiny", new EmbeddingProvenance("client", null, false, ChunkerSettings.CLIENT), 3,
                    "Poison", Map.of(), List.of(EmbeddedChunk.of(0, 0, 3, "bad", new float[]{1, 0, 0})));
            app.app().eventStore().publish(new GenericDomainEventMessage<>("Document", "acme/poison", 0, poison));
            app.app().eventStore().publish(new GenericDomainEventMessage<>("Document", "acme/poison", 1,
                    new DocumentMetadataChanged("acme", "poison", Map.of("fixed", Boolean.FALSE))));

            assertThat(app.put("/v1/tenants/acme/documents/healthy", """
                    {"title": "Healthy", "body": "fine", "vectors": {"space": "tiny", "vector": [0, 0, 1, 0]}}""")
                    .status()).isEqualTo(201);
            TestApp.await("the healthy document flows past the poison one", PATIENCE,
                    () -> app.app().indexes().forSpace("tiny").countDocuments("acme") == 1);

            SequencedDeadLetterQueue<EventMessage<?>> deadLetters = deadLetters(app);
            TestApp.await("the poison event and the one behind it are dead-lettered", PATIENCE,
                    () -> deadLetters.sequenceSize("acme/poison") == 2);
            assertThat(deadLetters.amountOfSequences()).isEqualTo(1);
            assertThat(app.app().indexes().forSpace("tiny").version("acme", "poison")).isEmpty();
        }
        try (TestApp app = TestApp.start(dataDir)) {
            // dead letters are stored with the events: a restart keeps them
            assertThat(deadLetters(app).sequenceSize("acme/poison")).isEqualTo(2);
        }
    }

    @Test
    void stoppingMidIngestLosesNothingAndARestartDuplicatesNothing() {
        int documents = 300;
        String ndjson = IntStream.range(0, documents)
                .mapToObj(i -> "{\"documentId\": \"d" + i + "\", \"title\": \"Doc " + i + "\", \"body\": \"body " + i
                        + "\", \"vectors\": {\"space\": \"tiny\", \"vector\": [" + (1 + i % 7) + ", " + (i % 5) + ", "
                        + (i % 3) + ", 1]}}")
                .collect(Collectors.joining("\n"));
        try (TestApp app = TestApp.start(dataDir)) {
            TestApp.Response response = app.post("/v1/tenants/acme/documents:batch", "application/x-ndjson", ndjson);
            assertThat(response.body().lines().filter(line -> line.contains("\"status\":201")).count())
                    .isEqualTo(documents);
            assertThat(app.get("/health/ready").status()).isEqualTo(200);
            // stop at once: the projection is most likely still behind
        }
        try (TestApp app = TestApp.start(dataDir)) {
            var index = app.app().indexes().forSpace("tiny");
            TestApp.await("every acknowledged document is indexed", PATIENCE,
                    () -> index.countDocuments("acme") == documents);
            assertThat(index.countChunks("acme")).isEqualTo(documents);
            assertThat(app.get("/health/live").status()).isEqualTo(200);
            assertThat(app.get("/health/ready").json().getString("status")).isEqualTo("UP");
        }
    }

    private static SequencedDeadLetterQueue<EventMessage<?>> deadLetters(TestApp app) {
        return app.app().axon().eventProcessingConfiguration().deadLetterQueue("vector-index").orElseThrow();
    }
}
