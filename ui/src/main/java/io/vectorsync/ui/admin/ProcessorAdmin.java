package io.vectorsync.ui.admin;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.command.api.ApiException;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.LogPositions;
import io.vectorsync.store.ProcessorControl;
import io.vectorsync.store.ProcessorHolds;
import org.axonframework.serialization.Serializer;
import io.vectorsync.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.config.EventProcessingConfiguration;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * {@code /v1/admin/processors}: every processing group with the status of each segment (position, lag in events
 * and seconds, caught up or replaying, error, the node that claims it), and pause, resume and replay-from-the-start
 * of one group. A replay stops the group, resets its tokens — its reset handler prepares the target first (the
 * vector index empties every index) — and starts it again; searches see the index fill up meanwhile (a blue/green
 * rebuild is the way without that).
 */
public final class ProcessorAdmin implements HttpService {

    private static final Logger LOG = Logger.getLogger(ProcessorAdmin.class.getName());

    /** What a pause holds a processor for: a resume ends only such a hold. */
    static final String PAUSED = "paused by an operator";
    /** How long a replay asked for here waits for the projector nodes before it answers (it goes ahead anyway). */
    private static final Duration REPLAY_WAIT = Duration.ofSeconds(60);

    private final EventProcessingConfiguration processing;
    private final java.util.function.Supplier<Map<String, EventProcessor>> versionProcessors;
    private final EventStoreDatabase database;
    private final LogPositions log;
    private final String nodeId;
    private final ProcessorControl control;
    private final Serializer serializer;

    /**
     * @param versionProcessors the processors that feed index versions other than the live one: built at
     *                          runtime, so not in Axon's configuration, but processing groups all the same
     * @param database          the token store's table: which node claims each segment, and where the processors
     *                          that run on other nodes stand
     * @param log               the head of the event log and the times of its events, for the lag
     * @param control           pauses, resumes and replays a processor on every node
     * @param serializer        the token store's
     */
    public ProcessorAdmin(EventProcessingConfiguration processing, java.util.function.Supplier<Map<String, EventProcessor>> versionProcessors,
                          EventStoreDatabase database, LogPositions log, String nodeId, ProcessorControl control,
                          Serializer serializer) {
        this.processing = processing;
        this.versionProcessors = versionProcessors;
        this.database = database;
        this.log = log;
        this.nodeId = nodeId;
        this.control = control;
        this.serializer = serializer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/processors", this::list)
                .get("/processors/{name}", (req, res) -> send(res, 200, status(name(req))))
                .post("/processors/{name}/pause", this::pause)
                .post("/processors/{name}/resume", this::resume)
                .post("/processors/{name}/replay", this::replay);
    }

    private void list(ServerRequest req, ServerResponse res) {
        send(res, 200, all());
    }

    /**
     * Every processing group's status: what {@code GET /processors} answers and the console's stream pushes. The
     * ones that run only on other nodes are known from their tokens.
     */
    public JsonObject all() {
        JsonArrayBuilder processors = Json.createArrayBuilder();
        Map<String, EventProcessor> all = local();
        Map<String, ProcessorHolds.Hold> holds = database.processorHolds().all();
        all.values().forEach(processor -> processors.add(status(processor, holds.get(processor.getName()))));
        database.segmentOwners().forEach((name, owners) -> {
            if (!all.containsKey(name)) {
                processors.add(elsewhere(name, owners, holds.get(name)));
            }
        });
        return Json.createObjectBuilder().add("processors", processors).build();
    }

    private Map<String, EventProcessor> local() {
        Map<String, EventProcessor> all = new TreeMap<>(processing.eventProcessors());
        all.putAll(versionProcessors.get());
        return all;
    }

    /** Holds the processor on every node until it is resumed. */
    private void pause(ServerRequest req, ServerResponse res) {
        String name = name(req);
        local(name).ifPresent(processor -> streaming(processor, "paused"));
        control.hold(name, PAUSED, false);
        LOG.info(() -> "processor '" + name + "' paused on every node");
        send(res, 200, status(name));
    }

