package io.vectorsync.store;

/**
 * Where the store lives: {@code url} null for the embedded H2 file under the data directory, else a JDBC URL
 * ({@code jdbc:postgresql://host:5432/db}) with its user, password and connection pool size.
 */
public record StoreSettings(String url, String user, String password, int poolSize) {

    public static final StoreSettings EMBEDDED = new StoreSettings(null, null, null, 16);

    public StoreSettings {
        if (url != null && url.isBlank()) {
            url = null;
        }
        if (url != null) {
            Dialect.of(url); // refuses what it cannot run on, at startup
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("vectorsync.store.pool-size must be at least 2, got " + poolSize);
        }
    }

    public boolean embedded() {
        return url == null;
    }
}
