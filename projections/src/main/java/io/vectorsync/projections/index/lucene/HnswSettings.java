package io.vectorsync.projections.index.lucene;

import java.util.Arrays;
import java.util.Locale;

/**
 * HNSW graph parameters of the Lucene index: {@code m} links per node and the {@code beamWidth}
 * candidates considered while building (OpenSearch calls it {@code ef_construction}), which only affect
 * segments written from then on; {@code efSearch}, the candidates a query considers before it keeps
 * its best k (OpenSearch's {@code ef_search}, with the same default); and how the graph's vectors are
 * {@link Quantization quantized}. Larger values buy recall with time (and, for the first two, memory).
 */
public record HnswSettings(
        int m,
        int beamWidth,
        int efSearch,
        Quantization quantization) {

    /** OpenSearch's default {@code ef_search}, and this index's. */
    public static final int DEFAULT_EF_SEARCH = 100;

    /** Lucene's own defaults for the graph; OpenSearch's for the search; full-precision vectors. */
    public static final HnswSettings DEFAULT = new HnswSettings(16, 100, DEFAULT_EF_SEARCH, Quantization.NONE);

    /**
     * The vectors the graph is searched with. Quantized ones take less memory and are compared faster; the
     * full-precision vectors are kept beside them on disk, and a query's candidates — {@code oversample} times as
     * many as it would take otherwise — are scored again with those, so recall stays close to full precision.
     */
    public enum Quantization {
        /** 32-bit floats: 4 bytes per dimension. */
        NONE(1),
        /** Lucene's scalar quantization to 7 bits: one byte per dimension. */
        INT7(1),
        /** Scalar quantization to 4 bits: half a byte per dimension. */
        INT4(2),
        /**
         * Lucene's binary quantization (BBQ): one bit per dimension, plus corrections. At 384 dimensions three
         * times the candidates found 0.91 of the exact top 10 after rescoring, five times 0.955, six times 0.971.
         */
        BBQ(6);

        private final int oversample;

        Quantization(int oversample) {
            this.oversample = oversample;
        }

        public int oversample() {
            return oversample;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** By its name in settings and the API: {@code none}, {@code int7}, {@code int4}, {@code bbq}. */
        public static Quantization of(String name) {
            return Arrays.stream(values()).filter(q -> q.wireName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("quantization must be one of "
                            + Arrays.stream(values()).map(Quantization::wireName).toList() + ", got '" + name + "'"));
        }
    }

    public HnswSettings {
        if (m < 1 || beamWidth < 1 || efSearch < 1) {
            throw new IllegalArgumentException("HNSW m, beamWidth and efSearch must be positive, got m=" + m
                    + ", beamWidth=" + beamWidth + ", efSearch=" + efSearch);
        }
        if (quantization == null) {
            quantization = Quantization.NONE;
        }
    }

    public HnswSettings(int m, int beamWidth, int efSearch) {
        this(m, beamWidth, efSearch, Quantization.NONE);
    }

    public HnswSettings(int m, int beamWidth) {
        this(m, beamWidth, DEFAULT_EF_SEARCH, Quantization.NONE);
    }
}
