package io.vectorsync.domain;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/**
 * Create, revise, re-label or restore a document. {@code expectedVersion} (nullable) gives optimistic
 * concurrency; {@code embedding} (nullable) carries client-supplied vectors for the new content.
 */
public record UpsertDocument(
        String tenant,
        String documentId,
        String title,
        String body,
        Map<String, Object> metadata,
        String source,
        Long expectedVersion,
        SuppliedEmbedding embedding) {

    @TargetAggregateIdentifier
    public String aggregateId() {
        return DocumentIds.aggregateId(tenant, documentId);
    }
}
