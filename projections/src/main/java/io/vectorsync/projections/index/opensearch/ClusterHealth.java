package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.SpaceSpec;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.HealthStatus;
import org.opensearch.client.opensearch.cluster.HealthResponse;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Options;

import java.io.IOException;
import java.time.Duration;

/**
 * For readiness: whether the cluster answers within a second and the index behind the read alias is not red,
 * and what was found, in a sentence. Never throws.
 */
record ClusterHealth(boolean healthy, String detail) {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);

    static ClusterHealth check(OpenSearchClient client, String readTarget, String physicalIndex, boolean closed,
                               SpaceSpec space, OpenSearchSettings settings) {
        if (closed) {
            return new ClusterHealth(false, "the index of space '" + space.name() + "' is closed");
        }
        ApacheHttpClient5Options quick = ApacheHttpClient5Options.DEFAULT.toBuilder()
                .setRequestConfig(OpenSearchClients.quickRequest(HEALTH_TIMEOUT))
                .build();
        try {
            HealthResponse health = client.withTransportOptions(quick).cluster()
                    .health(h -> h.index(readTarget).timeout(t -> t.time(HEALTH_TIMEOUT.toMillis() + "ms")));
            boolean healthy = !health.timedOut() && health.status() != HealthStatus.Red;
            return new ClusterHealth(healthy, readTarget + " (" + physicalIndex + ") is "
                    + health.status().jsonValue() + (health.timedOut() ? ", timed out" : ""));
        } catch (IOException | RuntimeException e) {
            return new ClusterHealth(false, "OpenSearch at " + settings.endpoints() + " does not answer for "
                    + readTarget + ": " + Failures.describe(e));
        }
    }
}
