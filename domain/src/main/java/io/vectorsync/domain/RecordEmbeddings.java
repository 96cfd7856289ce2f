package io.vectorsync.domain;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Record the vectors the encoder computed for one content revision of a document, with the exact model version. */
public record RecordEmbeddings(
        String tenant,
        String documentId,
        long contentRevision,
        String space,
        String model,
        String modelVersion,
        int dimension,
        ChunkerSettings chunker,
        List<EmbeddedChunk> chunks) {

    @TargetAggregateIdentifier
    public String aggregateId() {
        return DocumentIds.aggregateId(tenant, documentId);
    }
}
