package io.vectorsync.command.encoder;

import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentRestored;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EventMetadataKeys;
import io.vectorsync.domain.RecordEmbeddings;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.MetaDataValue;

import java.util.ArrayList;
import java.util.List;

/**
 * The encoder: for every new content revision, chunks the body, embeds the passages in one batch per
 * space and records them on the document. Embedding is a side effect that a replay must not repeat
 * (vectors are already in the log), hence {@link DisallowReplay}. Documents whose content system
 * supplied vectors skip it.
 */
@ProcessingGroup(DocumentEncoder.PROCESSING_GROUP)
final class DocumentEncoder {

    static final String PROCESSING_GROUP = "encoder";
    /** Event metadata key the aggregate sets when the upsert carried its own vectors. */
    static final String VECTORS_SUPPLIED = EventMetadataKeys.VECTORS_SUPPLIED;

    private final EmbeddingSpaces spaces;
    private final CommandGateway commandGateway;

    DocumentEncoder(EmbeddingSpaces spaces, CommandGateway commandGateway) {
        this.spaces = spaces;
        this.commandGateway = commandGateway;
    }

    @EventHandler
    @DisallowReplay
    void on(DocumentCreated event, @SequenceNumber long sequenceNumber,
            @MetaDataValue(VECTORS_SUPPLIED) Boolean vectorsSupplied) {
        encode(event.tenant(), event.documentId(), sequenceNumber + 1, event.title(), event.body(), vectorsSupplied);
    }

    @EventHandler
    @DisallowReplay
    void on(DocumentContentRevised event, @SequenceNumber long sequenceNumber,
            @MetaDataValue(VECTORS_SUPPLIED) Boolean vectorsSupplied) {
        encode(event.tenant(), event.documentId(), sequenceNumber + 1, event.title(), event.body(), vectorsSupplied);
    }

    @EventHandler
    @DisallowReplay
    void on(DocumentRestored event, @SequenceNumber long sequenceNumber,
            @MetaDataValue(VECTORS_SUPPLIED) Boolean vectorsSupplied) {
        encode(event.tenant(), event.documentId(), sequenceNumber + 1, event.title(), event.body(), vectorsSupplied);
    }

    private void encode(String tenant, String documentId, long contentRevision, String title, String body,
                        Boolean vectorsSupplied) {
        if (Boolean.TRUE.equals(vectorsSupplied) || body == null) {
            return; // the client's own vectors, or content erased since (issue 21): nothing to embed
        }
        for (EmbeddingSpace space : spaces.all()) {
            // every model some index version of the space uses: during a re-embedding, both
            for (TextEmbeddingModel model : spaces.modelsInUse(space.name())) {
                embed(spaces, commandGateway, space, model, tenant, documentId, contentRevision, title, body);
            }
        }
    }

    /** Chunks the body, embeds the passages with {@code model} in one batch and records them on the document. */
    static void embed(EmbeddingSpaces spaces, CommandGateway commandGateway, EmbeddingSpace space,
                      TextEmbeddingModel model, String tenant, String documentId, long contentRevision, String title,
                      String body) {
        TextChunker chunker = spaces.chunker(space.name()).orElseThrow();
        List<TextChunker.Passage> passages = chunker.split(body);
        if (passages.isEmpty()) {
            // a title-only document is still findable by its title
            String text = title == null || title.isBlank() ? "" : title;
            if (text.isEmpty()) {
                return;
            }
            passages = List.of(new TextChunker.Passage(text, -1, -1));
        }
        // The title gives short passages their context; the stored passage stays the body's text.
        List<String> inputs = passages.stream()
                .map(p -> title == null || title.isBlank() ? p.text() : title + "\n" + p.text())
                .toList();
        List<float[]> vectors = model.embedAll(inputs);
        List<EmbeddedChunk> chunks = new ArrayList<>(passages.size());
        for (int i = 0; i < passages.size(); i++) {
            TextChunker.Passage passage = passages.get(i);
            chunks.add(EmbeddedChunk.of(i, passage.start(), passage.end(), passage.text(), vectors.get(i)));
        }
        commandGateway.sendAndWait(new RecordEmbeddings(tenant, documentId, contentRevision, space.name(),
                model.id(), model.version(), model.dimension(), chunker.settings(), chunks));
    }
}
