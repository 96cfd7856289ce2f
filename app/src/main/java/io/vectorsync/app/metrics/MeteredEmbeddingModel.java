package io.vectorsync.app.metrics;

import dev.langchain4j.model.TokenCountEstimator;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Timer;
import io.vectorsync.command.encoder.TextEmbeddingModel;

import java.time.Duration;
import java.util.List;

/**
 * An embedding model that counts what it embeds: {@code vectorsync_embedding_chunks_total{model}} (every text it
 * turns into a vector: documents' chunks, and a search's query text) and
 * {@code vectorsync_embedding_batch_duration_seconds{model}} (one histogram sample per call, a batch of chunks).
 */
public final class MeteredEmbeddingModel implements TextEmbeddingModel {

    private final TextEmbeddingModel model;
    private final Counter chunks;
    private final Timer batches;

    public MeteredEmbeddingModel(TextEmbeddingModel model, Telemetry telemetry) {
        this.model = model;
        this.chunks = telemetry.counter("vectorsync_embedding_chunks", "Texts embedded (chunks and query texts)",
                "model", model.id());
        this.batches = telemetry.timer("vectorsync_embedding_batch_duration", "Time to embed one batch of texts",
                "model", model.id());
    }

    @Override
    public String id() {
        return model.id();
    }

    @Override
    public String version() {
        return model.version();
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        long start = System.nanoTime();
        List<float[]> vectors = model.embedAll(texts);
        batches.record(Duration.ofNanos(System.nanoTime() - start));
        chunks.increment(texts.size());
        return vectors;
    }

    @Override
    public TokenCountEstimator tokenizer() {
        return model.tokenizer();
    }
}
