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

    private final EventProcessingConfiguration processing;
    private final java.util.function.Supplier<Map<String, EventProcessor>> versionProcessors;
    private final EventStoreDatabase database;
    private final LogPositions log;
    private final String nodeId;

    /**
     * @param versionProcessors the processors that feed index versions other than the live one: built at
     *                          runtime, so not in Axon's configuration, but processing groups all the same
     * @param database          the token store's table: which node claims each segment
     * @param log               the head of the event log and the times of its events, for the lag
     */
    public ProcessorAdmin(EventProcessingConfiguration processing, java.util.function.Supplier<Map<String, EventProcessor>> versionProcessors,
                   EventStoreDatabase database, LogPositions log, String nodeId) {
        this.processing = processing;
        this.versionProcessors = versionProcessors;
        this.database = database;
        this.log = log;
        this.nodeId = nodeId;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/processors", this::list)
                .get("/processors/{name}", (req, res) -> send(res, 200, status(processor(req))))
                .post("/processors/{name}/pause", this::pause)
                .post("/processors/{name}/resume", this::resume)
                .post("/processors/{name}/replay", this::replay);
    }

    private void list(ServerRequest req, ServerResponse res) {
        send(res, 200, all());
    }

    /** Every processing group's status: what {@code GET /processors} answers and the console's stream pushes. */
    public JsonObject all() {
        JsonArrayBuilder processors = Json.createArrayBuilder();
        Map<String, EventProcessor> all = new TreeMap<>(processing.eventProcessors());
        all.putAll(versionProcessors.get());
        all.values().forEach(processor -> processors.add(status(processor)));
        return Json.createObjectBuilder().add("processors", processors).build();
    }

    private void pause(ServerRequest req, ServerResponse res) {
        EventProcessor processor = processor(req);
        streaming(processor, "paused");
        processor.shutDown();
        LOG.info(() -> "processor '" + processor.getName() + "' paused");
        send(res, 200, status(processor));
    }

    private void resume(ServerRequest req, ServerResponse res) {
        EventProcessor processor = processor(req);
        streaming(processor, "resumed");
        processor.start();
        LOG.info(() -> "processor '" + processor.getName() + "' resumed");
        send(res, 200, status(processor));
    }

    private void replay(ServerRequest req, ServerResponse res) {
        EventProcessor processor = processor(req);
        StreamingEventProcessor streaming = streaming(processor, "replayed");
        if (!streaming.supportsReset()) {
            throw ApiException.conflict("processor '" + processor.getName() + "' cannot replay: none of its handlers "
                    + "takes part in a replay");
        }
        processor.shutDown();
        streaming.resetTokens(); // runs the reset handlers: the target is prepared before the first event
        processor.start();
        LOG.info(() -> "processor '" + processor.getName() + "' replays the log from the start");
        send(res, 202, status(processor));
    }

    private EventProcessor processor(ServerRequest req) {
        String name = req.path().pathParameters().get("name");
        return processing.eventProcessor(name)
                .or(() -> Optional.ofNullable(versionProcessors.get().get(name)))
                .orElseThrow(() -> new NotFoundException("no processing group '" + name + "'; GET /v1/admin/processors "
                        + "lists them"));
    }

    private static StreamingEventProcessor streaming(EventProcessor processor, String what) {
        if (processor instanceof StreamingEventProcessor streaming) {
            return streaming;
        }
        throw ApiException.conflict("processor '" + processor.getName() + "' handles events as they are stored, in the "
                + "writer's unit of work; it has no position and cannot be " + what);
    }

    public JsonObject status(EventProcessor processor) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("name", processor.getName())
                .add("kind", processor instanceof StreamingEventProcessor ? "streaming" : "subscribing")
                .add("running", processor.isRunning())
                .add("error", processor.isError());
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
