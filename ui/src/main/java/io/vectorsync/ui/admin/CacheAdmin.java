package io.vectorsync.ui.admin;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.vectorsync.json.Json;
import io.vectorsync.projections.hotcache.HotVectorCache;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /v1/admin/cache}: whether the hot-vector cache is on, its mode and members, and per space its size,
 * hit ratio, evictions and failures — what the console's cache panel shows (also through the live stream).
 */
public final class CacheAdmin implements HttpService {

    private final Optional<HotVectorCache> cache;
    private final List<String> spaces;

    /** @param cache empty when the cache is off */
    public CacheAdmin(Optional<HotVectorCache> cache, List<String> spaces) {
        this.cache = cache;
        this.spaces = List.copyOf(spaces);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/cache", (req, res) -> {
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
            res.send(summary().toString());
        });
    }

    public JsonObject summary() {
        JsonObjectBuilder body = Json.createObjectBuilder().add("enabled", cache.isPresent());
        if (cache.isEmpty()) {
            return body.build();
        }
        JsonObjectBuilder perSpace = Json.createObjectBuilder();
        for (String space : spaces) {
            HotVectorCache.Stats stats = cache.get().stats(space);
            perSpace.add(space, Json.createObjectBuilder()
                    .add("entries", stats.entries())
                    .add("maxEntries", stats.maxEntries())
                    .add("memoryBytes", stats.memoryBytes())
                    .add("maxMemoryBytes", stats.maxMemoryBytes())
                    .add("hits", stats.hits())
                    .add("misses", stats.misses())
                    .add("hitRatio", stats.hitRatio())
                    .add("written", stats.written())
                    .add("stale", stats.stale())
                    .add("evicted", stats.evicted())
                    .add("refusedForMemory", stats.refusedForMemory())
                    .add("madeSearchable", stats.madeSearchable())
                    .add("failedWrites", stats.failedWrites()));
        }
        return body.add("mode", cache.get().settings().mode().name().toLowerCase(Locale.ROOT))
                .add("members", Json.createArrayBuilder(cache.get().members()))
                .add("spaces", perSpace)
                .build();
    }
}
