package io.vectorsync.query.search;

import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.json.JsonInput;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.MetadataFilter.AnyOf;
import io.vectorsync.projections.index.MetadataFilter.Condition;
import io.vectorsync.projections.index.MetadataFilter.Equals;
import io.vectorsync.projections.index.MetadataFilter.Range;
import io.vectorsync.projections.index.SpaceSpec;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the body of {@code POST /{tenant}/search} into a {@link SearchRequest}. Every rejection is an
 * {@link InvalidInputException} naming the JSON path, which the API answers with a 400.
 *
 * <p>Filter syntax: each key of {@code filter} is a metadata field; a scalar value means equals, an
 * array of scalars means any of, and an object of {@code gt/gte/lt/lte} numbers means a range. All
 * conditions must hold.
 *
 * <p>Modes: {@code knn} (the default) takes a text or a vector; {@code hybrid} takes a text, and
 * optionally the vector to use for it, and no {@code minScore}.
 */
final class SearchRequestParser {

    static final int MAX_TEXT_LENGTH = 10_000;
    static final int DEFAULT_K = 10;
    static final int MAX_K = 100;
    static final int MAX_CONDITIONS = 32;
    static final int MAX_ANY_OF_VALUES = 100;

    private static final Set<String> FIELDS = Set.of("text", "vector", "space", "mode", "k", "filter", "minScore",
            "consistentWith", "indexVersion");
    private static final List<String> RANGE_OPERATORS = List.of("gt", "gte", "lt", "lte");
    private static final Set<JsonValue.ValueType> SCALARS =
            EnumSet.of(JsonValue.ValueType.STRING, JsonValue.ValueType.NUMBER, JsonValue.ValueType.TRUE, JsonValue.ValueType.FALSE);

    private final String defaultSpace;
    private final Map<String, SpaceSpec> spaces = new LinkedHashMap<>();

    SearchRequestParser(String defaultSpace, Collection<SpaceSpec> spaces) {
        spaces.forEach(space -> this.spaces.put(space.name(), space));
        if (!this.spaces.containsKey(defaultSpace)) {
            throw new IllegalArgumentException("default space '" + defaultSpace + "' is not one of the spaces " + this.spaces.keySet());
        }
        this.defaultSpace = defaultSpace;
    }

    private static final Set<String> SIMILAR_FIELDS = Set.of("space", "k", "filter", "minScore", "consistentWith");

    /**
     * The options of "similar to a document" (all optional, an empty body is fine): the vector comes
     * from the document, so the request has neither text nor vector.
     */
    SearchRequest parseSimilar(String tenant, String body) {
        DocumentIds.requireValidTenant(tenant);
        JsonInput input = JsonInput.parse(body == null || body.isBlank() ? "{}" : body, "body").allowOnly(SIMILAR_FIELDS);
        return new SearchRequest(tenant, space(input.optionalString("space")), SearchMode.KNN, null, null,
                k(input.optionalInt("k")), filter(input.optionalObject("filter")),
                minScore(input.optionalNumber("minScore")), consistentWith(input.optionalLong("consistentWith")), null);
    }

    SearchRequest parse(String tenant, String body) {
        DocumentIds.requireValidTenant(tenant);
        JsonInput input = JsonInput.parse(body, "body").allowOnly(FIELDS);

        SpaceSpec space = space(input.optionalString("space"));
        SearchMode mode = mode(input.optionalString("mode"));
        String text = null;
        float[] vector = null;
        if (mode == SearchMode.HYBRID) {
            // BM25 needs the words; the vector may come with them instead of from embedding them
            if (!input.has("text")) {
                throw new InvalidInputException("text", "is required in mode hybrid: the words are ranked by BM25");
            }
            text = text(input.requiredString("text"));
            if (input.has("vector")) {
                vector = vector(input.optionalVector("vector"), space);
            }
            if (input.has("minScore")) {
                throw new InvalidInputException("minScore", "does not apply in mode hybrid: its scores are fused "
                        + "ranks (Reciprocal Rank Fusion), not similarities");
            }
        } else if (input.has("text") && input.has("vector")) {
            throw new InvalidInputException("vector", "cannot be sent together with text; send one of them");
        } else if (input.has("vector")) {
            vector = vector(input.optionalVector("vector"), space);
        } else if (input.has("text")) {
            text = text(input.requiredString("text"));
        } else {
            throw new InvalidInputException("text", "is required unless a vector is sent");
        }
        Integer indexVersion = input.optionalInt("indexVersion");
        if (indexVersion != null && indexVersion < 1) {
            throw new InvalidInputException("indexVersion", "must be a version number, 1 or more");
        }
        if (indexVersion != null && input.has("consistentWith")) {
            throw new InvalidInputException("consistentWith", "applies to the live index; an index version is "
                    + "searched as it is");
        }
        return new SearchRequest(tenant, space, mode, text, vector, k(input.optionalInt("k")),
                filter(input.optionalObject("filter")), minScore(input.optionalNumber("minScore")),
                consistentWith(input.optionalLong("consistentWith")), indexVersion);
    }

    private static SearchMode mode(String mode) {
        if (mode == null) {
            return SearchMode.KNN;
        }
        for (SearchMode known : SearchMode.values()) {
            if (known.value().equals(mode)) {
                return known;
            }
        }
        throw new InvalidInputException("mode", "'" + mode + "' is not a search mode; use knn or hybrid");
    }

