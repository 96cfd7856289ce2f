package io.vectorsync.domain;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Delete a document; {@code reason} is free text for the history (nullable). */
public record DeleteDocument(
        String tenant,
        String documentId,
        String reason) {

    @TargetAggregateIdentifier
    public String aggregateId() {
        return DocumentIds.aggregateId(tenant, documentId);
    }
}
