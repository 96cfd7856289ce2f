package io.vectorsync.domain;

import org.axonframework.serialization.Revision;

/**
 * The document was erased (issue 21): its data key is destroyed with this event, so the content of every earlier
 * event of the document reads as {@code null} from now on. Holds no content itself. Whoever folds the log treats the
 * document as absent; an upsert with the same id afterwards starts a new document, sealed with a new key.
 */
@Revision("1")
public record DocumentErased(
        String tenant,
        String documentId) {
}
