package io.vectorsync.projections.versions;

import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.upcasters.JsonbSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry in a real (H2) store: typed rows in, the same typed rows out, and what the models follow from it. */
class VersionRegistryTest {

    @TempDir
    Path dataDir;

    @Test
    void versionsKeepTheirRoleAndTypedSettingsAcrossTheStore() {
        try (EventStoreDatabase database = EventStoreDatabase.openH2(dataDir)) {
            VersionRegistry registry = new VersionRegistry(database);
            assertThat(registry.liveVersion("docs")).as("before any rebuild").isEqualTo(1);

            VersionSettings built = new VersionSettings(8, 50, 40, null, null, "int7", true, "minilm-q", 5, null);
            VersionSettings cut = new VersionSettings(null, null, null, null, null, null, false, null, null,
                    new VersionSettings.Cut(null, Instant.parse("2026-11-01T00:00:00Z")));
            Instant now = Instant.parse("2026-12-07T10:00:00Z");
            registry.save(new IndexVersion("docs", 2, Role.BUILDING, built, now),
                    new IndexVersion("docs", 3, Role.POINT_IN_TIME, cut, now));

            assertThat(registry.find("docs", 2)).hasValue(new IndexVersion("docs", 2, Role.BUILDING, built, now));
            assertThat(registry.find("docs", 3).orElseThrow().settings().until().timestamp())
                    .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
            assertThat(registry.find("docs", 3).orElseThrow().role()).isEqualTo(Role.POINT_IN_TIME);

            SpaceModels models = new SpaceModels(Map.of("docs", "minilm"), registry);
            assertThat(models.live("docs")).isEqualTo("minilm");
            assertThat(models.inUse("docs")).as("the build's model is embedded too").containsExactly("minilm-q", "minilm");
            assertThat(models.liveFilter("docs")).as("two models in use: the live index keeps to its own")
                    .isEqualTo("minilm");

            registry.save(new IndexVersion("docs", 2, Role.LIVE, built, now),
                    new IndexVersion("docs", 1, Role.PREVIOUS, VersionSettings.CONFIGURED, now));
            models.refresh();
            assertThat(registry.liveVersion("docs")).isEqualTo(2);
            assertThat(models.live("docs")).isEqualTo("minilm-q");

            registry.forget("docs", 3, JsonbSerializer.create());
            assertThat(registry.find("docs", 3)).isEmpty();
            assertThat(registry.of("docs")).extracting(IndexVersion::version).containsExactly(1, 2);
        }
    }

    @Test
    void settingsWrittenByEarlierVersionsReadAsUnsetWhereTheySayNothing() {
        VersionSettings old = VersionSettings.fromJson("{\"hnswM\":12}");
        assertThat(old.hnswM()).isEqualTo(12);
        assertThat(old.efSearch()).isNull();
        assertThat(old.autoSwap()).isFalse();
        assertThat(old.initialRole()).isEqualTo(Role.BUILDING);
        assertThat(VersionSettings.fromJson(old.toJson().toString())).isEqualTo(old);
        assertThat(VersionSettings.fromJson("{\"until\":{\"position\":41}}").initialRole()).isEqualTo(Role.POINT_IN_TIME);
    }
}
