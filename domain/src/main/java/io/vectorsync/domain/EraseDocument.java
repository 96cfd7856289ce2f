package io.vectorsync.domain;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Erase a document: forget its content everywhere (issue 21), deleted or not. */
public record EraseDocument(
        String tenant,
        String documentId) {

    @TargetAggregateIdentifier
    public String aggregateId() {
        return DocumentIds.aggregateId(tenant, documentId);
    }
}
