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
}
