package io.vectorsync.upcasters;

import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain is empty today, so this proves with a made-up older revision that an upcaster written the documented
 * way gets the stored event as a {@link JsonObject} from this serializer, and that its output reads as the event.
 */
class JsonObjectUpcastingTest {

    private final JsonbSerializer serializer = JsonbSerializer.create();

    @Test
    void anUpcasterWorksOnTheStoredJsonObject() {
        // a hypothetical revision 0 of DocumentDeleted that called the reason "why"
        byte[] stored = """
                {"tenant":"acme","documentId":"handbook-7","why":"archived in Confluence"}"""
                .getBytes(StandardCharsets.UTF_8);
        GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>(
                "Document", "acme/handbook-7", 5, "e1", Instant.parse("2025-11-03T09:15:00Z"),
                DocumentDeleted.class.getName(), "0", stored,
                serializer.serialize(MetaData.emptyInstance(), byte[].class).getData());

        List<? extends DomainEventMessage<?>> read = EventStreamUtils.asStream(
                EventStreamUtils.upcastAndDeserializeDomainEvents(
                        Stream.of(entry), serializer, new EventUpcasterChain(new RenameWhyToReason()))).toList();

        assertThat(read).singleElement()
                        .extracting(DomainEventMessage::getPayload)
                        .isEqualTo(new DocumentDeleted("acme", "handbook-7", "archived in Confluence"));
    }

    private static final class RenameWhyToReason extends SingleEventUpcaster {

        private static final SimpleSerializedType FROM = new SimpleSerializedType(DocumentDeleted.class.getName(), "0");
        private static final SimpleSerializedType TO = new SimpleSerializedType(DocumentDeleted.class.getName(), "1");

        @Override
        protected boolean canUpcast(IntermediateEventRepresentation event) {
            return event.getType().equals(FROM);
        }

        @Override
        protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
            return event.upcastPayload(TO, JsonObject.class, json -> Json.createObjectBuilder(json)
                    .remove("why")
                    .add("reason", json.get("why"))
                    .build());
        }
    }
}
