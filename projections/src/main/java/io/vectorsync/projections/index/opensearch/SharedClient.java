package io.vectorsync.projections.index.opensearch;

import org.opensearch.client.opensearch.OpenSearchClient;

/**
 * One client for every space a factory opens (one connection pool per cluster, not per space). Each
 * index acquires it when it opens and releases it when it closes; the last release closes it.
 */
final class SharedClient {

    private final OpenSearchSettings settings;
    private OpenSearchClient client;
    private int users;

    SharedClient(OpenSearchSettings settings) {
        this.settings = settings;
    }

    synchronized OpenSearchClient acquire() {
        if (client == null) {
            client = OpenSearchClients.create(settings);
        }
        users++;
        return client;
    }

    synchronized void release() {
        if (users > 0 && --users == 0) {
            OpenSearchClient closing = client;
            client = null;
            OpenSearchClients.close(closing);
        }
    }
}
