package io.vectorsync.projections.index.opensearch;

import org.opensearch.client.opensearch.OpenSearchClient;

/**
 * The ways to one cluster: the OpenSearch client for writes, administration and health, and the
 * {@link SearchTransport} for queries. Opened and closed together.
 */
record Connection(OpenSearchClient client, SearchTransport search) {

    static Connection open(OpenSearchSettings settings) {
        OpenSearchClient client = OpenSearchClients.create(settings);
        try {
            return new Connection(client, new SearchTransport(settings));
        } catch (RuntimeException e) {
            OpenSearchClients.close(client);
            throw e;
        }
    }

    void close() {
        try {
            search.close();
        } finally {
            OpenSearchClients.close(client);
        }
    }
}
