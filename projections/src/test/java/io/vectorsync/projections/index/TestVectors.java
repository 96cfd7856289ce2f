package io.vectorsync.projections.index;

import java.util.Random;

/** Deterministic unit vectors for tests: the same seed always gives the same vector. */
public final class TestVectors {

    private TestVectors() {
    }

    public static float[] unit(int dimension, long seed) {
        Random random = new Random(seed);
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        return normalize(vector);
    }

    /** A unit vector between {@code from} ({@code weight} 0) and {@code to} (1). */
    public static float[] blend(float[] from, float[] to, double weight) {
        float[] vector = new float[from.length];
        for (int i = 0; i < from.length; i++) {
            vector[i] = (float) ((1 - weight) * from[i] + weight * to[i]);
        }
        return normalize(vector);
    }

    /** A unit vector at a right angle to {@code vector}: cosine 0, so score 0.5 under COSINE. */
    public static float[] orthogonal(float[] vector, long seed) {
        float[] other = unit(vector.length, seed);
        double dot = 0;
        for (int i = 0; i < vector.length; i++) {
            dot += other[i] * vector[i];
        }
        for (int i = 0; i < vector.length; i++) {
            other[i] -= (float) (dot * vector[i]);
        }
        return normalize(other);
    }

    private static float[] normalize(float[] vector) {
        double norm = 0;
        for (float value : vector) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < vector.length; i++) {
            vector[i] /= (float) norm;
        }
        return vector;
    }
}
