package io.vectorsync.ui.admin;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.vectorsync.json.Json;
import io.vectorsync.store.ClusterMembership;
import io.vectorsync.store.ClusterNodes;
import io.vectorsync.store.EventStoreDatabase;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /v1/admin/cluster}: the nodes working on this store — id, roles, address, when they started and last
 * beat, whether they are live — and the segments each claims per processor, from the token store.
 */
public final class ClusterAdmin implements HttpService {

    private final EventStoreDatabase database;
    private final Clock clock;

    public ClusterAdmin(EventStoreDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/cluster", (req, res) -> {
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
            res.send(summary().toString());
        });
    }

    public JsonObject summary() {
        Instant now = clock.instant();
        List<ClusterNodes.Node> nodes = database.clusterNodes().all();
        List<ClusterNodes.Node> live = ClusterMembership.live(nodes, now);
        Map<String, Map<Integer, String>> owners = database.segmentOwners();
        JsonArrayBuilder rows = Json.createArrayBuilder();
        for (ClusterNodes.Node node : nodes) {
            JsonObjectBuilder segments = Json.createObjectBuilder();
            owners.forEach((processor, claims) -> {
                JsonArrayBuilder mine = Json.createArrayBuilder();
                claims.forEach((segment, owner) -> {
                    if (Objects.equals(owner, node.id())) {
                        mine.add(segment);
                    }
                });
                segments.add(processor, mine);
            });
            rows.add(Json.createObjectBuilder()
                    .add("id", node.id())
                    .add("roles", node.roles())
                    .add("address", node.address() == null ? "" : node.address())
                    .add("startedAt", node.startedAt().toString())
                    .add("heartbeatAt", node.heartbeatAt().toString())
                    .add("live", live.contains(node))
                    .add("segments", segments));
        }
        JsonObjectBuilder unclaimed = Json.createObjectBuilder();
        owners.forEach((processor, claims) -> unclaimed.add(processor, Json.createArrayBuilder(
                claims.entrySet().stream().filter(claim -> claim.getValue() == null).map(Map.Entry::getKey).toList())));
        return Json.createObjectBuilder().add("nodes", rows).add("unclaimed", unclaimed).build();
    }
}
