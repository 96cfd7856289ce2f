package io.vectorsync.ui.admin;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.vectorsync.json.Responses;
import io.vectorsync.store.ClusterMembership;
import io.vectorsync.store.ClusterNodes;
import io.vectorsync.store.EventStoreDatabase;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /v1/admin/cluster}: the nodes working on this store — id, roles, address, when they started and last
 * beat, whether they are live — and the segments each claims per processor, from the token store. Segments no node
 * claims are {@code unclaimed}; those claimed by an owner the node table does not list are {@code unlisted}, so every
 * segment shows up somewhere. {@code now} is the server's time, against which the console tells how old a heartbeat
 * is whatever the browser's clock says; a node is live when it beat within {@code liveWithinSeconds}.
 */
public final class ClusterAdmin implements HttpService {

    /** The response. */
    public record Cluster(String self, List<Node> nodes, Map<String, List<Integer>> unclaimed, String now,
                          long liveWithinSeconds, Map<String, Map<String, List<Integer>>> unlisted) {
    }

    /** One node, with the segments it claims per processor. */
    public record Node(String id, String roles, String address, String startedAt, String heartbeatAt, boolean live,
                       Map<String, List<Integer>> segments) {
    }

    private final EventStoreDatabase database;
    private final Clock clock;
    private final String self;

    /** @param self the id of the node that answers ({@code self} in the response) */
    public ClusterAdmin(EventStoreDatabase database, Clock clock, String self) {
        this.database = database;
        this.clock = clock;
        this.self = self;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/cluster", (req, res) -> {
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
            res.send(Responses.json(cluster()));
        });
    }

    public Cluster cluster() {
        Instant now = clock.instant();
        List<ClusterNodes.Node> recorded = database.clusterNodes().all();
        List<ClusterNodes.Node> live = ClusterMembership.live(recorded, now);
        Map<String, Map<Integer, String>> owners = database.segmentOwners();
        List<Node> nodes = new ArrayList<>();
        for (ClusterNodes.Node node : recorded) {
            nodes.add(new Node(node.id(), node.roles(), node.address() == null ? "" : node.address(),
                    node.startedAt().toString(), node.heartbeatAt().toString(), live.contains(node),
                    claimedBy(owners, node.id())));
        }
        Set<String> listed = new HashSet<>();
        recorded.forEach(node -> listed.add(node.id()));
        Map<String, Map<String, List<Integer>>> unlisted = new TreeMap<>();
        owners.values().forEach(claims -> claims.values().stream()
                .filter(owner -> owner != null && !listed.contains(owner))
                .forEach(owner -> unlisted.computeIfAbsent(owner, o -> withClaims(claimedBy(owners, o)))));
        return new Cluster(self, nodes, claimedBy(owners, null), now.toString(),
                ClusterMembership.LIVE_WITHIN.toSeconds(), unlisted);
    }

    /** Only the processors with segments in {@code claimed}. */
    private static Map<String, List<Integer>> withClaims(Map<String, List<Integer>> claimed) {
        Map<String, List<Integer>> some = new TreeMap<>(claimed);
        some.values().removeIf(List::isEmpty);
        return some;
    }

    /** Per processor, the segments {@code owner} claims (null: the unclaimed ones). */
    private static Map<String, List<Integer>> claimedBy(Map<String, Map<Integer, String>> owners, String owner) {
        Map<String, List<Integer>> claimed = new TreeMap<>();
        owners.forEach((processor, claims) -> claimed.put(processor, claims.entrySet().stream()
                .filter(claim -> Objects.equals(claim.getValue(), owner)).map(Map.Entry::getKey).toList()));
        return claimed;
    }
}
