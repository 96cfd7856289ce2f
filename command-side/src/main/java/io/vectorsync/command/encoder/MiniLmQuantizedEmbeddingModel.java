package io.vectorsync.command.encoder;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * all-MiniLM-L6-v2 with 8-bit quantized weights, in process (ONNX, 384 dimensions): about a quarter of the
 * weights' size and faster on a CPU, with vectors close to, but not the same as, {@link MiniLmEmbeddingModel}'s —
 * a second model a space can be moved to by re-embedding.
 */
public final class MiniLmQuantizedEmbeddingModel extends InProcessEmbeddingModel {

    public static final String ID = "all-minilm-l6-v2-q";
    public static final String VERSION = versionOf(ID);

    public MiniLmQuantizedEmbeddingModel() {
        // each batch on the calling thread, as for the full model
        super(ID, 384, new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run), "/all-minilm-l6-v2-q-tokenizer.json");
    }
}
