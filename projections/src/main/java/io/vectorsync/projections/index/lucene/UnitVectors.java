package io.vectorsync.projections.index.lucene;

/**
 * A cosine space's vectors are indexed (and queries asked) as unit vectors under Lucene's dot product: it costs a
 * third of the cosine's arithmetic in every graph build, merge and search, and ranks unit vectors identically, with
 * the same scores.
 */
final class UnitVectors {

    private UnitVectors() {
    }

    static double length(float[] vector) {
        double squares = 0;
        for (float value : vector) {
            squares += (double) value * value;
        }
        return Math.sqrt(squares);
    }

    /**
     * {@code vector} scaled to length 1; one that already is, to float precision (every model's embedding), as it is.
     * A cosine space's zero vectors are refused before they get here.
     */
    static float[] unit(float[] vector) {
        return unit(vector, length(vector));
    }

    /** {@link #unit(float[])} of a vector whose length is known. */
    static float[] unit(float[] vector, double length) {
        if (length == 0 || Math.abs(length * length - 1) < 1e-5) {
            return vector;
        }
        double scale = 1 / length;
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] * scale);
        }
        return unit;
    }
}
