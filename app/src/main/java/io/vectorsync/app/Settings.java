package io.vectorsync.app;

import io.helidon.config.Config;
import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.domain.ChunkerSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Everything Vectorsync reads from configuration, validated once at startup. */
public record Settings(
        String host,
        int port,
        Path dataDir,
        String nodeId,
        long maxRequestBytes,
        String defaultSpace,
        List<EmbeddingSpace> spaces,
        String indexKind,
        int hnswM,
        int hnswEfConstruction,
        int segments,
        int batchSize) {

    public static Settings from(Config config) {
        return from(config, System.getenv());
    }

    static Settings from(Config config, Map<String, String> env) {
        Config vs = config.get("vectorsync");
        int port = env.containsKey("SERVER_PORT")
                ? Integer.parseInt(env.get("SERVER_PORT"))
                : config.get("server.port").asInt().orElse(8080);
        String dataDir = env.getOrDefault("VECTORSYNC_DATA_DIR", vs.get("data-dir").asString().orElse("data"));
        List<EmbeddingSpace> spaces = new ArrayList<>();
        for (Config space : vs.get("spaces").asNodeList().orElse(List.of())) {
            String name = space.get("name").asString().get();
            spaces.add(new EmbeddingSpace(
                    name,
                    space.get("model").asString().orElse(EmbeddingSpace.CLIENT_MODEL),
                    space.get("dimension").asInt().get(),
                    space.get("metric").asString().orElse("cosine").toLowerCase(Locale.ROOT),
                    new ChunkerSettings("recursive",
                            space.get("chunk-max-tokens").asInt().orElse(200),
                            space.get("chunk-overlap-tokens").asInt().orElse(20))));
        }
        if (spaces.isEmpty()) {
            throw new IllegalArgumentException("vectorsync.spaces: configure at least one embedding space");
        }
        String indexKind = vs.get("index.kind").asString().orElse("lucene");
        if (!indexKind.equals("lucene")) {
            throw new IllegalArgumentException("vectorsync.index.kind: only 'lucene' is available in this version, not '"
                    + indexKind + "'");
        }
        return new Settings(
                config.get("server.host").asString().orElse("0.0.0.0"),
                port,
                Path.of(dataDir).toAbsolutePath().normalize(),
                vs.get("node-id").asString().orElseGet(Settings::hostName),
                vs.get("max-request-bytes").asLong().orElse(8L * 1024 * 1024),
                vs.get("default-space").asString().orElse(spaces.getFirst().name()),
                List.copyOf(spaces),
                indexKind,
                vs.get("index.hnsw-m").asInt().orElse(16),
                vs.get("index.hnsw-ef-construction").asInt().orElse(100),
                vs.get("processors.segments").asInt().orElse(2),
                vs.get("processors.batch-size").asInt().orElse(200));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "vectorsync";
        }
    }
}
