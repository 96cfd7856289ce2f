package io.vectorsync.command.encoder;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/** all-MiniLM-L6-v2 in process (ONNX, 384 dimensions), measured with its own WordPiece tokenizer. */
public final class MiniLmEmbeddingModel extends InProcessEmbeddingModel {

    public static final String ID = "all-minilm-l6-v2";
    public static final String VERSION = versionOf(ID);

    public MiniLmEmbeddingModel() {
        // Runs each batch on the calling thread: on a small machine a second ONNX thread only competes.
        super(ID, 384, new AllMiniLmL6V2EmbeddingModel(Runnable::run), "/all-minilm-l6-v2-tokenizer.json");
    }
}
