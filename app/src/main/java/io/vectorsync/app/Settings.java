package io.vectorsync.app;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigNode;
import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.projections.hotcache.HotCacheSettings;
import io.vectorsync.projections.index.lucene.HnswSettings;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings;
import io.vectorsync.store.StoreSettings;
import io.vectorsync.ui.access.AccessPolicy;
import io.vectorsync.ui.access.AccessSettings;
import io.vectorsync.ui.access.LoadLimits;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything Vectorsync reads from configuration, validated once at startup. {@code host} is null when none is
 * configured: the server then binds loopback while it has no API key, and every address once it has one.
 * {@code server} is the whole {@code server} node (TLS, timeouts, limits) for Helidon. Built from configuration
 * ({@link #from(Config)}), or from keys spelled as in it ({@link #of(Map)}): how tests and benchmarks build them.
 */
public record Settings(
        String host,
        int port,
        Path dataDir,
        NodeSettings node,
        long maxRequestBytes,
        String defaultSpace,
        List<EmbeddingSpace> spaces,
        String indexKind,
        int hnswM,
        int hnswEfConstruction,
        int hnswEfSearch,
        OpenSearchSettings opensearch,
        int segments,
        int batchSize,
        HotCacheSettings cache,
        Duration consistencyWait,
        AccessSettings access,
        Config server,
        StoreSettings store,
        AxonServerSettings axonServer,
        long maxBatchBytes,
        KeySettings keys) {

    /** The largest NDJSON batch body by default: Elasticsearch's {@code http.max_content_length}. */
    public static final long DEFAULT_MAX_BATCH_BYTES = 100L * 1024 * 1024;

    /** How long a read waits for its {@code consistentWith} position by default. */
    public static final Duration DEFAULT_CONSISTENCY_WAIT = Duration.ofSeconds(2);

    public Settings {
        if (consistencyWait == null || consistencyWait.isNegative()) {
            throw new IllegalArgumentException("consistency wait must be zero or more, got " + consistencyWait);
        }
        if (access == null) {
            access = AccessSettings.DEFAULTS;
        }
        if (store == null) {
            store = StoreSettings.EMBEDDED;
        }
        if (axonServer == null) {
            axonServer = AxonServerSettings.DISABLED;
        }
        if (keys == null) {
            keys = KeySettings.GENERATED;
        }
        if (maxBatchBytes <= 0) {
            maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
        }
        if (!node.roles().all()) {
            // a process with some of the roles works with the others through what they share
            if (store.url() == null && !axonServer.enabled()) {
                throw new IllegalArgumentException("vectorsync.node.roles: " + node.roles() + " needs a store the other "
                        + "nodes share (vectorsync.store.url, PostgreSQL, or Axon Server); the embedded store is this "
                        + "process's own");
            }
            if (!indexKind.equals("opensearch")) {
                throw new IllegalArgumentException("vectorsync.node.roles: " + node.roles() + " needs an index the "
                        + "other nodes share (vectorsync.index.kind: opensearch); the embedded Lucene index is this "
                        + "process's own");
            }
        }
        if (maxBatchBytes < maxRequestBytes) {
            throw new IllegalArgumentException("vectorsync.max-batch-bytes (" + maxBatchBytes + ") must be at least "
                    + "vectorsync.max-request-bytes (" + maxRequestBytes + "), the longest line of a batch");
        }
    }

    /** This node's id in the token store and the cluster. */
    public String nodeId() {
        return node.id();
    }

    /** The same settings with Helidon's {@code server} configuration node (TLS and the rest). */
    public Settings withServer(Config server) {
        return new Settings(host, port, dataDir, node, maxRequestBytes, defaultSpace, spaces, indexKind, hnswM,
                hnswEfConstruction, hnswEfSearch, opensearch, segments, batchSize, cache, consistencyWait, access, server, store,
                axonServer, maxBatchBytes, keys);
    }

    /**
     * The same settings with other OpenSearch client settings: for what configuration does not set (the client's
     * timeouts and retries), on settings whose {@code vectorsync.index.opensearch} keys set the rest.
     */
    public Settings withOpenSearch(OpenSearchSettings opensearch) {
        return new Settings(host, port, dataDir, node, maxRequestBytes, defaultSpace, spaces, indexKind, hnswM,
                hnswEfConstruction, hnswEfSearch, opensearch, segments, batchSize, cache, consistencyWait, access, server, store,
                axonServer, maxBatchBytes, keys);
    }

    /** The same settings with other key settings (a benchmark's unsealed baseline). */
    public Settings withKeys(KeySettings keys) {
        return new Settings(host, port, dataDir, node, maxRequestBytes, defaultSpace, spaces, indexKind, hnswM,
                hnswEfConstruction, hnswEfSearch, opensearch, segments, batchSize, cache, consistencyWait, access, server, store,
                axonServer, maxBatchBytes, keys);
    }

    public static Settings from(Config config) {
        return from(config, System.getenv());
    }

    /**
     * Settings from configuration keys spelled as in {@code application.yaml} and the README
     * ({@code "vectorsync.index.kind" -> "opensearch"}), read as {@link #from(Config)} reads the configuration, but
     * with nothing else underneath: neither the bundled file nor the environment, so an unset key takes
     * {@code from}'s default. An element of a list is spelled with its index ({@code vectorsync.spaces.0.name},
     * {@code vectorsync.spaces.1.name}, ...); a list's indexes run 0, 1, 2, ... and give its order. Tests and
     * benchmarks start the app with these.
     *
     * @throws IllegalArgumentException when a key is not a configuration key, a key has both a value and keys below
     *                                  it, or a list's indexes leave a gap; and as {@code from} does for bad values
     */
    public static Settings of(Map<String, String> keys) {
        return from(Config.just(ConfigSources.create(object(tree(keys), ""))), Map.of());
    }

    /** The keys as nested maps: a value is a {@code String}, a node with keys below it a {@code Map}. */
    private static Map<String, Object> tree(Map<String, String> keys) {
        Map<String, Object> root = new LinkedHashMap<>();
        keys.forEach((key, value) -> {
            if (value == null) {
                throw new IllegalArgumentException(key + ": no value");
            }
            String[] names = key.split("\\.", -1);
            Map<String, Object> node = root;
            for (int i = 0; i < names.length; i++) {
                if (names[i].isBlank()) {
                    throw new IllegalArgumentException("'" + key + "' is not a configuration key");
                }
                String path = String.join(".", Arrays.asList(names).subList(0, i + 1));
                if (i == names.length - 1) {
                    if (node.putIfAbsent(names[i], value) != null) {
                        throw new IllegalArgumentException(path + " has a value and keys below it");
                    }
                } else if (node.computeIfAbsent(names[i], name -> new LinkedHashMap<String, Object>())
                        instanceof Map<?, ?> below) {
                    node = members(below);
                } else {
                    throw new IllegalArgumentException(path + " has a value and keys below it");
                }
            }
        });
        return root;
    }

    private static ConfigNode.ObjectNode object(Map<String, Object> members, String path) {
        ConfigNode.ObjectNode.Builder object = ConfigNode.ObjectNode.builder();
        members.forEach((name, member) -> {
            String key = path.isEmpty() ? name : path + "." + name;
            if (member instanceof Map<?, ?> below) {
                if (isList(members(below))) {
                    object.addList(name, list(members(below), key));
                } else {
                    object.addObject(name, object(members(below), key));
                }
            } else {
                object.addValue(name, (String) member);
            }
        });
        return object.build();
    }

    /** Keys 0, 1, 2, ...: a list in that order; helidon-config reads a flat map's indexes as an object's names. */
    private static ConfigNode.ListNode list(Map<String, Object> elements, String path) {
        ConfigNode.ListNode.Builder list = ConfigNode.ListNode.builder();
        for (int i = 0; i < elements.size(); i++) {
            Object element = elements.get(Integer.toString(i));
            if (element == null) {
                throw new IllegalArgumentException(path + ": the indexes of a list run 0, 1, 2, ... without a gap; got "
                        + elements.keySet().stream()
                                .sorted(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()))
                                .toList());
            }
            if (element instanceof Map<?, ?> below) {
                if (isList(members(below))) {
                    list.addList(list(members(below), path + "." + i));
                } else {
                    list.addObject(object(members(below), path + "." + i));
                }
            } else {
                list.addValue((String) element);
            }
        }
        return list.build();
    }

    private static boolean isList(Map<String, Object> members) {
        return !members.isEmpty()
                && members.keySet().stream().allMatch(name -> name.chars().allMatch(c -> c >= '0' && c <= '9'));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> members(Map<?, ?> node) {
        return (Map<String, Object>) node;
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
        int hnswM = vs.get("index.hnsw-m").asInt().orElse(16);
        int hnswEfConstruction = vs.get("index.hnsw-ef-construction").asInt().orElse(100);
        int efSearch = vs.get("index.ef-search").asInt().orElse(HnswSettings.DEFAULT_EF_SEARCH);
        if (efSearch < 1) {
            throw new IllegalArgumentException("vectorsync.index.ef-search must be at least 1, got " + efSearch);
        }
        OpenSearchSettings opensearch = switch (indexKind) {
            case "lucene" -> null;
            case "opensearch" -> opensearch(vs.get("index.opensearch"), hnswM, hnswEfConstruction, efSearch);
            default -> throw new IllegalArgumentException("vectorsync.index.kind: '" + indexKind
                    + "' is not an index kind; use 'lucene' or 'opensearch'");
        };
        return new Settings(
                config.get("server.host").asString().filter(h -> !h.isBlank()).orElse(null),
                port,
                Path.of(dataDir).toAbsolutePath().normalize(),
                node(vs),
                vs.get("max-request-bytes").asLong().orElse(8L * 1024 * 1024),
                vs.get("default-space").asString().orElse(spaces.getFirst().name()),
                List.copyOf(spaces),
                indexKind,
                hnswM,
                hnswEfConstruction,
                efSearch,
                opensearch,
                vs.get("processors.segments").asInt().orElse(2),
                vs.get("processors.batch-size").asInt().orElse(200),
                cache(vs.get("cache")),
                Duration.ofMillis(vs.get("consistency-wait-ms").asLong().orElse(DEFAULT_CONSISTENCY_WAIT.toMillis())),
                access(vs.get("security"), vs.get("limits"), vs.get("observe")),
                config.get("server"),
                store(vs.get("store"), env),
                axonServer(vs.get("axonserver")),
                vs.get("max-batch-bytes").asLong().orElse(DEFAULT_MAX_BATCH_BYTES),
                keys(vs.get("security"), env));
    }

    /**
     * {@code vectorsync.security.master-key} and {@code master-key-file}; {@code VECTORSYNC_SECURITY_MASTER_KEY} and
     * {@code VECTORSYNC_SECURITY_MASTER_KEY_FILE} are read directly too (Helidon would want {@code _dash_} for the -).
     */
    private static KeySettings keys(Config security, Map<String, String> env) {
        String key = env.getOrDefault("VECTORSYNC_SECURITY_MASTER_KEY",
                security.get("master-key").asString().orElse(null));
        String file = env.getOrDefault("VECTORSYNC_SECURITY_MASTER_KEY_FILE",
                security.get("master-key-file").asString().orElse(null));
        return new KeySettings(key, file == null || file.isBlank() ? null : Path.of(file));
    }

    /** {@code vectorsync.node.*}, and the claim timeout of {@code vectorsync.processors}. */
    private static NodeSettings node(Config vs) {
        // (Helidon's environment aliases give VECTORSYNC_NODE_ID a node-id key too: only the old key alone is refused)
        if (vs.get("node-id").exists() && vs.get("node.id").asString().filter(id -> !id.isBlank()).isEmpty()) {
            throw new IllegalArgumentException("vectorsync.node-id is now vectorsync.node.id (VECTORSYNC_NODE_ID): "
                    + "rename it");
        }
        return new NodeSettings(vs.get("node.id").asString().filter(id -> !id.isBlank()).orElseGet(NodeSettings::defaultId),
                NodeRoles.parse(vs.get("node.roles").asString().orElse("all")),
                Duration.ofMillis(vs.get("processors.claim-timeout-ms").asLong()
                        .orElse(NodeSettings.DEFAULT_CLAIM_TIMEOUT.toMillis())),
                vs.get("node.address").asString().filter(address -> !address.isBlank()).map(address -> {
                    try {
                        return new java.net.URI(address.trim());
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalArgumentException("vectorsync.node.address is not a URL: " + e.getMessage());
                    }
                }));
    }

    private static AxonServerSettings axonServer(Config axonServer) {
        return new AxonServerSettings(axonServer.get("enabled").asBoolean().orElse(false),
                axonServer.get("servers").asString().orElse("localhost:8124"),
                axonServer.get("context").asString().orElse("default"),
                axonServer.get("token").asString().orElse(null));
    }

    /** {@code VECTORSYNC_STORE_URL} is read directly too, so a URL with {@code _} or {@code -} in it survives. */
    private static StoreSettings store(Config store, Map<String, String> env) {
        String url = env.getOrDefault("VECTORSYNC_STORE_URL", store.get("url").asString().orElse(""));
        return new StoreSettings(url.isBlank() ? null : url,
                store.get("user").asString().filter(u -> !u.isBlank()).orElse(null),
                store.get("password").asString().filter(p -> !p.isBlank()).orElse(null),
                store.get("pool-size").asInt().orElse(16));
    }

    private static AccessSettings access(Config security, Config limits, Config observe) {
        return new AccessSettings(security.get("admin.key").asString().orElse(null),
                Duration.ofMinutes(security.get("session-idle-minutes").asLong().orElse(30L)),
                Duration.ofHours(security.get("session-max-hours").asLong().orElse(12L)),
                limits(limits), observe.get("metrics-public").asBoolean().orElse(false));
    }

    /**
     * {@code vectorsync.limits.<search|read|write|admin>.threads|queue|deadline-ms} and
     * {@code vectorsync.limits.write.max-index-lag}; unset ones from the defaults.
     */
    private static LoadLimits limits(Config limits) {
        LoadLimits result = LoadLimits.DEFAULTS;
        for (AccessPolicy.Workload workload : AccessPolicy.Workload.values()) {
            if (workload == AccessPolicy.Workload.NONE) {
                continue;
            }
            String name = workload.name().toLowerCase(Locale.ROOT);
            Config node = limits.get(name);
            LoadLimits.Limit defaults = result.of(workload);
            try {
                result = result.with(workload, new LoadLimits.Limit(
                        node.get("threads").asInt().orElse(defaults.threads()),
                        node.get("queue").asInt().orElse(defaults.queue()),
                        Duration.ofMillis(node.get("deadline-ms").asLong().orElse(defaults.deadline().toMillis()))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("vectorsync.limits." + name + ": " + e.getMessage(), e);
            }
        }
        try {
            result = result.withMaxIndexLag(limits.get("write.max-index-lag").asLong().orElse(result.maxIndexLag()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vectorsync.limits.write.max-index-lag: " + e.getMessage(), e);
        }
        return result;
    }

    /** The hot-vector cache, or null when {@code cache.enabled} is false. */
    private static HotCacheSettings cache(Config cache) {
        if (!cache.get("enabled").asBoolean().orElse(true)) {
            return null;
        }
        String modeName = cache.get("mode").asString().orElse("embedded").trim();
        HotCacheSettings.Mode mode = Arrays.stream(HotCacheSettings.Mode.values())
                .filter(m -> m.name().equalsIgnoreCase(modeName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("vectorsync.cache.mode: '" + modeName
                        + "' is none of embedded (a member holding entries), lite (a lite member: joins the members,"
                        + " holds none) or client"));
        List<String> members = Arrays.stream(cache.get("members").asString().orElse("").split(","))
                .map(String::trim).filter(m -> !m.isEmpty()).toList();
        try {
            return new HotCacheSettings(mode,
                    cache.get("cluster-name").asString().orElse("vectorsync"),
                    members,
                    cache.get("bind-address").asString().orElse("127.0.0.1"),
                    cache.get("port").asInt().orElse(5701),
                    cache.get("max-entries").asInt().orElse(10_000),
                    cache.get("max-memory-mb").asInt().orElse(256));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vectorsync.cache: " + e.getMessage()
                    + " (mode " + modeName + ", vectorsync.cache.members " + members + ")", e);
        }
    }

    private static OpenSearchSettings opensearch(Config os, int hnswM, int hnswEfConstruction, int efSearch) {
        List<URI> endpoints = Arrays.stream(os.get("endpoints").asString().orElse("http://127.0.0.1:9200").split(","))
                .map(String::trim).filter(e -> !e.isEmpty()).map(URI::create).toList();
        OpenSearchSettings.Tls tls = os.get("tls-trust-all").asBoolean().orElse(false)
                ? OpenSearchSettings.Tls.TRUST_ALL
                : new OpenSearchSettings.Tls(false, os.get("truststore").asString().filter(t -> !t.isBlank()).map(Path::of).orElse(null),
                        os.get("truststore-password").asString().filter(t -> !t.isBlank()).orElse(null));
        String engine = os.get("engine").asString().orElse("lucene").toUpperCase(Locale.ROOT);
        String quantization = os.get("quantization").asString().orElse("none").toUpperCase(Locale.ROOT);
        OpenSearchSettings.KnnMethod knn;
        try {
            knn = new OpenSearchSettings.KnnMethod(OpenSearchSettings.Engine.valueOf(engine), hnswM, hnswEfConstruction,
                    os.get("ef-search").asInt().orElse(efSearch), OpenSearchSettings.Quantization.valueOf(quantization));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vectorsync.index.opensearch: engine must be lucene, faiss or nmslib and "
                    + "quantization none or sq (" + e.getMessage() + ")", e);
        }
        OpenSearchSettings settings = OpenSearchSettings.defaults(endpoints)
                .withTls(tls)
                .withIndexPrefix(os.get("index-prefix").asString().orElse("vectorsync"))
                .withShards(os.get("shards").asInt().orElse(1), os.get("replicas").asInt().orElse(1))
                .withKnn(knn)
                .withBulkMaxBytes(os.get("bulk-max-bytes").asLong().orElse(5L * 1024 * 1024));
        long refreshMs = os.get("refresh-interval-ms").asLong().orElse(0L);
        if (refreshMs < 0) {
            throw new IllegalArgumentException("vectorsync.index.opensearch.refresh-interval-ms must be 0 (the cluster's "
                    + "default, one second) or more, got " + refreshMs);
        }
        if (refreshMs > 0) {
            settings = settings.withRefreshInterval(Duration.ofMillis(refreshMs));
        }
        String username = os.get("username").asString().filter(u -> !u.isBlank()).orElse(null);
        return username == null ? settings : settings.withCredentials(username, os.get("password").asString().orElse(""));
    }
}
