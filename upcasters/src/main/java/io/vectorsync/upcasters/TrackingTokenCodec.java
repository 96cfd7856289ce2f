package io.vectorsync.upcasters;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.MergedTrackingToken;
import org.axonframework.eventhandling.MultiSourceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.ConfigToken;
import org.axonframework.serialization.SerializationException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Explicit JSON for every Axon tracking token Vectorsync can store. JSON-B cannot do this itself: the tokens have no
 * default constructors, and {@link ReplayToken}, {@link MergedTrackingToken} and {@link MultiSourceTrackingToken} hold
 * other tokens behind the {@link TrackingToken} interface. So each token object names its kind in {@value #TYPE}
 * (short names, not class names, so stored tokens do not depend on Axon's packages) and wrapped tokens nest.
 * <p>
 * What is not stored is what Axon's own serializers do not store either: the transient flags of a replay token
 * (whether the last event was a replay is recomputed from its positions) and of a merged token (which segment advanced
 * last). A merge is in progress exactly while the token is a {@code MergedTrackingToken}; that survives.
 * <p>
 * This is a stored format (token and dead-letter tables): change it only in ways that still read the old form.
 */
final class TrackingTokenCodec {

    static final String TYPE = "@type";

    // exact classes: a subclass would be read back as its parent, so it is refused when written
    private static final Set<Class<?>> KNOWN = Set.of(
            GlobalSequenceTrackingToken.class, GapAwareTrackingToken.class, ReplayToken.class,
            MergedTrackingToken.class, MultiSourceTrackingToken.class, ConfigToken.class);

    private final JsonProvider json;
    private final Function<Object, JsonValue> contextToJson;
    private final BiFunction<JsonValue, String, Object> contextFromJson;

    /**
     * @param contextToJson   writes a replay's reset context (any object) as JSON
     * @param contextFromJson reads it back, given the JSON and the context's class name
     */
    TrackingTokenCodec(JsonProvider json,
                       Function<Object, JsonValue> contextToJson,
                       BiFunction<JsonValue, String, Object> contextFromJson) {
        this.json = json;
        this.contextToJson = contextToJson;
        this.contextFromJson = contextFromJson;
    }

    JsonObject encode(TrackingToken token) {
        if (!KNOWN.contains(token.getClass())) {
            throw new SerializationException("No JSON form for tracking token " + token.getClass().getName());
        }
        return switch (token) {
            case GlobalSequenceTrackingToken global -> type("global-sequence")
                    .add("globalIndex", global.getGlobalIndex())
                    .build();
            case GapAwareTrackingToken gapAware -> {
                JsonArrayBuilder gaps = json.createArrayBuilder();
                gapAware.getGaps().forEach(gaps::add);
                yield type("gap-aware")
                        .add("index", gapAware.getIndex())
                        .add("gaps", gaps)
                        .build();
            }
            case ReplayToken replay -> type("replay")
                    .add("tokenAtReset", encodeNullable(replay.getTokenAtReset()))
                    .add("currentToken", encodeNullable(replay.getCurrentToken()))
                    .add("context", context(replay.context()))
                    .build();
            case MergedTrackingToken merged -> type("merged")
                    .add("lowerSegmentToken", encodeNullable(merged.lowerSegmentToken()))
                    .add("upperSegmentToken", encodeNullable(merged.upperSegmentToken()))
                    .build();
            case MultiSourceTrackingToken multiSource -> {
                JsonObjectBuilder sources = json.createObjectBuilder();
                multiSource.getTrackingTokens().forEach((name, source) -> sources.add(name, encodeNullable(source)));
                yield type("multi-source")
                        .add("trackingTokens", sources)
                        .build();
            }
            case ConfigToken config -> {
                JsonObjectBuilder entries = json.createObjectBuilder();
                config.getConfig().forEach(entries::add);
                yield type("config")
                        .add("config", entries)
                        .build();
            }
            default -> throw new IllegalStateException("unreachable: " + token.getClass());
        };
    }

    TrackingToken decode(JsonObject object) {
        String type = object.getString(TYPE, null);
        if (type == null) {
            throw new SerializationException("A tracking token needs \"" + TYPE + "\": " + object);
        }
        return switch (type) {
            case "global-sequence" -> new GlobalSequenceTrackingToken(number(object, "globalIndex"));
            case "gap-aware" -> {
                List<Long> gaps = new ArrayList<>();
                required(object, "gaps").asJsonArray().getValuesAs(JsonNumber.class)
                                        .forEach(gap -> gaps.add(gap.longValueExact()));
                yield GapAwareTrackingToken.newInstance(number(object, "index"), gaps);
            }
            case "replay" -> replay(object);
            case "merged" -> new MergedTrackingToken(decodeNullable(required(object, "lowerSegmentToken")),
                                                     decodeNullable(required(object, "upperSegmentToken")));
            case "multi-source" -> {
                // HashMap: a source that has not started yet has a null token
                Map<String, TrackingToken> sources = new HashMap<>();
                required(object, "trackingTokens").asJsonObject()
                                                  .forEach((name, source) -> sources.put(name, decodeNullable(source)));
                yield new MultiSourceTrackingToken(sources);
            }
            case "config" -> {
                Map<String, String> config = new HashMap<>();
                required(object, "config").asJsonObject()
                                          .forEach((key, value) -> config.put(key, ((JsonString) value).getString()));
                yield new ConfigToken(config);
            }
            default -> throw new SerializationException("Unknown tracking token type \"" + type + "\"");
        };
    }

    /**
     * Rebuilt through {@link ReplayToken#createReplayToken(TrackingToken, TrackingToken, Object)}, Axon's public way to
     * make one with a context. For every replay token a processor stores, it gives back an equal token; the check
     * turns the states it would rewrite (no token at reset, or a current token already past it) into an error
     * rather than a silently different position.
     */
    private TrackingToken replay(JsonObject object) {
        TrackingToken tokenAtReset = decodeNullable(required(object, "tokenAtReset"));
        TrackingToken currentToken = decodeNullable(required(object, "currentToken"));
        JsonValue storedContext = required(object, "context");
        Object context = storedContext.getValueType() == JsonValue.ValueType.NULL ? null
                : contextFromJson.apply(required(storedContext.asJsonObject(), "value"),
                                        ((JsonString) required(storedContext.asJsonObject(), "type")).getString());
        TrackingToken token = ReplayToken.createReplayToken(tokenAtReset, currentToken, context);
        if (!(token instanceof ReplayToken replay)
                || !Objects.equals(replay.getTokenAtReset(), tokenAtReset)
                || !Objects.equals(replay.getCurrentToken(), currentToken)) {
            throw new SerializationException("Not a replay position: tokenAtReset " + tokenAtReset
                                                     + ", currentToken " + currentToken);
        }
        return replay;
    }

    private static JsonValue required(JsonObject token, String key) {
        JsonValue value = token.get(key);
        if (value == null) {
            throw new SerializationException("Tracking token JSON lacks \"" + key + "\": " + token);
        }
        return value;
    }

    private static long number(JsonObject token, String key) {
        return ((JsonNumber) required(token, key)).longValueExact();
    }

    private JsonObjectBuilder type(String type) {
        return json.createObjectBuilder().add(TYPE, type);
    }

    private JsonValue encodeNullable(TrackingToken token) {
        return token == null ? JsonValue.NULL : encode(token);
    }

    private TrackingToken decodeNullable(JsonValue value) {
        return value.getValueType() == JsonValue.ValueType.NULL ? null : decode(value.asJsonObject());
    }

    /** The context's class travels with it: a reset context can be any object. */
    private JsonValue context(Object context) {
        if (context == null) {
            return JsonValue.NULL;
        }
        return json.createObjectBuilder()
                   .add("type", context.getClass().getName())
                   .add("value", contextToJson.apply(context))
                   .build();
    }
}
