package io.vectorsync.command.encoder;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * all-MiniLM-L6-v2 with 8-bit quantized weights, in process (ONNX, 384 dimensions): about a quarter of the
 * weights' size and faster on a CPU, with vectors close to, but not the same as, {@link MiniLmEmbeddingModel}'s —
 * a second model a space can be moved to by re-embedding.
 */
public final class MiniLmQuantizedEmbeddingModel implements TextEmbeddingModel {

    public static final String ID = "all-minilm-l6-v2-q";
    public static final String VERSION = buildProperty(ID + ".version");

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;
    private final TokenCountEstimator tokenizer;

    public MiniLmQuantizedEmbeddingModel() {
        // each batch on the calling thread, as for the full model
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
        this.tokenizer = new HuggingFaceTokenCountEstimator(
                Tokenizers.extract(AllMiniLmL6V2QuantizedEmbeddingModel.class, "/all-minilm-l6-v2-q-tokenizer.json"));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public int dimension() {
        return 384;
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

    /** The jar of these weights has no Maven metadata: the build writes their artifact into models.properties. */
    private static String buildProperty(String key) {
        try (InputStream in = MiniLmQuantizedEmbeddingModel.class.getResourceAsStream("models.properties")) {
            Properties properties = new Properties();
            if (in == null) {
                throw new IllegalStateException("models.properties is missing next to " + MiniLmQuantizedEmbeddingModel.class);
            }
            properties.load(in);
            String value = properties.getProperty(key);
            if (value == null || value.contains("${")) {
                throw new IllegalStateException("models.properties has no built value for " + key + ": " + value);
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read models.properties", e);
        }
    }
}
