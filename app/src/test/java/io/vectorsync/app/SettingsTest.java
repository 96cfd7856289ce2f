package io.vectorsync.app;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    private static Config bundled() {
        return Config.just(ConfigSources.classpath("application.yaml"));
    }

    @Test
    void theBundledDefaultsRunEmbedded() {
        Settings settings = Settings.from(bundled(), Map.of());
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(settings.defaultSpace()).isEqualTo("default");
        assertThat(settings.spaces()).singleElement().satisfies(space -> {
            assertThat(space.model()).isEqualTo("all-minilm-l6-v2");
            assertThat(space.dimension()).isEqualTo(384);
        });
        assertThat(settings.indexKind()).isEqualTo("lucene");
    }

    @Test
    void portAndDataDirectoryComeFromTheEnvironment() {
        Settings settings = Settings.from(bundled(), Map.of("SERVER_PORT", "9191", "VECTORSYNC_DATA_DIR", "/tmp/vs-data"));
        assertThat(settings.port()).isEqualTo(9191);
        assertThat(settings.dataDir()).isEqualTo(Path.of("/tmp/vs-data"));
    }

    @Test
    void anyKeyCanBeOverriddenOnTopOfTheFile() {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("vectorsync.index.hnsw-m", "32", "vectorsync.processors.batch-size", "50")),
                        ConfigSources.classpath("application.yaml"))
                .build();
        Settings settings = Settings.from(config, Map.of());
        assertThat(settings.hnswM()).isEqualTo(32);
        assertThat(settings.batchSize()).isEqualTo(50);
    }

    @Test
    void anIndexKindThisVersionCannotServeIsRefused() {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("vectorsync.index.kind", "opensearch")),
                        ConfigSources.classpath("application.yaml"))
                .build();
        assertThatThrownBy(() -> Settings.from(config, Map.of()))
                .hasMessageContaining("vectorsync.index.kind");
    }
}
