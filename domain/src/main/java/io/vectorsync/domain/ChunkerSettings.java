package io.vectorsync.domain;

/**
 * How a text was cut into chunks before embedding: the splitter's name and its settings in tokens
 * of the model's tokenizer. Client-supplied vectors use {@link #CLIENT}.
 */
public record ChunkerSettings(
        String name,
        int maxTokens,
        int overlapTokens) {

    public static final ChunkerSettings CLIENT = new ChunkerSettings("client", 0, 0);
}
