package io.vectorsync.ui.admin;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.json.Json;
import io.vectorsync.store.DeadLetters;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;

import java.io.StringReader;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * {@code /v1/admin/dead-letters}: per processing group, the events its handlers could not process, grouped by
 * document (a document's later events wait behind its first dead letter while other documents flow), each with
 * the event, the cause and the attempts so far; retry one document's letters or all, and evict one letter.
 */
public final class DeadLetterAdmin implements HttpService {

    private static final Logger LOG = Logger.getLogger(DeadLetterAdmin.class.getName());

    private final EventProcessingConfiguration processing;
    private final Supplier<Map<String, DeadLetters>> runtimeGroups;
    private final Serializer serializer;

    /**
     * @param runtimeGroups the dead letters of processing groups built at run time (the processors feeding index
     *                      versions), by group name, beside those of Axon's configuration
     */
    public DeadLetterAdmin(EventProcessingConfiguration processing, Supplier<Map<String, DeadLetters>> runtimeGroups,
                    Serializer serializer) {
        this.processing = processing;
        this.runtimeGroups = runtimeGroups;
        this.serializer = serializer;
    }


    @Override
    public void routing(HttpRules rules) {
        rules.get("/dead-letters", this::groups)
                .get("/dead-letters/{group}", this::list)
                .post("/dead-letters/{group}/retry", this::retry)
                .delete("/dead-letters/{group}/letters/{id}", this::evict);
    }

    private void groups(ServerRequest req, ServerResponse res) {
        send(res, 200, summary());
    }

    /** Per group with a dead-letter queue, how many documents and letters wait in it. */
    public JsonObject summary() {
        JsonArrayBuilder groups = Json.createArrayBuilder();
        queues(processing, runtimeGroups.get()).forEach((group, queue) -> groups.add(Json.createObjectBuilder()
                .add("group", group)
                .add("sequences", queue.amountOfSequences())
                .add("letters", queue.size())));
        return Json.createObjectBuilder().add("groups", groups).build();
    }

    /** Every dead-letter queue, by processing group: Axon's configured ones and {@code runtimeGroups}'. */
    public static Map<String, SequencedDeadLetterQueue<EventMessage<?>>> queues(EventProcessingConfiguration processing,
                                                                               Map<String, DeadLetters> runtimeGroups) {
        Map<String, SequencedDeadLetterQueue<EventMessage<?>>> queues = new TreeMap<>();
        for (String group : processing.eventProcessors().keySet()) {
            processing.deadLetterQueue(group).ifPresent(queue -> queues.put(group, queue));
        }
        runtimeGroups.forEach((group, letters) -> queues.put(group, letters.queue()));
        return queues;
    }

    private void list(ServerRequest req, ServerResponse res) {
        String group = group(req);
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(group);
        JsonArrayBuilder sequences = Json.createArrayBuilder();
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
            JsonArrayBuilder letters = Json.createArrayBuilder();
            String sequenceId = null;
            for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                sequenceId = sequenceId == null ? sequenceOf(letter) : sequenceId;
                letters.add(describe(letter));
            }
            sequences.add(Json.createObjectBuilder().add("sequence", Objects.toString(sequenceId, "")).add("letters", letters));
        }
        send(res, 200, Json.createObjectBuilder()
                .add("group", group)
                .add("letters", queue.size())
                .add("sequences", sequences)
                .build());
    }

    /**
     * {@code ?sequence=<tenant>/<documentId>} retries that document's letters, from its first; without it every
     * sequence is tried once. A letter that fails again stays, with its attempts counted.
     */
    private void retry(ServerRequest req, ServerResponse res) {
        String group = group(req);
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(group);
        SequencedDeadLetterProcessor<EventMessage<?>> processor = processing.sequencedDeadLetterProcessor(group)
                .or(() -> Optional.ofNullable(runtimeGroups.get().get(group)).map(DeadLetters::processor))
                .orElseThrow(() -> new NotFoundException("processing group '" + group + "' has no dead-letter processor"));
        Optional<String> only = req.query().first("sequence").asOptional();
        int tried = 0;
        int succeeded = 0;
        if (only.isPresent()) {
            if (!queue.contains(only.get())) {
                throw new NotFoundException("no dead letters of '" + only.get() + "' in group '" + group + "'");
            }
            tried = 1;
            succeeded = processor.process(letter -> only.get().equals(sequenceOf(letter))) ? 1 : 0;
        } else {
            // each sequence once, in the queue's order: one that fails again is requeued, not picked twice
            java.util.List<String> sequences = new java.util.ArrayList<>();
            for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
                for (DeadLetter<? extends EventMessage<?>> first : sequence) {
                    sequences.add(sequenceOf(first));
                    break;
                }
            }
            for (String sequence : sequences) {
                tried++;
                succeeded += processor.process(letter -> sequence.equals(sequenceOf(letter))) ? 1 : 0;
            }
        }
        int triedCount = tried;
        int succeededCount = succeeded;
        LOG.info(() -> "dead letters of '" + group + "': retried " + triedCount + " sequences, " + succeededCount
                + " went through");
        send(res, 200, Json.createObjectBuilder()
                .add("group", group)
                .add("sequencesTried", tried)
                .add("sequencesCleared", succeeded)
                .add("lettersLeft", queue.size())
                .build());
    }

    private void evict(ServerRequest req, ServerResponse res) {
        String group = group(req);
        String id = req.path().pathParameters().get("id");
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(group);
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
            for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                if (letter instanceof JdbcDeadLetter<?> jdbc && jdbc.getIdentifier().equals(id)) {
                    queue.evict(letter);
                    LOG.warning(() -> "dead letter " + id + " of '" + group + "' evicted: event "
                            + letter.message().getIdentifier() + " will not be processed");
                    send(res, 200, Json.createObjectBuilder().add("evicted", id)
                            .add("lettersLeft", queue.size()).build());
                    return;
                }
            }
        }
        throw new NotFoundException("no dead letter '" + id + "' in group '" + group + "'");
    }

    private JsonObject describe(DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> event = letter.message();
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("id", letter instanceof JdbcDeadLetter<?> jdbc ? jdbc.getIdentifier() : event.getIdentifier())
                .add("eventIdentifier", event.getIdentifier())
                .add("eventType", event.getPayloadType().getSimpleName())
                .add("timestamp", event.getTimestamp().toString())
                .add("enqueuedAt", letter.enqueuedAt().toString())
                .add("lastTouched", letter.lastTouched().toString())
                .add("attempts", DeadLetters.attempts(letter));
        if (event instanceof DomainEventMessage<?> domain) {
            body.add("aggregateIdentifier", domain.getAggregateIdentifier())
                    .add("sequenceNumber", domain.getSequenceNumber());
        }
        letter.cause().ifPresentOrElse(
                cause -> body.add("cause", Json.createObjectBuilder().add("type", cause.type())
                        .add("message", Objects.toString(cause.message(), ""))),
                () -> body.addNull("cause"));
        body.add("payload", payload(event.getPayload()));
        return body.build();
    }

    /**
     * The event as the serializer given writes it (the app gives one that does not seal: vectors as base64, content
     * in the clear; none once its document is erased), or its text when it is not a JSON object.
     */
    private JsonValue payload(Object payload) {
        String json = serializer.serialize(payload, String.class).getData();
        try {
            return Json.createReader(new StringReader(json)).readValue();
        } catch (RuntimeException e) {
            return Json.createValue(json);
        }
    }

    private static String sequenceOf(DeadLetter<?> letter) {
        if (letter instanceof JdbcDeadLetter<?> jdbc) {
            return jdbc.getSequenceIdentifier();
        }
        return letter.message() instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
    }

    private String group(ServerRequest req) {
        String group = req.path().pathParameters().get("group");
        if (processing.eventProcessor(group).isEmpty() && !runtimeGroups.get().containsKey(group)) {
            throw new NotFoundException("no processing group '" + group + "'; GET /v1/admin/processors lists them");
        }
        return group;
    }

    private SequencedDeadLetterQueue<EventMessage<?>> queue(String group) {
        return processing.deadLetterQueue(group)
                .or(() -> Optional.ofNullable(runtimeGroups.get().get(group)).map(DeadLetters::queue))
                .orElseThrow(() -> new NotFoundException("processing group '" + group + "' has no dead-letter queue"));
    }

    private static void send(ServerResponse res, int status, JsonObject body) {
        res.status(Status.create(status));
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(body.toString());
    }
}
