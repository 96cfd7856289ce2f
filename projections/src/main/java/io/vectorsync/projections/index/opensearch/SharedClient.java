package io.vectorsync.projections.index.opensearch;

/**
 * One {@link Connection} for every space a factory opens (one set of connection pools per cluster, not
 * per space). Each index acquires it when it opens and releases it when it closes; the last release
 * closes it.
 */
final class SharedClient {

    private final OpenSearchSettings settings;
    private Connection connection;
    private int users;

    SharedClient(OpenSearchSettings settings) {
        this.settings = settings;
    }

    synchronized Connection acquire() {
        if (connection == null) {
            connection = Connection.open(settings);
        }
        users++;
        return connection;
    }

    synchronized void release() {
        if (users > 0 && --users == 0) {
            Connection closing = connection;
            connection = null;
            closing.close();
        }
    }
}