    private SpaceSpec space(String name) {
        if (name == null) {
            return spaces.get(defaultSpace);
        }
        SpaceSpec space = spaces.get(name);
        if (space == null) {
            throw new InvalidInputException("space", "'" + name + "' is not a known space; known spaces: " + spaces.keySet());
        }
        return space;
    }

    private static String text(String text) {
        if (text.isBlank()) {
            throw new InvalidInputException("text", "must not be blank");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new InvalidInputException("text", "has " + text.length() + " characters; at most " + MAX_TEXT_LENGTH + " are allowed");
        }
        return text;
    }

    private static float[] vector(float[] vector, SpaceSpec space) {
        if (vector.length != space.dimension()) {
            throw new InvalidInputException("vector", "has " + vector.length + " dimensions; space '" + space.name()
                    + "' needs " + space.dimension());
        }
        if (space.metric() == SpaceSpec.Metric.COSINE && isZero(vector)) {
            // a zero vector has no direction, so no cosine to any passage; the index would fail on it
            throw new InvalidInputException("vector", "is all zeros, which has no cosine similarity in space '"
                    + space.name() + "'");
        }
        return vector;
    }

    private static boolean isZero(float[] vector) {
        for (float value : vector) {
            if (value != 0f) {
                return false;
            }
        }
        return true;
    }

    private static int k(Integer k) {
        if (k == null) {
            return DEFAULT_K;
        }
        if (k < 1 || k > MAX_K) {
            throw new InvalidInputException("k", "must be between 1 and " + MAX_K);
        }
        return k;
    }

    private static Long consistentWith(Long position) {
        if (position != null && position < 0) {
            throw new InvalidInputException("consistentWith", "must be a position of the event log (0 or more), "
                    + "as a write's answer gives it");
        }
        return position;
    }

    private static Float minScore(Double minScore) {
        if (minScore == null) {
            return null;
        }
        if (minScore < 0 || minScore > 1) {
            throw new InvalidInputException("minScore", "must be between 0 and 1");
        }
        return minScore.floatValue();
    }

    private static MetadataFilter filter(JsonInput filter) {
        if (filter == null) {
            return MetadataFilter.NONE;
        }
        JsonObject fields = filter.raw();
        if (fields.size() > MAX_CONDITIONS) {
            throw new InvalidInputException("filter", "has " + fields.size() + " conditions; at most " + MAX_CONDITIONS + " are allowed");
        }
        List<Condition> conditions = new ArrayList<>(fields.size());
        fields.forEach((field, value) -> conditions.add(condition(field, value, filter.pathOf(field))));
        return new MetadataFilter(List.copyOf(conditions));
    }

    private static Condition condition(String field, JsonValue value, String path) {
        if (field.isBlank()) {
            throw new InvalidInputException("filter", "metadata field names must not be blank");
        }
        return switch (value.getValueType()) {
            case STRING, NUMBER, TRUE, FALSE -> new Equals(field, JsonInput.plain(value, path));
            case ARRAY -> anyOf(field, value.asJsonArray(), path);
            case OBJECT -> range(field, value.asJsonObject(), path);
            case NULL -> throw new InvalidInputException(path,
                    "must be a string, number or boolean, an array of them, or a range object; null matches nothing");
        };
    }

    private static AnyOf anyOf(String field, JsonArray array, String path) {
        if (array.isEmpty()) {
            throw new InvalidInputException(path, "must not be an empty array");
        }
        if (array.size() > MAX_ANY_OF_VALUES) {
            throw new InvalidInputException(path, "has " + array.size() + " values; at most " + MAX_ANY_OF_VALUES + " are allowed");
        }
        List<Object> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonValue item = array.get(i);
            String itemPath = path + "[" + i + "]";
            if (!SCALARS.contains(item.getValueType())) {
                throw new InvalidInputException(itemPath, "must be a string, number or boolean");
            }
            values.add(JsonInput.plain(item, itemPath));
        }
        return new AnyOf(field, List.copyOf(values));
    }

    private static Range range(String field, JsonObject bounds, String path) {
        for (String operator : bounds.keySet()) {
            if (!RANGE_OPERATORS.contains(operator)) {
                throw new InvalidInputException(path + "." + operator, "is not a range operator; use " + String.join(", ", RANGE_OPERATORS));
            }
        }
        if (bounds.isEmpty()) {
            throw new InvalidInputException(path, "must have at least one of " + String.join(", ", RANGE_OPERATORS));
        }
        // "gt 3 and gte 5" has one meaning, but it is always a mistake worth pointing at
        if (bounds.containsKey("gt") && bounds.containsKey("gte")) {
            throw new InvalidInputException(path, "may have gt or gte, not both");
        }
        if (bounds.containsKey("lt") && bounds.containsKey("lte")) {
            throw new InvalidInputException(path, "may have lt or lte, not both");
        }
        return new Range(field, bound(bounds, "gt", path), bound(bounds, "gte", path),
                bound(bounds, "lt", path), bound(bounds, "lte", path));
    }

    private static BigDecimal bound(JsonObject bounds, String operator, String path) {
        JsonValue value = bounds.get(operator);
        return value == null ? null : JsonInput.number(value, path + "." + operator);
    }
}
