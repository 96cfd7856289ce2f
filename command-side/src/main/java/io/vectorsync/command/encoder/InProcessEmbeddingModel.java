package io.vectorsync.command.encoder;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * A langchain4j ONNX model run in process, measured with its own tokenizer (shipped in the model's jar). Its
 * version is the artifact of its weights, written into {@code models.properties} by the build.
 */
abstract class InProcessEmbeddingModel implements TextEmbeddingModel {

    private final String id;
    private final int dimension;
    private final EmbeddingModel model;
    private final TokenCountEstimator tokenizer;

    InProcessEmbeddingModel(String id, int dimension, EmbeddingModel model, String tokenizerResource) {
        this.id = id;
        this.dimension = dimension;
        this.model = model;
        this.tokenizer = new HuggingFaceTokenCountEstimator(Tokenizers.extract(model.getClass(), tokenizerResource));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String version() {
        return versionOf(id);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return model.embedAll(segments).content().stream().map(Embedding::vector).toList();
    }

    @Override
    public TokenCountEstimator tokenizer() {
        return tokenizer;
    }

    /** The artifact of a model's weights, as the build wrote it into {@code models.properties}. */
    static String versionOf(String id) {
        try (InputStream in = InProcessEmbeddingModel.class.getResourceAsStream("models.properties")) {
            if (in == null) {
                throw new IllegalStateException("models.properties is missing next to " + InProcessEmbeddingModel.class);
            }
            Properties properties = new Properties();
            properties.load(in);
            String value = properties.getProperty(id + ".version");
            if (value == null || value.contains("${")) {
                throw new IllegalStateException("models.properties has no built version for " + id + ": " + value);
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read models.properties", e);
        }
    }
}
