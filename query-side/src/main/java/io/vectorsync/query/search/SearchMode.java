package io.vectorsync.query.search;

import java.util.Locale;

/**
 * How a search ranks: {@code KNN} by vector similarity alone, {@code HYBRID} by vector similarity and
 * the words of the text (BM25) fused into one ranking, where the index can rank by words.
 */
enum SearchMode {
    KNN,
    HYBRID;

    /** The name in the API: {@code knn} or {@code hybrid}. */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
