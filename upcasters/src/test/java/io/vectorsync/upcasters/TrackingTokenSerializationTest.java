package io.vectorsync.upcasters;

import jakarta.json.JsonObject;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.MergedTrackingToken;
import org.axonframework.eventhandling.MultiSourceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.ConfigToken;
import org.axonframework.eventhandling.tokenstore.GenericTokenEntry;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrackingTokenSerializationTest {

    private static final GapAwareTrackingToken GAP_AWARE = GapAwareTrackingToken.newInstance(120, List.of(97L, 115L));
    private static final GlobalSequenceTrackingToken GLOBAL = new GlobalSequenceTrackingToken(120);

    private final JsonbSerializer serializer = JsonbSerializer.create();

    static Stream<TrackingToken> tokens() {
        Map<String, TrackingToken> sources = new HashMap<>();
        sources.put("events", new GlobalSequenceTrackingToken(41));
        sources.put("archive", GAP_AWARE);
        sources.put("not-started", null);
        return Stream.of(
                new GlobalSequenceTrackingToken(0),
                new GlobalSequenceTrackingToken(Long.MAX_VALUE),
                GapAwareTrackingToken.newInstance(7, List.of()),
                GAP_AWARE,
                ReplayToken.createReplayToken(GAP_AWARE),
                ReplayToken.createReplayToken(GAP_AWARE, GapAwareTrackingToken.newInstance(50, List.of(12L))),
                ReplayToken.createReplayToken(GAP_AWARE, null, "rebuild vector-index-v3"),
                ReplayToken.createReplayToken(GAP_AWARE, GapAwareTrackingToken.newInstance(3, List.of()),
                                              new RebuildContext("vector-index", 3)),
                new MergedTrackingToken(new GlobalSequenceTrackingToken(10), new GlobalSequenceTrackingToken(14)),
                // a replay in progress while two segments merge, and a merge of two replaying segments
                ReplayToken.createReplayToken(
                        new MergedTrackingToken(GapAwareTrackingToken.newInstance(90, List.of()), GAP_AWARE),
                        GapAwareTrackingToken.newInstance(20, List.of())),
                new MergedTrackingToken(ReplayToken.createReplayToken(GLOBAL, new GlobalSequenceTrackingToken(5)),
                                        ReplayToken.createReplayToken(GLOBAL, new GlobalSequenceTrackingToken(8))),
                new MultiSourceTrackingToken(sources),
                new ConfigToken(Map.of("id", "8b1c2f7e-3a9d-4c55-b0e6-1f2a3b4c5d6e")));
    }

    @ParameterizedTest
    @MethodSource("tokens")
    void roundTripsThroughEveryRepresentation(TrackingToken token) {
        for (Class<?> representation : List.of(byte[].class, String.class, JsonObject.class)) {
            SerializedObject<?> written = serializer.serialize(token, representation);

            assertThat(written.getType().getName()).isEqualTo(token.getClass().getName());
            TrackingToken read = serializer.deserialize(written);
            assertThat(read).as("read from " + representation.getSimpleName()).isEqualTo(token);
            assertThat(read.position()).isEqualTo(token.position());
        }
    }

    @ParameterizedTest
    @MethodSource("tokens")
    void roundTripsThroughATokenEntryAsTheJdbcTokenStoreStoresIt(TrackingToken token) {
        GenericTokenEntry<byte[]> written = new GenericTokenEntry<>(token, serializer, byte[].class, "vector-index", 0);
        // what the store reads back from its row: token bytes, token type name, timestamp, owner
        GenericTokenEntry<byte[]> read = new GenericTokenEntry<>(
                written.getSerializedToken().getData(), written.getTokenType().getName(), written.timestampAsString(),
                null, "vector-index", 0, byte[].class);

        assertThat(read.getToken(serializer)).isEqualTo(token);
    }

    @Test
    void aReplayStaysAReplayAndKeepsItsContext() {
        TrackingToken replay = ReplayToken.createReplayToken(GAP_AWARE, null, new RebuildContext("vector-index", 3));

        TrackingToken read = roundTrip(replay);

        assertThat(ReplayToken.isReplay(read)).isTrue();
        assertThat(ReplayToken.replayContext(read, RebuildContext.class))
                .contains(new RebuildContext("vector-index", 3));
        assertThat(ReplayToken.getTokenAtReset(read)).isEqualTo(OptionalLong.of(120));
    }

    @Test
    void aMergeInProgressStaysInProgressAtTheSamePosition() {
        TrackingToken merged = ReplayToken.createReplayToken(
                GLOBAL, new MergedTrackingToken(new GlobalSequenceTrackingToken(10), new GlobalSequenceTrackingToken(14)));

        TrackingToken read = roundTrip(merged);

        assertThat(MergedTrackingToken.isMergeInProgress(read)).isTrue();
        assertThat(MergedTrackingToken.mergePosition(read)).isEqualTo(MergedTrackingToken.mergePosition(merged));
    }

    @Test
    void nestedTokensAreWrittenWithTheirKind() {
        TrackingToken replay = ReplayToken.createReplayToken(
                new MergedTrackingToken(GapAwareTrackingToken.newInstance(90, List.of()), GAP_AWARE),
                GapAwareTrackingToken.newInstance(3, List.of()));

        JsonObject json = serializer.serialize(replay, JsonObject.class).getData();

        // a stored format: the token and dead-letter tables hold it
        assertThat(json.toString()).isEqualTo("""
                {"@type":"replay",\
                "tokenAtReset":{"@type":"merged",\
                "lowerSegmentToken":{"@type":"gap-aware","index":90,"gaps":[]},\
                "upperSegmentToken":{"@type":"gap-aware","index":120,"gaps":[97,115]}},\
                "currentToken":{"@type":"gap-aware","index":3,"gaps":[]},\
                "context":null}""");
    }

    @Test
    void aTokenTypeWithoutAJsonFormIsRefusedWhenWritten() {
        TrackingToken custom = new GlobalSequenceTrackingToken(1) {
        };

        assertThatThrownBy(() -> serializer.serialize(custom, byte[].class))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("No JSON form for tracking token");
    }

    @Test
    void aTokenWithAMissingFieldIsAClearError() {
        SimpleSerializedObject<String> broken = new SimpleSerializedObject<>(
                "{\"@type\":\"gap-aware\",\"gaps\":[]}", String.class, GapAwareTrackingToken.class.getName(), null);

        assertThatThrownBy(() -> serializer.deserialize(broken))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("lacks \"index\"");
    }

    private TrackingToken roundTrip(TrackingToken token) {
        return serializer.deserialize(serializer.serialize(token, byte[].class));
    }

    /** A reset context of the kind a rebuild passes to {@code resetTokens(context)}. */
    public record RebuildContext(String index, int version) {
    }
}
