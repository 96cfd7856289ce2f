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

    /**
     * Unit vectors spread widely around 40 centres that share an offset, as sentence embeddings of one corpus lie;
     * the same centres for every call, so stored vectors and held-out queries come from one distribution.
     */
    public static float[][] clustered(Random random, int count, int dimension) {
        Random centres = new Random(7);
        float[] offset = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            offset[d] = (float) centres.nextGaussian();
        }
        float[][] centre = new float[40][dimension];
        for (float[] c : centre) {
            for (int d = 0; d < dimension; d++) {
                c[d] = offset[d] + (float) centres.nextGaussian();
            }
        }
        float[][] vectors = new float[count][dimension];
        for (float[] v : vectors) {
            float[] c = centre[random.nextInt(centre.length)];
            for (int d = 0; d < dimension; d++) {
                v[d] = c[d] + 3.0f * (float) random.nextGaussian();
            }
            normalize(v);
        }
        return vectors;
    }

    /** The ids ("d" + position) of the {@code k} stored vectors nearest {@code query} by cosine, by brute force. */
    public static java.util.List<String> exactTop(float[][] stored, float[] query, int k) {
        return java.util.stream.IntStream.range(0, stored.length).boxed()
                .sorted(java.util.Comparator.comparingDouble((Integer i) -> -dot(stored[i], query)))
                .limit(k).map(i -> "d" + i).toList();
    }

    public static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += a[d] * b[d];
        }
        return sum;
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
