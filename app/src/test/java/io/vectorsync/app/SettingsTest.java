package io.vectorsync.app;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.projections.hotcache.HotCacheSettings;
import io.vectorsync.projections.index.lucene.HnswSettings;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings;
import io.vectorsync.store.StoreSettings;
import io.vectorsync.ui.access.AccessSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
    void theHotVectorCacheIsAnEmbeddedMemberByDefaultAndConfiguredFromItsKeys() {
        assertThat(Settings.from(bundled(), Map.of()).cache()).isEqualTo(HotCacheSettings.embedded());
        assertThat(Settings.from(overridden(Map.of("vectorsync.cache.enabled", "false")), Map.of()).cache()).isNull();

        Settings settings = Settings.from(overridden(Map.of(
                "vectorsync.cache.enabled", "true",
                "vectorsync.cache.members", "10.0.0.1:5701, 10.0.0.2:5701",
                "vectorsync.cache.max-entries", "500",
                "vectorsync.cache.max-memory-mb", "64")), Map.of());

        assertThat(settings.cache().mode()).isEqualTo(HotCacheSettings.Mode.EMBEDDED);
        assertThat(settings.cache().members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
        assertThat(settings.cache().maxEntries()).isEqualTo(500);
        assertThat(settings.cache().maxMemoryMb()).isEqualTo(64);
        assertThatThrownBy(() -> Settings.from(overridden(Map.of("vectorsync.cache.enabled", "true",
                "vectorsync.cache.mode", "client")), Map.of()))
                .hasMessageContaining("vectorsync.cache").hasMessageContaining("member");
    }

    @Test
    void theHotVectorCacheCanBeALiteMemberWhichNeedsMembers() {
        Settings lite = Settings.from(overridden(Map.of("vectorsync.cache.enabled", "true",
                "vectorsync.cache.mode", "Lite",
                "vectorsync.cache.members", "projector-1:5701,projector-2:5701",
                "vectorsync.cache.bind-address", "0.0.0.0")), Map.of());
        assertThat(lite.cache().mode()).isEqualTo(HotCacheSettings.Mode.LITE);
        assertThat(lite.cache().ownsEntries()).isFalse();
        assertThat(lite.cache().members()).containsExactly("projector-1:5701", "projector-2:5701");
        assertThat(lite.cache().bindAddress()).isEqualTo(HotCacheSettings.ANY_ADDRESS);

        assertThatThrownBy(() -> Settings.from(overridden(Map.of("vectorsync.cache.enabled", "true",
                "vectorsync.cache.mode", "lite")), Map.of()))
                .hasMessageContaining("vectorsync.cache").hasMessageContaining("lite member")
                .hasMessageContaining("list at least one member address");
        assertThatThrownBy(() -> Settings.from(overridden(Map.of("vectorsync.cache.enabled", "true",
                "vectorsync.cache.mode", "replica")), Map.of()))
                .hasMessageContaining("vectorsync.cache.mode").hasMessageContaining("'replica'")
                .hasMessageContaining("embedded").hasMessageContaining("lite").hasMessageContaining("client");
    }

    @Test
    void axonServerIsOffByDefaultAndConfiguredFromItsKeys() {
        assertThat(Settings.from(bundled(), Map.of()).axonServer()).isEqualTo(AxonServerSettings.DISABLED);

        Settings settings = Settings.from(overridden(Map.of(
                "vectorsync.axonserver.enabled", "true",
                "vectorsync.axonserver.servers", "axon-1:8124,axon-2:8124",
                "vectorsync.axonserver.context", "vectors",
                "vectorsync.axonserver.token", "t0ken")), Map.of());

        assertThat(settings.axonServer())
                .isEqualTo(new AxonServerSettings(true, "axon-1:8124,axon-2:8124", "vectors", "t0ken"));
        assertThatThrownBy(() -> Settings.from(overridden(Map.of("vectorsync.axonserver.enabled", "true",
                "vectorsync.axonserver.servers", "")), Map.of()))
                .hasMessageContaining("vectorsync.axonserver.servers");
    }

    @Test
    void theConsistencyWaitAndTheRefreshIntervalHaveDefaultsAndBounds() {
        Settings defaults = Settings.from(overridden(Map.of("vectorsync.index.kind", "opensearch")), Map.of());
        assertThat(defaults.consistencyWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.opensearch().refreshInterval()).as("the cluster's default").isNull();
        assertThat(Settings.from(overridden(Map.of("vectorsync.consistency-wait-ms", "250")), Map.of()).consistencyWait())
                .isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> Settings.from(overridden(Map.of("vectorsync.consistency-wait-ms", "-1")), Map.of()))
                .hasMessageContaining("consistency wait");
        assertThatThrownBy(() -> Settings.from(overridden(Map.of("vectorsync.index.kind", "opensearch",
                "vectorsync.index.opensearch.refresh-interval-ms", "-5")), Map.of()))
                .hasMessageContaining("refresh-interval-ms");
    }

    @Test
    void anUnknownIndexKindIsRefused() {
        assertThatThrownBy(() -> Settings.from(overridden(Map.of("vectorsync.index.kind", "elasticsearch")), Map.of()))
                .hasMessageContaining("vectorsync.index.kind");
    }

    @Test
    void openSearchIsConfiguredFromItsKeys() {
        Settings settings = Settings.from(overridden(Map.of(
                "vectorsync.index.kind", "opensearch",
                "vectorsync.index.hnsw-m", "24",
                "vectorsync.index.opensearch.endpoints", "http://10.0.0.1:9200, http://10.0.0.2:9200",
                "vectorsync.index.opensearch.username", "admin",
                "vectorsync.index.opensearch.password", "secret",
                "vectorsync.index.opensearch.replicas", "0",
                "vectorsync.index.opensearch.ef-search", "256",
                "vectorsync.index.opensearch.quantization", "sq",
                "vectorsync.index.opensearch.refresh-interval-ms", "30000")), Map.of());
        var os = settings.opensearch();
        assertThat(os.refreshInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(os.endpoints()).hasSize(2);
        assertThat(os.username()).isEqualTo("admin");
        assertThat(os.replicas()).isZero();
        assertThat(os.knn().m()).isEqualTo(24);
        assertThat(os.knn().efSearch()).isEqualTo(256);
        assertThat(os.knn().quantization().name()).isEqualTo("SQ");
        assertThat(os.tls().truststore()).isNull();
        assertThat(os.toString()).doesNotContain("secret");
    }

    @Test
    void aNativeEngineWithQuantizationIsRefused() {
        assertThatThrownBy(() -> Settings.from(overridden(Map.of("vectorsync.index.kind", "opensearch",
                "vectorsync.index.opensearch.engine", "faiss", "vectorsync.index.opensearch.quantization", "sq")), Map.of()))
                .hasMessageContaining("quantization");
    }

    @Test
    void bulkheadLimitsAreReadPerWorkloadAndUnsetOnesKeepTheirDefaults() {
        Settings settings = Settings.from(overridden(Map.of(
                "vectorsync.limits.search.threads", "3",
                "vectorsync.limits.search.deadline-ms", "250",
                "vectorsync.limits.write.queue", "7")), Map.of());
        var limits = settings.access().limits();
        var defaults = io.vectorsync.ui.access.LoadLimits.DEFAULTS;
        var search = io.vectorsync.ui.access.AccessPolicy.Workload.SEARCH;
        var write = io.vectorsync.ui.access.AccessPolicy.Workload.WRITE;
        assertThat(limits.of(search)).isEqualTo(new io.vectorsync.ui.access.LoadLimits.Limit(3,
                defaults.of(search).queue(), Duration.ofMillis(250)));
        assertThat(limits.of(write).queue()).isEqualTo(7);
        assertThat(limits.of(write).threads()).isEqualTo(defaults.of(write).threads());
        assertThatThrownBy(() -> Settings.from(overridden(Map.of("vectorsync.limits.read.threads", "0")), Map.of()))
                .hasMessageContaining("vectorsync.limits.read");
    }

    @Test
    void keysSpelledAsInTheFileGiveWhatTheFileGives() {
        Map<String, String> keys = new LinkedHashMap<>();
        bundled().traverse().filter(Config::isLeaf).forEach(node -> keys.put(node.key().toString(), node.asString().get()));
        assertThat(keys).containsEntry("vectorsync.spaces.0.name", "default").containsEntry("server.port", "8080");

        assertThat(Settings.of(keys).withServer(null)).isEqualTo(Settings.from(bundled(), Map.of()).withServer(null));
        assertThat(Settings.of(keys).server().get("port").asInt().get()).isEqualTo(8080);
    }

    @Test
    void aListIsSpelledWithItsIndexesWhichGiveItsOrder() {
        SettingsKeys keys = new SettingsKeys().put("vectorsync.spaces.1.name", "second")
                .put("vectorsync.spaces.1.dimension", 8)
                .put("vectorsync.spaces.0.name", "first")
                .put("vectorsync.spaces.0.dimension", 4);
        for (int i = 2; i < 12; i++) {
            keys.clientSpace("space-" + i, i);
        }
        Settings settings = keys.settings();
        assertThat(settings.spaces()).extracting(EmbeddingSpace::name).containsExactly("first", "second", "space-2",
                "space-3", "space-4", "space-5", "space-6", "space-7", "space-8", "space-9", "space-10", "space-11");
        assertThat(settings.spaces()).extracting(EmbeddingSpace::dimension).startsWith(4, 8, 2).endsWith(11);
        assertThat(settings.defaultSpace()).isEqualTo("first");

        assertThatThrownBy(() -> Settings.of(Map.of("vectorsync.spaces.0.name", "a", "vectorsync.spaces.0.dimension", "4",
                "vectorsync.spaces.2.name", "b", "vectorsync.spaces.2.dimension", "4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vectorsync.spaces").hasMessageContaining("without a gap").hasMessageContaining("[0, 2]");
        assertThatThrownBy(() -> Settings.of(Map.of("vectorsync.spaces.0.name", "a", "vectorsync.spaces.0.dimension", "4",
                "vectorsync.index", "lucene", "vectorsync.index.kind", "lucene")))
                .hasMessageContaining("vectorsync.index has a value and keys below it");
        assertThatThrownBy(() -> Settings.of(Map.of("vectorsync..kind", "lucene")))
                .hasMessageContaining("'vectorsync..kind' is not a configuration key");
    }

    @Test
    void keysTakeTheDefaultsOfTheConfigurationNotOfTheFileNorTheEnvironment() {
        Settings settings = Settings.of(Map.of("vectorsync.spaces.0.name", "only", "vectorsync.spaces.0.dimension", "4"));
        assertThat(settings.spaces()).singleElement().isEqualTo(new EmbeddingSpace("only", EmbeddingSpace.CLIENT_MODEL, 4,
                "cosine", new ChunkerSettings("recursive", 200, 20)));
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(settings.cache()).as("on unless vectorsync.cache.enabled is false").isEqualTo(HotCacheSettings.embedded());
        assertThat(settings.batchSize()).isEqualTo(200);
        assertThat(settings.store()).isEqualTo(StoreSettings.EMBEDDED);
        assertThat(settings.axonServer()).isEqualTo(AxonServerSettings.DISABLED);
        assertThatThrownBy(() -> Settings.of(Map.of())).hasMessageContaining("vectorsync.spaces");
    }

    /** What the tests ran with when they built settings positionally, now from {@link TestApp#keys}. */
    @Test
    void theTestKeysGiveWhatTheTestsAlwaysRanWith(@TempDir Path dir) {
        Settings settings = TestApp.settings(dir);
        assertThat(settings.host()).isEqualTo("localhost");
        assertThat(settings.port()).isZero();
        assertThat(settings.dataDir()).isEqualTo(dir);
        assertThat(settings.nodeId()).isEqualTo("test-node");
        assertThat(settings.maxRequestBytes()).isEqualTo(256 * 1024);
        assertThat(settings.defaultSpace()).isEqualTo("default");
        assertThat(settings.spaces()).containsExactly(
                new EmbeddingSpace("default", "all-minilm-l6-v2", 384, "cosine", new ChunkerSettings("recursive", 64, 8)),
                new EmbeddingSpace("tiny", EmbeddingSpace.CLIENT_MODEL, TestApp.TINY_DIMENSION, "cosine",
                        new ChunkerSettings("recursive", 64, 8)));
        assertThat(settings.indexKind()).isEqualTo("lucene");
        assertThat(settings.hnswM()).isEqualTo(16);
        assertThat(settings.hnswEfConstruction()).isEqualTo(100);
        assertThat(settings.hnswEfSearch()).isEqualTo(HnswSettings.DEFAULT_EF_SEARCH);
        assertThat(settings.opensearch()).isNull();
        assertThat(settings.segments()).isEqualTo(2);
        assertThat(settings.batchSize()).isEqualTo(100);
        assertThat(settings.cache()).isNull();
        assertThat(settings.consistencyWait()).isEqualTo(Settings.DEFAULT_CONSISTENCY_WAIT);
        assertThat(settings.access()).isEqualTo(AccessSettings.DEFAULTS);
        assertThat(settings.store()).isEqualTo(StoreSettings.EMBEDDED);
        assertThat(settings.axonServer()).isEqualTo(AxonServerSettings.DISABLED);
        assertThat(settings.maxBatchBytes()).isEqualTo(Settings.DEFAULT_MAX_BATCH_BYTES);

        assertThat(TestApp.keys(dir).cache(true).settings().cache()).isEqualTo(HotCacheSettings.embedded());
        assertThat(TestApp.keys(dir).adminKey("k".repeat(32)).settings().access())
                .isEqualTo(AccessSettings.DEFAULTS.withAdminKey("k".repeat(32)));
        StoreSettings postgres = new StoreSettings("jdbc:postgresql://localhost:5432/db", "u", "p", 8);
        assertThat(TestApp.keys(dir).store(postgres).settings().store()).isEqualTo(postgres);
        assertThat(TestApp.keys(dir).axonServer("axon:8124", "vectors", null).settings().axonServer())
                .isEqualTo(AxonServerSettings.at("axon:8124", "vectors", null));
        Settings opensearch = TestApp.keys(dir).opensearch("http://127.0.0.1:9200", "test-p", 1, 0).settings();
        assertThat(opensearch.indexKind()).isEqualTo("opensearch");
        assertThat(opensearch.opensearch()).isEqualTo(OpenSearchSettings.defaults(List.of(URI.create("http://127.0.0.1:9200")))
                .withIndexPrefix("test-p").withShards(1, 0));
    }

    private static Config overridden(Map<String, String> values) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(values), ConfigSources.classpath("application.yaml"))
                .build();
    }

    /** The master key (issue 21): from configuration, or the environment's own names; never printed. */
    @Test
    void theMasterKeyComesFromConfigurationOrTheEnvironmentAndIsNeverPrinted() {
        assertThat(Settings.from(bundled(), Map.of()).keys()).isEqualTo(KeySettings.GENERATED);
        Settings configured = Settings.from(overridden(Map.of("vectorsync.security.master-key", "c2VjcmV0")), Map.of());
        assertThat(configured.keys().masterKey()).isEqualTo("c2VjcmV0");
        assertThat(configured.keys().toString()).doesNotContain("c2VjcmV0");
        Settings fromEnvironment = Settings.from(bundled(), Map.of("VECTORSYNC_SECURITY_MASTER_KEY", "ZW52",
                "VECTORSYNC_SECURITY_MASTER_KEY_FILE", "/run/secrets/master"));
        assertThat(fromEnvironment.keys().masterKey()).isEqualTo("ZW52");
        assertThat(fromEnvironment.keys().masterKeyFile()).isEqualTo(java.nio.file.Path.of("/run/secrets/master"));
        assertThat(fromEnvironment.keys().sealContent()).isTrue();
    }
}
