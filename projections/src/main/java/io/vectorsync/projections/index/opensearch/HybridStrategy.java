package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.HybridQuery;
import io.vectorsync.projections.index.HybridRankings;

import java.util.List;

/**
 * How a hybrid query is answered. {@link ClientSideFusion} runs BM25 and k-NN and fuses the rankings
 * here, because the cluster this was built against has no neural-search plugin. A cluster with it can
 * get a variant that sends one {@code hybrid} query through a search pipeline with a normalization or
 * RRF processor.
 */
interface HybridStrategy {

    /** The query is valid (checked by the index); answers up to k documents, best first. */
    List<DocumentHit> search(HybridQuery query);

    /** The rankings {@link #search} fuses, for a caller that merges documents of its own into them. */
    HybridRankings rankings(HybridQuery query);
}