    /** Ends a pause on every node (a stopped processor that was not paused starts again here). */
    private void resume(ServerRequest req, ServerResponse res) {
        String name = name(req);
        Optional<EventProcessor> local = local(name);
        local.ifPresent(processor -> streaming(processor, "resumed"));
        Optional<ProcessorHolds.Hold> hold = control.holdOf(name);
        if (hold.isPresent() && !hold.get().reason().equals(PAUSED)) {
            throw ApiException.conflict("processor '" + name + "' is held for a " + hold.get().reason() + ", not "
                    + "paused; it starts again by itself once that is over");
        }
        hold.ifPresent(control::release);
        local.filter(processor -> !processor.isRunning()).ifPresent(EventProcessor::start);
        LOG.info(() -> "processor '" + name + "' resumed");
        send(res, 200, status(name));
    }

    /**
     * Stops the processor on every node, resets its tokens — its reset handlers prepare the target first — and
     * starts it again: here when this node runs it, else on a projector node that does.
     */
    private void replay(ServerRequest req, ServerResponse res) {
        String name = name(req);
        Optional<EventProcessor> local = local(name);
        if (local.isPresent() && !streaming(local.get(), "replayed").supportsReset()) {
            throw ApiException.conflict("processor '" + name + "' cannot replay: none of its handlers "
                    + "takes part in a replay");
        }
        boolean started = control.replay(name, REPLAY_WAIT);
        LOG.info(() -> "processor '" + name + "' replays the log from the start"
                + (started ? "" : " once every projector node has stopped it"));
        send(res, 202, status(name));
    }

    /** The name in the path, of a processing group this node runs or that has tokens in the store. */
    private String name(ServerRequest req) {
        String name = req.path().pathParameters().get("name");
        if (local(name).isEmpty() && database.segmentOwners(name).isEmpty()) {
            throw new NotFoundException("no processing group '" + name + "'; GET /v1/admin/processors lists them");
        }
        return name;
    }

    private Optional<EventProcessor> local(String name) {
        return processing.eventProcessor(name).or(() -> Optional.ofNullable(versionProcessors.get().get(name)));
    }

    private JsonObject status(String name) {
        Optional<ProcessorHolds.Hold> hold = control.holdOf(name);
        return local(name).map(processor -> status(processor, hold.orElse(null)))
                .orElseGet(() -> elsewhere(name, database.segmentOwners(name), hold.orElse(null)));
    }

    private static StreamingEventProcessor streaming(EventProcessor processor, String what) {
        if (processor instanceof StreamingEventProcessor streaming) {
            return streaming;
        }
        throw ApiException.conflict("processor '" + processor.getName() + "' handles events as they are stored, in the "
                + "writer's unit of work; it has no position and cannot be " + what);
    }

    /** A processor that runs on other nodes only: its segments, who claims them and where their tokens stand. */
    private JsonObject elsewhere(String name, Map<Integer, String> owners, ProcessorHolds.Hold hold) {
        long head = log.headPosition();
        Map<Integer, org.axonframework.eventhandling.TrackingToken> tokens = database.storedTokens(name, serializer);
        JsonArrayBuilder segments = Json.createArrayBuilder();
        owners.forEach((segment, owner) -> {
            JsonObjectBuilder row = Json.createObjectBuilder().add("segment", segment);
            if (owner == null) {
                row.addNull("claimedBy");
            } else {
                row.add("claimedBy", owner);
            }
            org.axonframework.eventhandling.TrackingToken token = tokens.get(segment);
            OptionalLong position = token == null ? OptionalLong.empty() : token.position();
            if (position.isPresent()) {
                row.add("position", position.getAsLong()).add("lagEvents", Math.max(0, head - position.getAsLong()));
            } else {
                row.addNull("position").add("lagEvents", Math.max(0, head + 1));
            }
            segments.add(row);
        });
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("name", name)
                .add("kind", "streaming")
                .add("running", hold == null && owners.values().stream().anyMatch(java.util.Objects::nonNull))
                .add("error", false)
                .add("elsewhere", true)
                .add("head", head)
                .add("segments", segments);
        held(body, hold);
        return body.build();
    }

