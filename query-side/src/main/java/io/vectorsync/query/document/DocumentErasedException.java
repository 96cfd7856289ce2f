package io.vectorsync.query.document;

import io.vectorsync.json.ReportedProblem;

import java.time.Instant;

/** A read of an erased document (issue 21): 410 Gone. Its history still answers, without content. */
public final class DocumentErasedException extends RuntimeException implements ReportedProblem {

    public DocumentErasedException(String tenant, String documentId, Instant erasedAt) {
        super("document '" + documentId + "' of tenant '" + tenant + "' was erased at " + erasedAt
                + "; its content is gone (its history lists its events without content). Writing it again starts "
                + "a new document");
    }

    @Override
    public int status() {
        return 410;
    }

    @Override
    public String slug() {
        return "document-erased";
    }

    @Override
    public String title() {
        return "Document erased";
    }
}
