package io.vectorsync.store;

/** What differs between the two databases the store runs on. */
public enum Dialect {
    H2("VARBINARY(1000000000)"),
    POSTGRESQL("BYTEA");

    private final String binaryType;

    Dialect(String binaryType) {
        this.binaryType = binaryType;
    }

    /** The column type of payloads: stored inline, never as large objects. */
    String binaryType() {
        return binaryType;
    }

    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("vectorsync.store.url: '" + jdbcUrl.replaceAll("password=[^&;]*", "password=…")
                + "' is neither an H2 (jdbc:h2:) nor a PostgreSQL (jdbc:postgresql:) URL");
    }
}
