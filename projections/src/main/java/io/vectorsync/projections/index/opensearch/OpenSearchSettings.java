package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.SpaceSpec;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How to reach an OpenSearch cluster and how to lay out the vector indexes in it. Start from
 * {@link #defaults(List)} and change what differs with the {@code with...} methods.
 *
 * @param endpoints    base URLs of the nodes ({@code http://} or {@code https://})
 * @param username     basic-auth user, or null for none
 * @param password     basic-auth password, or null
 * @param tls          how to trust the cluster's certificate
 * @param indexPrefix  first part of every index and alias name ({@code <prefix>-<space>})
 * @param shards       primary shards of a new index
 * @param replicas     replicas of a new index (0 on a single-node cluster, or it stays yellow)
 * @param knn          the HNSW method of the vector field
 * @param bulkMaxBytes a bulk request is split before it grows beyond this many bytes
 * @param connectTimeout  time to open a connection
 * @param socketTimeout   time to wait for a response (and between its bytes)
 * @param retry        how writes retry transient failures
 * @param refreshInterval how often a new index makes writes searchable ({@code index.refresh_interval}),
 *                     or null for the cluster's default (one second); the hot-vector cache covers the gap
 */
public record OpenSearchSettings(
        List<URI> endpoints,
        String username,
        String password,
        Tls tls,
        String indexPrefix,
        int shards,
        int replicas,
        KnnMethod knn,
        long bulkMaxBytes,
        Duration connectTimeout,
        Duration socketTimeout,
        Retry retry,
        Duration refreshInterval) {

    /** Index names must be lower case; the prefix may not start with characters OpenSearch reserves. */
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    public OpenSearchSettings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one OpenSearch endpoint is required");
        }
        for (URI endpoint : endpoints) {
            if (endpoint.getHost() == null || !("http".equals(endpoint.getScheme())
                    || "https".equals(endpoint.getScheme()))) {
                throw new IllegalArgumentException("OpenSearch endpoint '" + endpoint
                        + "' must be an http:// or https:// URL with a host");
            }
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("OpenSearch username and password go together");
        }
        if (tls == null) {
            throw new IllegalArgumentException("tls settings are required (Tls.SYSTEM for the JDK's trust store)");
        }
        if (indexPrefix == null || !PREFIX.matcher(indexPrefix).matches()) {
            throw new IllegalArgumentException("index prefix '" + indexPrefix
                    + "' must be lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (shards < 1 || replicas < 0) {
            throw new IllegalArgumentException("shards must be at least 1 and replicas at least 0, got "
                    + shards + " and " + replicas);
        }
        if (knn == null || retry == null) {
            throw new IllegalArgumentException("knn and retry settings are required");
        }
        if (bulkMaxBytes < 1) {
            throw new IllegalArgumentException("bulkMaxBytes must be positive, got " + bulkMaxBytes);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(socketTimeout, "socketTimeout");
        if (refreshInterval != null) {
            requirePositive(refreshInterval, "refreshInterval");
            if (refreshInterval.toNanosPart() % 1_000_000 != 0) {
                throw new IllegalArgumentException("refreshInterval is set in whole milliseconds, got " + refreshInterval);
            }
        }
    }

    /**
     * One primary, one replica, Lucene HNSW (m 16, ef_construction 100, ef_search 100, no quantization),
     * 5 MB bulks, 2 s to connect, 10 s to answer, 5 write attempts backing off from 200 ms to 5 s.
     */
    public static OpenSearchSettings defaults(List<URI> endpoints) {
        return new OpenSearchSettings(endpoints, null, null, Tls.SYSTEM, "vectorsync", 1, 1, KnnMethod.DEFAULT,
                5L * 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(10), Retry.DEFAULT, null);
    }

    public OpenSearchSettings withEndpoints(List<URI> endpoints) {
        return new OpenSearchSettings(endpoints, username, password, tls, indexPrefix, shards, replicas, knn,
                bulkMaxBytes, connectTimeout, socketTimeout, retry, refreshInterval);
    }

    public OpenSearchSettings withCredentials(String username, String password) {
        return new OpenSearchSettings(endpoints, username, password, tls, indexPrefix, shards, replicas, knn,
                bulkMaxBytes, connectTimeout, socketTimeout, retry, refreshInterval);
    }

    public OpenSearchSettings withTls(Tls tls) {
        return new OpenSearchSettings(endpoints, username, password, tls, indexPrefix, shards, replicas, knn,
                bulkMaxBytes, connectTimeout, socketTimeout, retry, refreshInterval);
    }

    public OpenSearchSettings withIndexPrefix(String indexPrefix) {
        return new OpenSearchSettings(endpoints, username, password, tls, indexPrefix, shards, replicas, knn,
                bulkMaxBytes, connectTimeout, socketTimeout, retry, refreshInterval);
    }

    public OpenSearchSettings withShards(int shards, int replicas) {
        return new OpenSearchSettings(endpoints, username, password, tls, indexPrefix, shards, replicas, knn,
                bulkMaxBytes, connectTimeout, socketTimeout, retry, refreshInterval);
    }

    public OpenSearchSettings withKnn(KnnMethod knn) {
        return new OpenSearchSettings(endpoints, username, password, tls, indexPrefix, shards, replicas, knn,
                bulkMaxBytes, connectTimeout, socketTimeout, retry, refreshInterval);
    }

    public OpenSearchSettings withBulkMaxBytes(long bulkMaxBytes) {
        return new OpenSearchSettings(endpoints, username, password, tls, indexPrefix, shards, replicas, knn,
                bulkMaxBytes, connectTimeout, socketTimeout, retry, refreshInterval);
    }

    public OpenSearchSettings withTimeouts(Duration connectTimeout, Duration socketTimeout) {
        return new OpenSearchSettings(endpoints, username, password, tls, indexPrefix, shards, replicas, knn,
                bulkMaxBytes, connectTimeout, socketTimeout, retry, refreshInterval);
    }

    public OpenSearchSettings withRetry(Retry retry) {
        return new OpenSearchSettings(endpoints, username, password, tls, indexPrefix, shards, replicas, knn,
                bulkMaxBytes, connectTimeout, socketTimeout, retry, refreshInterval);
    }

    public OpenSearchSettings withRefreshInterval(Duration refreshInterval) {
        return new OpenSearchSettings(endpoints, username, password, tls, indexPrefix, shards, replicas, knn,
                bulkMaxBytes, connectTimeout, socketTimeout, retry, refreshInterval);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "OpenSearchSettings[endpoints=" + endpoints + ", username=" + username
                + ", password=" + (password == null ? null : "***") + ", tls=" + tls + ", indexPrefix=" + indexPrefix
                + ", shards=" + shards + ", replicas=" + replicas + ", knn=" + knn + ", bulkMaxBytes=" + bulkMaxBytes
                + ", connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout + ", retry=" + retry
                + ", refreshInterval=" + refreshInterval + "]";
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }

    /**
     * Which certificates to trust over https.
     *
     * @param trustAll           trust any certificate and host name: development clusters with
     *                           self-signed certificates only
     * @param truststore         a PKCS12 or JKS file holding the cluster's CA, or null for the JDK's
     * @param truststorePassword its password, or null
     */
    public record Tls(
            boolean trustAll,
            Path truststore,
            String truststorePassword) {

        public static final Tls SYSTEM = new Tls(false, null, null);
        public static final Tls TRUST_ALL = new Tls(true, null, null);

        public Tls {
            if (trustAll && truststore != null) {
                throw new IllegalArgumentException("trustAll and a truststore exclude each other");
            }
        }

        /** Never prints the password. */
        @Override
        public String toString() {
            return "Tls[trustAll=" + trustAll + ", truststore=" + truststore + ", truststorePassword="
                    + (truststorePassword == null ? null : "***") + "]";
        }
    }

    /** The vector field's HNSW method; the space type follows from the space's metric. */
    public record KnnMethod(
            Engine engine,
            int m,
            int efConstruction,
            int efSearch,
            Quantization quantization) {

        public static final KnnMethod DEFAULT = new KnnMethod(Engine.LUCENE, 16, 100, 100, Quantization.NONE);

        public KnnMethod {
            if (engine == null || quantization == null) {
                throw new IllegalArgumentException("k-NN engine and quantization are required");
            }
            if (m < 2 || efConstruction < 1 || efSearch < 1) {
                throw new IllegalArgumentException("HNSW needs m >= 2, ef_construction >= 1 and ef_search >= 1, got m="
                        + m + ", ef_construction=" + efConstruction + ", ef_search=" + efSearch);
            }
            if (quantization != Quantization.NONE && engine != Engine.LUCENE) {
                throw new IllegalArgumentException("quantization ('" + quantization.wireName()
                        + "') is configured for the lucene engine only");
            }
        }

        /** The k-NN plugin's name of the space in which this metric ranks. */
        public static String spaceType(SpaceSpec.Metric metric) {
            return switch (metric) {
                case COSINE -> "cosinesimil";
                case DOT_PRODUCT -> "innerproduct";
                case EUCLIDEAN -> "l2";
            };
        }
    }

    /**
     * The library that builds and searches the graph. Only {@code LUCENE} runs on a cluster whose k-NN
     * plugin has no native libraries (a {@code faiss} index crashes such a node); the others are for
     * clusters that ship them.
     */
    public enum Engine {
        LUCENE("lucene"),
        FAISS("faiss"),
        NMSLIB("nmslib");

        private final String value;

        Engine(String value) {
            this.value = value;
        }

        /** The name in the mapping. */
        public String value() {
            return value;
        }
    }

    /**
     * How the graph's vectors are held. The k-NN plugin 3.5 offers one quantizer with the lucene engine: Lucene's
     * 7-bit scalar quantizer ({@code encoder: sq}, a quarter of float32's memory; its {@code on_disk} mode with
     * {@code compression_level: 4x} resolves to the same encoder, and 8–32× need the native engines).
     */
    public enum Quantization {
        /** float32 vectors in the graph. */
        NONE(1),
        /**
         * {@code encoder: sq}: a query takes {@link #oversample} times its candidates from the quantized graph and
         * the plugin rescores them with the full-precision vectors (kept on disk beside them), so scores are exact.
         */
        SQ(2);

        private final int oversample;

        Quantization(int oversample) {
            this.oversample = oversample;
        }

        /** How many times the wanted candidates a query takes from the graph before rescoring (1: no rescoring). */
        public int oversample() {
            return oversample;
        }

        /** The name in settings and the admin API: {@code none} or {@code sq}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Retries of transient write failures (timeouts, refused connections, 429, 5xx): {@code maxAttempts}
     * tries in all, waiting {@code initialBackoff}, then twice as long each time, at most {@code maxBackoff}.
     */
    public record Retry(
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff) {

        public static final Retry DEFAULT = new Retry(5, Duration.ofMillis(200), Duration.ofSeconds(5));

        public Retry {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
            if (initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null
                    || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("backoff must be 0 <= initial <= max, got "
                        + initialBackoff + " and " + maxBackoff);
            }
        }

        /** The wait before attempt {@code attempt + 1}, after {@code attempt} (1-based) failed. */
        Duration backoff(int attempt) {
            Duration wait = initialBackoff;
            for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
        }
    }
}
