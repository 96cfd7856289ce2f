package io.vectorsync.command.encoder;

import org.axonframework.commandhandling.gateway.CommandGateway;

/** The encoder's public entry point: the event handler to register in processing group "encoder". */
public final class Encoder {

    public static final String PROCESSING_GROUP = DocumentEncoder.PROCESSING_GROUP;
    public static final String VECTORS_SUPPLIED = DocumentEncoder.VECTORS_SUPPLIED;

    private Encoder() {
    }

    public static Object handler(EmbeddingSpaces spaces, CommandGateway commandGateway) {
        return new DocumentEncoder(spaces, commandGateway);
    }

    /**
     * Embeds one document's current text in one space with one model and records it, as the encoder does: for a
     * re-embedding, which records a second model's vectors for content the first one already embedded.
     */
    public static void embed(EmbeddingSpaces spaces, CommandGateway commandGateway, String space, TextEmbeddingModel model,
                             String tenant, String documentId, long contentRevision, String title, String body) {
        DocumentEncoder.embed(spaces, commandGateway, spaces.require(space, "space"), model, tenant, documentId,
                contentRevision, title, body);
    }
}
