/**
 * How stored events are written and read: {@link io.vectorsync.upcasters.JsonbSerializer}, the one serializer of the
 * system (JSON-B for messages, explicit JSON for metadata and tracking tokens), and
 * {@link io.vectorsync.upcasters.Upcasters#chain()}, which lifts events of old revisions to the current one.
 *
 * <h2>Adding an upcaster</h2>
 * An upcaster is a pure function from one revision of one event to the next: it works on the stored JSON
 * ({@link jakarta.json.JsonObject}), never on domain classes, and never calls a service, reads a clock or looks
 * anything up — a replay must give the same events every time.
 * <pre>{@code
 * final class DocumentCreated1To2 extends SingleEventUpcaster {
 *
 *     private static final SimpleSerializedType FROM =
 *             new SimpleSerializedType("io.vectorsync.domain.DocumentCreated", "1");
 *     private static final SimpleSerializedType TO =
 *             new SimpleSerializedType("io.vectorsync.domain.DocumentCreated", "2");
 *
 *     protected boolean canUpcast(IntermediateEventRepresentation event) {
 *         return event.getType().equals(FROM);
 *     }
 *
 *     protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
 *         return event.upcastPayload(TO, JsonObject.class, json -> Json.createObjectBuilder(json)
 *                 .add("language", "und")        // the new component, with the value old events mean
 *                 .build());
 *     }
 * }
 * }</pre>
 * Then list it in {@link io.vectorsync.upcasters.Upcasters#chain()}, keep the old fixture
 * {@code events/DocumentCreated/1.json}, add {@code events/DocumentCreated/2.json}, and update the expected object in
 * the fixture test: every fixture, old or new, must read as the current event.
 */
package io.vectorsync.upcasters;
