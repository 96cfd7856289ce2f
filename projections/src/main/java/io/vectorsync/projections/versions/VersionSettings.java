package io.vectorsync.projections.versions;

import io.vectorsync.json.Json;
import io.vectorsync.json.JsonInput;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;

import java.time.Instant;

/**
 * What a version of a space's index was built with, as a rebuild asked for it: each field null where the request
 * said nothing (the configured value then applies). Parsed once, from the admin API's request or the registry's
 * row, and typed from then on.
 *
 * @param quantization     the backend's name of a vector encoding ({@code none}, {@code int7}, {@code sq}, …)
 * @param autoSwap         swap it live as soon as it has caught up with the log
 * @param until            for a point-in-time version: the cut after which events are left out
 * @param model            the embedding model whose vectors it indexes (a re-embedding), null for the space's
 * @param reembedPerSecond how fast a re-embedding embeds documents (20 when null)
 */
public record VersionSettings(Integer hnswM, Integer hnswEfConstruction, Integer efSearch, Integer shards,
                              Integer replicas, String quantization, boolean autoSwap, String model,
                              Integer reembedPerSecond, Cut until) {

    /** Nothing asked for: every setting as configured. */
    public static final VersionSettings CONFIGURED = new VersionSettings(null, null, null, null, null, null, false,
            null, null, null);

    /**
     * A point-in-time cut: exactly one of a log position and an instant. An event is after the cut when its position
     * is above the position, or its timestamp after the instant.
     */
    public record Cut(Long position, Instant timestamp) {

        public Cut {
            if ((position == null) == (timestamp == null)) {
                throw new IllegalArgumentException("a cut is a position or a timestamp, not both nor neither");
            }
        }

        public boolean after(EventMessage<?> event) {
            return position != null
                    ? event instanceof TrackedEventMessage<?> tracked
                            && tracked.trackingToken().position().orElse(Long.MAX_VALUE) > position
                    : event.getTimestamp().isAfter(timestamp);
        }

        JsonObject toJson() {
            return position != null ? Json.createObjectBuilder().add("position", position).build()
                    : Json.createObjectBuilder().add("timestamp", timestamp.toString()).build();
        }
    }

    /** The role a new version built with these settings takes. */
    public Role initialRole() {
        return until != null ? Role.POINT_IN_TIME : Role.BUILDING;
    }

    /** As the registry stores it and the admin API shows it: the fields that were asked for. */
    public JsonObject toJson() {
        JsonObjectBuilder out = Json.createObjectBuilder();
        addIfSet(out, "hnswM", hnswM);
        addIfSet(out, "hnswEfConstruction", hnswEfConstruction);
        addIfSet(out, "efSearch", efSearch);
        addIfSet(out, "shards", shards);
        addIfSet(out, "replicas", replicas);
        if (quantization != null) {
            out.add("quantization", quantization);
        }
        out.add("autoSwap", autoSwap);
        if (model != null) {
            out.add("model", model);
        }
        addIfSet(out, "reembedPerSecond", reembedPerSecond);
        if (until != null) {
            out.add("until", until.toJson());
        }
        return out.build();
    }

    /** Reads what {@link #toJson} wrote (the registry's rows; older rows lack fields and are read as unset). */
    public static VersionSettings fromJson(String json) {
        JsonInput in = JsonInput.parse(json, "settings");
        JsonInput until = in.optionalObject("until");
        Cut cut = null;
        if (until != null) {
            String timestamp = until.optionalString("timestamp");
            cut = new Cut(until.optionalLong("position"), timestamp == null ? null : Instant.parse(timestamp));
        }
        Boolean autoSwap = in.optionalBoolean("autoSwap");
        return new VersionSettings(in.optionalInt("hnswM"), in.optionalInt("hnswEfConstruction"),
                in.optionalInt("efSearch"), in.optionalInt("shards"), in.optionalInt("replicas"),
                in.optionalString("quantization"), autoSwap != null && autoSwap, in.optionalString("model"),
                in.optionalInt("reembedPerSecond"), cut);
    }

    private static void addIfSet(JsonObjectBuilder out, String field, Integer value) {
        if (value != null) {
            out.add(field, value);
        }
    }
}
