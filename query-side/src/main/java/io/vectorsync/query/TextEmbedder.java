package io.vectorsync.query;

import io.vectorsync.domain.InvalidInputException;

/**
 * Turns a query text into a vector with the model of an embedding space, so a caller can search by
 * text. The app wires the in-process model behind it; a space that only takes client-supplied
 * vectors has no model to embed with.
 */
@FunctionalInterface
public interface TextEmbedder {

    /**
     * The vector of {@code text} in {@code space}, with the space's dimension.
     *
     * @throws InvalidInputException naming {@code space} when the space has no model
     */
    float[] embed(String space, String text);

    /** For deployments where every space takes client vectors only: every text query is refused. */
    static TextEmbedder none() {
        return (space, text) -> {
            throw noModel(space);
        };
    }

    /** The refusal an implementation throws for a space without a model. */
    static InvalidInputException noModel(String space) {
        return new InvalidInputException("space", "'" + space + "' has no model; send a vector");
    }
}