    private static void held(JsonObjectBuilder body, ProcessorHolds.Hold hold) {
        if (hold != null) {
            body.add("heldFor", hold.reason());
        }
    }

    private JsonObject status(EventProcessor processor, ProcessorHolds.Hold hold) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("name", processor.getName())
                .add("kind", processor instanceof StreamingEventProcessor ? "streaming" : "subscribing")
                .add("running", processor.isRunning())
                .add("error", processor.isError());
        held(body, hold);
        if (!(processor instanceof StreamingEventProcessor streaming)) {
            return body.build();
        }
        long head = log.headPosition();
        Optional<Instant> headTime = head < 0 ? Optional.empty() : log.timestampAt(head);
        Map<Integer, EventTrackerStatus> local = streaming.processingStatus();
        Map<Integer, String> owners = new TreeMap<>(database.segmentOwners(processor.getName()));
        local.keySet().forEach(segment -> owners.putIfAbsent(segment, nodeId));
        JsonArrayBuilder segments = Json.createArrayBuilder();
        for (Map.Entry<Integer, String> owner : owners.entrySet()) {
            JsonObjectBuilder segment = Json.createObjectBuilder().add("segment", owner.getKey());
            if (owner.getValue() == null) {
                segment.addNull("claimedBy");
            } else {
                segment.add("claimedBy", owner.getValue());
            }
            EventTrackerStatus status = local.get(owner.getKey());
            if (status != null) {
                describe(segment, status, head, headTime);
            }
            segments.add(segment);
        }
        body.add("head", head).add("segments", segments);
        if (processor instanceof PooledStreamingEventProcessor pooled) {
            body.add("maxClaimedSegments", pooled.maxCapacity());
        }
        return body.build();
    }

    /** What this node knows of a segment it claims. */
    private void describe(JsonObjectBuilder segment, EventTrackerStatus status, long head, Optional<Instant> headTime) {
        OptionalLong position = status.getCurrentPosition();
        segment.add("mask", status.getSegment().getMask());
        if (position.isPresent()) {
            long lag = Math.max(0, head - position.getAsLong());
            segment.add("position", position.getAsLong()).add("lagEvents", lag);
            Optional<Instant> at = lag == 0 ? headTime : log.timestampAt(position.getAsLong());
            if (headTime.isPresent() && at.isPresent()) {
                segment.add("lagSeconds", Math.max(0, Duration.between(at.get(), headTime.get()).toMillis()) / 1000.0);
            }
        } else {
            segment.addNull("position").add("lagEvents", Math.max(0, head + 1));
        }
        // Axon keeps a replay token until the first event after the reset point; at that point the
        // replay has done its work, so it is reported as over
        OptionalLong resetAt = status.getResetPosition();
        boolean replaying = status.isReplaying() && (resetAt.isEmpty() || position.isEmpty()
                || position.getAsLong() < resetAt.getAsLong());
        segment.add("caughtUp", status.isCaughtUp())
                .add("replaying", replaying);
        if (replaying && resetAt.isPresent()) {
            segment.add("replayingUntil", resetAt.getAsLong());
        }
        if (status.isErrorState()) {
            Throwable error = status.getError();
            segment.add("errorState", error == null ? "unknown error" : error.getClass().getSimpleName() + ": "
                    + error.getMessage());
        }
    }

    private static void send(ServerResponse res, int status, JsonObject body) {
        res.status(Status.create(status));
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(body.toString());
    }

    @Override
    public String toString() {
        return "ProcessorAdmin[" + nodeId.toLowerCase(Locale.ROOT) + "]";
    }
}
