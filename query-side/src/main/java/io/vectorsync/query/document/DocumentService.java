package io.vectorsync.query.document;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.NotFoundException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.query.PositionWait;
import jakarta.json.JsonObject;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code GET /{tenant}/documents/{documentId}} and {@code .../history}: a document as its events in the
 * event store leave it. Read from the store rather than a projection, so the answer reflects every
 * acknowledged write; {@code ?consistentWith=<position>} also waits for the embeddings of that write.
 * A deleted document is still returned, with {@code deleted: true}; an erased one is 410 Gone, its history still
 * lists its events without their content.
 */
public final class DocumentService implements HttpService {

    private final EventStore eventStore;
    private final PositionWait positions;
    private final EventPositions eventPositions;

    public DocumentService(EventStore eventStore) {
        this(eventStore, position -> {
        }, EventPositions.NONE);
    }

    /**
     * @param positions waits until what a read shows reflects a {@code consistentWith} position: the
     *                  store has every acknowledged event, the embeddings of a text come later
     */
    public DocumentService(EventStore eventStore, PositionWait positions) {
        this(eventStore, positions, EventPositions.NONE);
    }

    /** @param eventPositions where the document's events stand in the log, for its history */
    public DocumentService(EventStore eventStore, PositionWait positions, EventPositions eventPositions) {
        this.eventStore = Objects.requireNonNull(eventStore, "eventStore");
        this.positions = Objects.requireNonNull(positions, "positions");
        this.eventPositions = Objects.requireNonNull(eventPositions, "eventPositions");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{tenant}/documents/{documentId}", this::document)
                .get("/{tenant}/documents/{documentId}/history", this::history);
    }

    private void document(ServerRequest req, ServerResponse res) {
        String tenant = req.path().pathParameters().get("tenant");
        String documentId = req.path().pathParameters().get("documentId");
        OptionalLong consistentWith = consistentWith(req);
        consistentWith.ifPresent(positions::await);
        List<RecordedEvent> events = events(tenant, documentId);
        DocumentState state = DocumentFolder.fold(tenant, documentId, events).orElseThrow();
        if (state.erased()) {
            throw new DocumentErasedException(tenant, documentId, state.lastModified());
        }
        send(res, DocumentJson.document(state));
    }

    private void history(ServerRequest req, ServerResponse res) {
        String tenant = req.path().pathParameters().get("tenant");
        String documentId = req.path().pathParameters().get("documentId");
        List<RecordedEvent> events = events(tenant, documentId);
        Map<Long, Long> inTheLog = eventPositions.of(DocumentIds.aggregateId(tenant, documentId));
        List<HistoryEntry> entries = events.stream()
                .map(event -> HistoryEntry.of(event, inTheLog.get(event.version() - 1)))
                .toList();
        send(res, DocumentJson.history(entries));
    }

    /** {@code ?consistentWith=<position>}: a write's position, a whole number of at least 0. */
    private static OptionalLong consistentWith(ServerRequest req) {
        Optional<String> value = req.query().first("consistentWith").asOptional();
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long position = Long.parseLong(value.get().trim());
            if (position >= 0) {
                return OptionalLong.of(position);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidInputException("consistentWith", "must be the position of a write's answer, a whole number"
                + " of at least 0; got '" + value.get() + "'");
    }

    /** The document's events, oldest first; a document without any does not exist. */
    private List<RecordedEvent> events(String tenant, String documentId) {
        DocumentIds.requireValidTenant(tenant);
        DocumentIds.requireValidDocumentId(documentId);
        // from sequence 0 rather than readEvents(id): that one starts at a snapshot when the write side has one,
        // and a snapshot's payload is the aggregate, not an event
        List<RecordedEvent> events = eventStore.readEvents(DocumentIds.aggregateId(tenant, documentId), 0)
                .asStream()
                .map(message -> new RecordedEvent(message.getSequenceNumber() + 1, message.getTimestamp(), message.getPayload()))
                .toList();
        if (events.isEmpty()) {
            throw new NotFoundException("document '" + documentId + "' of tenant '" + tenant + "' does not exist");
        }
        return events;
    }

    private static void send(ServerResponse res, JsonObject body) {
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(body);
    }
}
