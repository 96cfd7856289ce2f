package io.vectorsync.domain;

/**
 * An event that carries a document's content — title, body, metadata, source, content hash, chunk texts and spans,
 * vectors — besides its identity ({@code tenant}, {@code documentId}) and bookkeeping ({@code contentRevision},
 * {@code space}, {@code dimension}, {@code provenance}). The serializer seals the content of such an event with its
 * document's data key (issue 21), so that destroying the key erases the content from the log.
 */
public interface ContentBearing {

    String tenant();

    String documentId();

    /**
     * Whether the content is gone: the document was erased and its key destroyed, so the event reads with its content
     * fields {@code null}. Whoever folds such an event treats the document as absent (a {@link DocumentErased} follows
     * it in the log).
     */
    boolean contentErased();
}
