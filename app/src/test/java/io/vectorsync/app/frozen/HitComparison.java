package io.vectorsync.app.frozen;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares ranked hits: the same documents in the same order, scores within {@link #TOLERANCE}.
 * Hits whose expected scores are within the tolerance of each other form a tie, compared as a set:
 * two indexes computing the same similarity in different float orders may swap them.
 */
final class HitComparison {

    static final double TOLERANCE = 1e-4;

    private HitComparison() {
    }

    /**
     * The differences, empty when the hits match. With {@code details}, every other field of a hit
     * (title, passage, metadata, version) must be equal too; numbers compare by value.
     */
    static List<String> differences(JsonArray expected, JsonArray actual, boolean details) {
        List<String> problems = new ArrayList<>();
        if (expected.size() != actual.size()) {
            problems.add("expected " + expected.size() + " hits " + ids(expected) + ", got " + actual.size() + " "
                    + ids(actual));
            return problems;
        }
        Map<String, JsonObject> actualById = new HashMap<>();
        actual.getValuesAs(JsonObject.class).forEach(hit -> actualById.put(hit.getString("documentId"), hit));
        int start = 0;
        while (start < expected.size()) {
            int end = start + 1;
            while (end < expected.size() && score(expected, end - 1) - score(expected, end) <= TOLERANCE) {
                end++;
            }
            Set<String> want = new HashSet<>(ids(expected).subList(start, end));
            Set<String> got = new HashSet<>(ids(actual).subList(start, end));
            if (!want.equals(got)) {
                problems.add("ranks " + (start + 1) + ".." + end + ": expected " + ids(expected).subList(start, end)
                        + ", got " + ids(actual).subList(start, end) + " (all expected " + ids(expected) + ", got "
                        + ids(actual) + ")");
                return problems;
            }
            start = end;
        }
        for (JsonObject want : expected.getValuesAs(JsonObject.class)) {
            String id = want.getString("documentId");
            JsonObject got = actualById.get(id);
            double delta = Math.abs(want.getJsonNumber("score").doubleValue() - got.getJsonNumber("score").doubleValue());
            if (delta > TOLERANCE) {
                problems.add(id + ": score " + got.get("score") + ", expected " + want.get("score"));
            }
            if (details) {
                for (String field : want.keySet()) {
                    if (!field.equals("score") && !sameJson(want.get(field), got.get(field))) {
                        problems.add(id + ": " + field + " is " + got.get(field) + ", expected " + want.get(field));
                    }
                }
            }
        }
        return problems;
    }

    static List<String> ids(JsonArray hits) {
        return hits.getValuesAs(JsonObject.class).stream().map(hit -> hit.getString("documentId")).toList();
    }

    private static double score(JsonArray hits, int i) {
        return hits.getJsonObject(i).getJsonNumber("score").doubleValue();
    }

    /** Structural equality in which numbers are equal by value (2024 and 2024.0 are the same number). */
    /**
     * A history as revision 1 answered it: each event's {@code position} in the log was added to histories later
     * (for point-in-time builds), so the frozen answers do not have it; everything else must be the same.
     */
    static JsonValue asFrozen(JsonValue history) {
        if (!(history instanceof JsonObject object) || !object.containsKey("events")) {
            return history;
        }
        var events = io.vectorsync.json.Json.createArrayBuilder();
        object.getJsonArray("events").forEach(event -> events.add(eventAsFrozen(event)));
        return io.vectorsync.json.Json.createObjectBuilder(object).add("events", events).build();
    }

    /** One history event without its {@code position} (see {@link #asFrozen}). */
    static JsonValue eventAsFrozen(JsonValue event) {
        return io.vectorsync.json.Json.createObjectBuilder(event.asJsonObject()).remove("position").build();
    }

    static boolean sameJson(JsonValue a, JsonValue b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof JsonNumber x && b instanceof JsonNumber y) {
            return x.bigDecimalValue().compareTo(y.bigDecimalValue()) == 0;
        }
        if (a.getValueType() != b.getValueType()) {
            return false;
        }
        if (a instanceof JsonObject x && b instanceof JsonObject y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            return x.keySet().stream().allMatch(key -> sameJson(x.get(key), y.get(key)));
        }
        if (a instanceof JsonArray x && b instanceof JsonArray y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameJson(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
