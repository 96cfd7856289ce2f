package io.vectorsync.ui.admin;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.vectorsync.json.Responses;
import io.vectorsync.projections.hotcache.HotVectorCache;
import jakarta.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/admin/cache}: whether the hot-vector cache is on, its mode and members, and per space its size,
 * hit ratio, evictions and failures — what the console's cache panel shows (also through the live stream).
 */
public final class CacheAdmin implements HttpService {

    /** The response; {@code mode}, {@code members} and {@code spaces} only when the cache is on. */
    public record Cache(boolean enabled, String mode, List<String> members, Map<String, HotVectorCache.Stats> spaces) {
    }

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
            res.send(Responses.json(state()));
        });
    }

    public Cache state() {
        if (cache.isEmpty()) {
            return new Cache(false, null, null, null);
        }
        Map<String, HotVectorCache.Stats> perSpace = new LinkedHashMap<>();
        spaces.forEach(space -> perSpace.put(space, cache.get().stats(space)));
        return new Cache(true, cache.get().settings().mode().name().toLowerCase(Locale.ROOT), cache.get().members(),
                perSpace);
    }

    /** The same, for the console's live stream. */
    public JsonObject summary() {
        return Responses.object(state());
    }
}
