package io.vectorsync.app;

import io.vectorsync.store.StoreSettings;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration keys for a test, spelled as in {@code application.yaml} and the README, built up fluently and read by
 * {@link Settings#of(Map)} exactly as production reads its configuration. Unset keys take {@code Settings.from}'s
 * defaults (the hot-vector cache is on by default: a test without it says {@code cache(false)}). The named methods
 * only write keys; {@link #put} writes any other.
 */
public final class SettingsKeys {

    private static final String SPACES = "vectorsync.spaces.";

    private final Map<String, String> keys = new LinkedHashMap<>();

    /** Any key, e.g. {@code put("vectorsync.limits.search.threads", 1)}. */
    public SettingsKeys put(String key, Object value) {
        keys.put(key, String.valueOf(value));
        return this;
    }

    /** Unsets a key: it takes its default. */
    public SettingsKeys remove(String key) {
        keys.remove(key);
        return this;
    }

    /** {@code vectorsync.data-dir}. */
    public SettingsKeys dataDir(Path dataDir) {
        return put("vectorsync.data-dir", dataDir);
    }

    /** One more element of {@code vectorsync.spaces}, after those already given. */
    public SettingsKeys space(String name, String model, int dimension, String metric, int chunkMaxTokens,
                              int chunkOverlapTokens) {
        String space = SPACES + spaces() + ".";
        return put(space + "name", name).put(space + "model", model).put(space + "dimension", dimension)
                .put(space + "metric", metric).put(space + "chunk-max-tokens", chunkMaxTokens)
                .put(space + "chunk-overlap-tokens", chunkOverlapTokens);
    }

    /** A space for client-supplied vectors only (model {@code client}, cosine). */
    public SettingsKeys clientSpace(String name, int dimension) {
        String space = SPACES + spaces() + ".";
        return put(space + "name", name).put(space + "model", "client").put(space + "dimension", dimension)
                .put(space + "metric", "cosine");
    }

    /** {@code vectorsync.index.kind=lucene}: the embedded index under the data directory. */
    public SettingsKeys lucene() {
        return put("vectorsync.index.kind", "lucene");
    }

    /** {@code vectorsync.index.kind=opensearch} at these endpoints (comma-separated), with these index settings. */
    public SettingsKeys opensearch(String endpoints, String indexPrefix, int shards, int replicas) {
        return put("vectorsync.index.kind", "opensearch")
                .put("vectorsync.index.opensearch.endpoints", endpoints)
                .put("vectorsync.index.opensearch.index-prefix", indexPrefix)
                .put("vectorsync.index.opensearch.shards", shards)
                .put("vectorsync.index.opensearch.replicas", replicas);
    }

    /** {@code vectorsync.cache.enabled}: the hot-vector cache (an embedded member by default). */
    public SettingsKeys cache(boolean enabled) {
        return put("vectorsync.cache.enabled", enabled);
    }

    /** {@code vectorsync.security.admin.key}. */
    public SettingsKeys adminKey(String key) {
        return put("vectorsync.security.admin.key", key);
    }

    /** {@code vectorsync.store.url}, {@code .user}, {@code .password} and {@code .pool-size} of this store. */
    public SettingsKeys store(StoreSettings store) {
        put("vectorsync.store.url", store.url() == null ? "" : store.url());
        if (store.user() != null) {
            put("vectorsync.store.user", store.user());
        }
        if (store.password() != null) {
            put("vectorsync.store.password", store.password());
        }
        return put("vectorsync.store.pool-size", store.poolSize());
    }

    /** {@code vectorsync.axonserver.*}: on, at these servers, in this context, with this token (null: none). */
    public SettingsKeys axonServer(String servers, String context, String token) {
        put("vectorsync.axonserver.enabled", true).put("vectorsync.axonserver.servers", servers)
                .put("vectorsync.axonserver.context", context);
        return token == null ? remove("vectorsync.axonserver.token") : put("vectorsync.axonserver.token", token);
    }

    public Map<String, String> map() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    /** {@link Settings#of} these keys. */
    public Settings settings() {
        return Settings.of(keys);
    }

    @Override
    public String toString() {
        return keys.toString();
    }

    private int spaces() {
        return (int) keys.keySet().stream().filter(key -> key.startsWith(SPACES) && key.endsWith(".name")).count();
    }
}
