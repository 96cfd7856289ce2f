package io.vectorsync.ui.admin;

import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.command.encoder.FakeEmbeddingModel;
import io.vectorsync.command.encoder.TextEmbeddingModel;
import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.projections.versions.Role;
import io.vectorsync.projections.versions.VersionSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rebuild request's strict parsing into typed version settings, each refusal naming its field. */
class RebuildRequestTest {

    private static final EmbeddingSpaces SPACES = new EmbeddingSpaces(List.of(
            new EmbeddingSpace("text", "small-model", 8, "cosine", new ChunkerSettings("recursive", 64, 8)),
            new EmbeddingSpace("client", EmbeddingSpace.CLIENT_MODEL, 4, "cosine", ChunkerSettings.CLIENT)),
            "text", RebuildRequestTest::model);

    /** Two models of 8 dimensions exist; no model is ever asked to embed here. */
    private static TextEmbeddingModel model(String id) {
        if (!id.equals("small-model") && !id.equals("other-model")) {
            throw new IllegalArgumentException("unknown embedding model '" + id + "'");
        }
        return new FakeEmbeddingModel(id, 8);
    }

    @Test
    void anEmptyBodyAsksForTheConfiguredSettings() {
        assertThat(RebuildRequest.parse("", "text", SPACES)).isEqualTo(VersionSettings.CONFIGURED);
        assertThat(RebuildRequest.parse(null, "text", SPACES)).isEqualTo(VersionSettings.CONFIGURED);
    }

    @Test
    void everySettingIsTyped() {
        VersionSettings settings = RebuildRequest.parse("""
                {"hnswM": 8, "hnswEfConstruction": 50, "efSearch": 40, "quantization": "int7", "shards": 2,
                 "replicas": 0, "autoSwap": true, "model": "other-model", "reembedPerSecond": 5}""", "text", SPACES);

        assertThat(settings).isEqualTo(new VersionSettings(8, 50, 40, 2, 0, "int7", true, "other-model", 5, null));
        assertThat(settings.initialRole()).isEqualTo(Role.BUILDING);
    }

    @Test
    void aCutMakesAPointInTimeVersion() {
        VersionSettings byTime = RebuildRequest.parse("{\"until\": {\"timestamp\": \"2026-11-01T00:00:00Z\"}}", "text",
                SPACES);
        assertThat(byTime.until().timestamp()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(byTime.initialRole()).isEqualTo(Role.POINT_IN_TIME);
        assertThat(RebuildRequest.parse("{\"until\": {\"position\": 0}}", "text", SPACES).until().position()).isZero();
    }

    @Test
    void badRequestsNameTheirField() {
        refuses("{\"hnswM\": 1}", "hnswM", "at least 2");
        refuses("{\"efSearch\": 0}", "efSearch", "at least 1");
        refuses("{\"replicas\": -1}", "replicas", "at least 0");
        refuses("{\"reembedPerSecond\": 0}", "reembedPerSecond", "at least 1");
        refuses("{\"hnswm\": 8}", "hnswm", "not a known field");
        refuses("{\"model\": \"nope\"}", "model", "unknown embedding model");
        refuses("{\"until\": {}}", "until", "exactly one of");
        refuses("{\"until\": {\"position\": 3, \"timestamp\": \"2026-11-01T00:00:00Z\"}}", "until", "exactly one of");
        refuses("{\"until\": {\"position\": -1}}", "until.position", "0 or more");
        refuses("{\"until\": {\"timestamp\": \"yesterday\"}}", "until.timestamp", "ISO-8601");
        refuses("{\"until\": {\"position\": 3}, \"autoSwap\": true}", "autoSwap", "never becomes live");
        assertThatThrownBy(() -> RebuildRequest.parse("{\"model\": \"other-model\"}", "client", SPACES))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no model to move it to");
    }

    private static void refuses(String body, String field, String says) {
        assertThatThrownBy(() -> RebuildRequest.parse(body, "text", SPACES))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(says);
    }
}
