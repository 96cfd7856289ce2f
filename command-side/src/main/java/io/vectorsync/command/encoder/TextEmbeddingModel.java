package io.vectorsync.command.encoder;

import dev.langchain4j.model.TokenCountEstimator;

import java.util.List;

/** A model that turns texts into vectors, with the tokenizer that measures its input. */
public interface TextEmbeddingModel {

    String id();

    /**
     * The exact weights behind {@link #id()}: vectors of two versions of a model are not comparable, so
     * each embedding event records it.
     */
    String version();

    int dimension();

    /** One vector per text, in order, in one batch. */
    List<float[]> embedAll(List<String> texts);

    TokenCountEstimator tokenizer();
}
