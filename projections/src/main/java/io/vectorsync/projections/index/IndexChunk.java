package io.vectorsync.projections.index;

/** A chunk to index: number, passage, its character span in the body (-1 when unknown), vector. */
public record IndexChunk(
        int index,
        String passage,
        int start,
        int end,
        float[] vector) {
}
