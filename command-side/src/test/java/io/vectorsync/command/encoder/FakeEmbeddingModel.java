package io.vectorsync.command.encoder;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for an ONNX model: one token per whitespace-separated word, and a vector per text that says which model
 * made it and which text it was ({@code [text length, 1, 2, ...]}, plus a model marker in the last component), so a
 * test can tell which vector went where. It records every batch it was asked to embed.
 */
public final class FakeEmbeddingModel implements TextEmbeddingModel {

    /** Counts whitespace-separated words: the splitter measures passages with it. */
    public static final TokenCountEstimator WORDS = new TokenCountEstimator() {
        @Override
        public int estimateTokenCountInText(String text) {
            String trimmed = text.strip();
            return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        }

        @Override
        public int estimateTokenCountInMessage(ChatMessage message) {
            throw new AssertionError("the encoder counts tokens of texts only, never of chat messages");
        }

        @Override
        public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
            throw new AssertionError("the encoder counts tokens of texts only, never of chat messages");
        }
    };

    private final String id;
    private final int dimension;
    private final float marker;
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();

    public FakeEmbeddingModel(String id, int dimension) {
        this.id = id;
        this.dimension = dimension;
        this.marker = id.hashCode() % 1000;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String version() {
        return id + "-weights-1";
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        batches.add(List.copyOf(texts));
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            vectors.add(vectorOf(text));
        }
        return vectors;
    }

    /** The vector this model gives {@code text}. */
    public float[] vectorOf(String text) {
        float[] vector = new float[dimension];
        vector[0] = text.length();
        for (int i = 1; i < dimension; i++) {
            vector[i] = i;
        }
        vector[dimension - 1] = marker;
        return vector;
    }

    @Override
    public TokenCountEstimator tokenizer() {
        return WORDS;
    }

    /** Every batch embedAll was called with, in order. */
    public List<List<String>> batches() {
        return batches;
    }
}
