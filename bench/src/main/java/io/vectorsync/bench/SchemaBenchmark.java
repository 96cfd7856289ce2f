package io.vectorsync.bench;

import io.vectorsync.command.encoder.MiniLmEmbeddingModel;
import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EmbeddingProvenance;
import io.vectorsync.json.Float32Base64;
import io.vectorsync.json.Json;
import io.vectorsync.upcasters.JsonbSerializer;
import io.vectorsync.upcasters.Upcasters;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.messaging.MetaData;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.median;
import static io.vectorsync.bench.BenchSupport.stringArg;

/**
 * What revision 2 of {@code DocumentEmbedded} saves (issue 5): the same events in revision-1 form (vectors as JSON
 * decimal arrays, written exactly as the revision-1 serializer wrote them) and in revision-2 form (base64 float32,
 * written by the current {@link JsonbSerializer}), side by side in one run:
 * <ul>
 *     <li>(a) payload bytes per event: the frozen revision-1 store's real {@code DocumentEmbedded} rows (their
 *     revision-2 form is what the upcaster chain makes of them, written by the current serializer), and a synthetic
 *     set of 384-dimension unit vectors in 1–3 chunks;</li>
 *     <li>(b) replay: every row read the way the event store reads it,
 *     {@link EventStreamUtils#upcastAndDeserializeDomainEvents} with {@link Upcasters#chain()}, payload and message
 *     metadata deserialized, in three forms: revision-1 rows upcast by the three upcasters (old events now),
 *     revision-2 rows (new events, no upcaster), and as the baseline the same revision-1 rows read straight into the
 *     revision-1 shape (a replay before revision 2). Warm-up rounds first, then rounds rotating the order of the
 *     forms; events per second, medians.</li>
 * </ul>
 * Before timing, every row of both forms is read once and must give the same event, so the two forms hold the same
 * facts; and the revision-1 writer here must reproduce the frozen store's payloads byte for byte.
 * <p>
 * Usage (bench/schema builds and runs it from the repository root): SchemaBenchmark [--events 20000] [--rounds 7]
 * [--warmup 2] [--seed 5] [--frozen app/src/test/resources/frozen/revision-1/events.jsonl.gz]
 */
public final class SchemaBenchmark {

    private static final String EMBEDDED = DocumentEmbedded.class.getName();
    private static final int DIMENSION = 384;
    private static final String FROZEN = "app/src/test/resources/frozen/revision-1/events.jsonl.gz";
    /** How often the frozen rows are read per timed pass, so a pass takes long enough to time. */
    private static final int FROZEN_EVENTS_PER_PASS = 10_000;
    /** The three forms replayed: revision-1 bytes as the code before revision 2 read them, the same bytes upcast, revision 2. */
    private static final String DIRECT = "revision 1 read directly (before 94a3125)";
    private static final String UPCAST = "revision 1 upcast to 2 (old events now)";
    private static final String CURRENT = "revision 2 (new events)";

    public static void main(String[] args) throws Exception {
        int events = intArg(args, "--events", 20_000);
        int rounds = intArg(args, "--rounds", 7);
        int warmup = intArg(args, "--warmup", 2);
        long seed = intArg(args, "--seed", 5);
        Path frozenFile = Path.of(stringArg(args, "--frozen", FROZEN));

        JsonbSerializer serializer = JsonbSerializer.create();
        Revision1Writer revision1 = new Revision1Writer();

        // ---- the frozen store -------------------------------------------------------------------------
        List<JsonObject> rows = readRows(frozenFile);
        List<GenericDomainEventEntry<byte[]>> frozen1 = new ArrayList<>();
        List<GenericDomainEventEntry<byte[]>> frozen2 = new ArrayList<>();
        List<String> frozenSpaces = new ArrayList<>();
        long storeBytes1 = 0;
        long storeBytes2 = 0;
        int rewrittenExactly = 0;
        for (JsonObject row : rows) {
            byte[] payload = row.getString("payload").getBytes(StandardCharsets.UTF_8);
            byte[] metaData = row.getString("metaData").getBytes(StandardCharsets.UTF_8);
            storeBytes1 += payload.length + metaData.length;
            if (!row.getString("payloadType").equals(EMBEDDED)) {
                storeBytes2 += payload.length + metaData.length; // every other event is still at revision 1
                continue;
            }
            if (!row.getString("payloadRevision").equals("1")) {
                throw new IllegalStateException("the frozen store holds a DocumentEmbedded of revision "
                        + row.getString("payloadRevision"));
            }
            GenericDomainEventEntry<byte[]> old = entry(row, "1", payload, metaData);
            DocumentEmbedded event = (DocumentEmbedded) replayAll(List.of(old), serializer).getFirst();
            byte[] current = serializer.serialize(event, byte[].class).getData();
            storeBytes2 += current.length + metaData.length;
            frozen1.add(old);
            frozen2.add(entry(row, "2", current, metaData));
            frozenSpaces.add(event.space());
            if (revision1.write(inStoredOrder(event, row.getString("payload"))).equals(row.getString("payload"))) {
                rewrittenExactly++;
            }
        }
        System.out.printf(Locale.ROOT, "frozen store %s: %d rows, %d DocumentEmbedded; the revision-1 writer here "
                + "reproduces %d of them byte for byte%n", frozenFile, rows.size(), frozen1.size(), rewrittenExactly);
        if (rewrittenExactly != frozen1.size()) {
            throw new IllegalStateException("the revision-1 writer does not write as the revision-1 code did");
        }
        requireSameEvents("frozen", frozen1, frozen2, null, serializer);

        // ---- the synthetic set ------------------------------------------------------------------------
        List<DocumentEmbedded> synthetic = synthetic(events, seed);
        List<GenericDomainEventEntry<byte[]>> synthetic1 = new ArrayList<>(events);
        List<GenericDomainEventEntry<byte[]>> synthetic2 = new ArrayList<>(events);
        Random ids = new Random(seed + 1);
        long decimalVectorChars = 0;
        long vectors = 0;
        long textChars = 0;
        for (DocumentEmbedded event : synthetic) {
            byte[] metaData = serializer.serialize(MetaData.with("traceId", uuid(ids)).and("correlationId", uuid(ids)),
                    byte[].class).getData();
            String eventId = uuid(ids);
            synthetic1.add(entry(event, eventId, "1", revision1.write(event).getBytes(StandardCharsets.UTF_8), metaData));
            synthetic2.add(entry(event, eventId, "2", serializer.serialize(event, byte[].class).getData(), metaData));
            for (EmbeddedChunk chunk : event.chunks()) {
                decimalVectorChars += revision1.vector(chunk.vector()).length();
                textChars += chunk.text().length();
                vectors++;
            }
        }
        requireSameEvents("synthetic", synthetic1, synthetic2, synthetic, serializer);
        System.out.printf(Locale.ROOT, "synthetic: %,d DocumentEmbedded, %,d chunks of %d dimensions (%.2f per event), "
                        + "%.0f characters of text per chunk; a vector takes %.0f bytes as decimals, %d as base64%n",
                events, vectors, DIMENSION, (double) vectors / events, (double) textChars / vectors,
                (double) decimalVectorChars / vectors, Float32Base64.encode(new float[DIMENSION]).length());

        // ---- (a) bytes ---------------------------------------------------------------------------------
        System.out.println();
        System.out.println("(a) payload bytes per DocumentEmbedded event");
        System.out.println("| events | n | revision 1 mean | revision 2 mean | ratio | revision 1 median | revision 2 median | ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        bytesRow("frozen store, all", frozen1, frozen2, i -> true);
        bytesRow("frozen store, space default (MiniLM, 384 dims)", frozen1, frozen2,
                i -> frozenSpaces.get(i).equals("default"));
        bytesRow("frozen store, space catalog (client, 8 dims)", frozen1, frozen2,
                i -> frozenSpaces.get(i).equals("catalog"));
        bytesRow("synthetic, 384 dims, 1-3 chunks", synthetic1, synthetic2, i -> true);
        System.out.printf(Locale.ROOT, "whole frozen store (%d rows, payload + metadata): %,d bytes at revision 1, "
                        + "%,d with DocumentEmbedded at revision 2 (%.2f)%n",
                rows.size(), storeBytes1, storeBytes2, (double) storeBytes2 / storeBytes1);

        // ---- (b) replay --------------------------------------------------------------------------------
        int frozenRepeats = Math.max(1, FROZEN_EVENTS_PER_PASS / frozen1.size());
        Map<String, List<GenericDomainEventEntry<byte[]>>> passes = new LinkedHashMap<>();
        for (String set : List.of("synthetic", "frozen")) {
            List<GenericDomainEventEntry<byte[]>> old = set.equals("synthetic") ? synthetic1 : repeat(frozen1, frozenRepeats);
            List<GenericDomainEventEntry<byte[]>> current = set.equals("synthetic") ? synthetic2 : repeat(frozen2, frozenRepeats);
            List<GenericDomainEventEntry<byte[]>> direct = old.stream().map(SchemaBenchmark::asRevision1Class).toList();
            requireSameFacts(set, direct, old, serializer);
            passes.put(set + ", " + DIRECT, direct);
            passes.put(set + ", " + UPCAST, old);
            passes.put(set + ", " + CURRENT, current);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "(b) replay: upcastAndDeserializeDomainEvents with Upcasters.chain(), payload "
                        + "and metadata read; %d warm-up and %d measured rounds, the order of the three forms rotating; "
                        + "frozen rows read %d times per pass (%,d events)%n", warmup, rounds, frozenRepeats,
                frozenRepeats * frozen1.size());
        List<String> forms = List.of(DIRECT, UPCAST, CURRENT);
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int round = 1 - warmup; round <= rounds; round++) {
            StringBuilder line = new StringBuilder(round < 1 ? "warm-up:" : "round " + round + ":");
            for (int f = 0; f < forms.size(); f++) {
                String form = forms.get(Math.floorMod(round + f, forms.size()));
                for (String set : List.of("synthetic", "frozen")) {
                    double rate = rate(passes.get(set + ", " + form), serializer);
                    line.append(String.format(Locale.ROOT, " %s %s %,.0f/s;", set, form, rate));
                    if (round >= 1) {
                        rates.computeIfAbsent(set + ", " + form, k -> new ArrayList<>()).add(rate);
                    }
                }
            }
            System.out.println(line);
        }
        System.out.println();
        System.out.println("| events | form | events/s per round | median events/s | µs/event | vs revision 1 read directly |");
        System.out.println("|---|---|---|---|---|---|");
        for (String set : List.of("synthetic", "frozen")) {
            double baseline = median(rates.get(set + ", " + DIRECT));
            for (String form : forms) {
                List<Double> values = rates.get(set + ", " + form);
                double rate = median(values);
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %,.0f | %.1f | %.2f |%n", set, form, list(values),
                        rate, 1e6 / rate, rate / baseline);
            }
        }
        for (String set : List.of("synthetic", "frozen")) {
            System.out.printf(Locale.ROOT, "%s: revision 2 / revision 1 upcast = %.2f (median events/s)%n", set,
                    median(rates.get(set + ", " + CURRENT)) / median(rates.get(set + ", " + UPCAST)));
        }
    }

    // ---- data -----------------------------------------------------------------------------------------

    private static List<JsonObject> readRows(Path file) throws IOException {
        List<JsonObject> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rows.add(Json.createReader(new StringReader(line)).readObject());
            }
        }
        return rows;
    }

    /** A frozen row as the event store hands it to Axon, with the given revision and payload. */
    private static GenericDomainEventEntry<byte[]> entry(JsonObject row, String revision, byte[] payload, byte[] metaData) {
        return new GenericDomainEventEntry<>(row.getString("type"), row.getString("aggregateIdentifier"),
                row.getJsonNumber("sequenceNumber").longValueExact(), row.getString("eventIdentifier"),
                Instant.parse(row.getString("timeStamp")), EMBEDDED, revision, payload, metaData);
    }

    /**
     * The event with its metadata in the order of the stored JSON: JSON-B reads a map into a hash map, so an
     * event read back writes its metadata in another order than it was stored in (same bytes, other places).
     */
    private static DocumentEmbedded inStoredOrder(DocumentEmbedded event, String payload) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String key : Json.createReader(new StringReader(payload)).readObject().getJsonObject("metadata").keySet()) {
            metadata.put(key, event.metadata().get(key));
        }
        return new DocumentEmbedded(event.tenant(), event.documentId(), event.contentRevision(), event.space(),
                event.provenance(), event.dimension(), event.title(), metadata, event.chunks());
    }

    static GenericDomainEventEntry<byte[]> entry(DocumentEmbedded event, String eventId, String revision,
                                                         byte[] payload, byte[] metaData) {
        return new GenericDomainEventEntry<>("Document", event.tenant() + "/" + event.documentId(), 1, eventId,
                Instant.parse("2026-11-27T10:00:00Z"), EMBEDDED, revision, payload, metaData);
    }

    /**
     * {@code count} events of the default space as the MiniLM encoder records them: 384-dimension unit vectors
     * (Gaussian, normalised), 1–3 chunks cut from a help-desk text at sentence ends, metadata of four values.
     */
    static List<DocumentEmbedded> synthetic(int count, long seed) {
        Random random = new Random(seed);
        List<IngestBenchmark.Doc> docs = Corpus.documents(count, seed);
        ChunkerSettings chunker = new ChunkerSettings("recursive", 200, 20);
        EmbeddingProvenance provenance = new EmbeddingProvenance("all-minilm-l6-v2", MiniLmEmbeddingModel.VERSION,
                true, chunker);
        String[] teams = {"support", "billing", "maintenance", "people-ops", "logistics"};
        List<DocumentEmbedded> events = new ArrayList<>(count);
        for (IngestBenchmark.Doc doc : docs) {
            String body = doc.body().replace("\\n\\n", "\n\n");
            List<int[]> spans = spans(body, 1 + random.nextInt(3));
            List<EmbeddedChunk> chunks = new ArrayList<>(spans.size());
            for (int c = 0; c < spans.size(); c++) {
                int[] span = spans.get(c);
                chunks.add(EmbeddedChunk.of(c, span[0], span[1], body.substring(span[0], span[1]), unit(random)));
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("team", teams[random.nextInt(teams.length)]);
            metadata.put("year", new BigDecimal(2018 + random.nextInt(8)));
            metadata.put("public", random.nextBoolean());
            metadata.put("tags", List.of("help", teams[random.nextInt(teams.length)]));
            events.add(new DocumentEmbedded("bench", doc.id(), 1 + random.nextInt(3), "default", provenance,
                    DIMENSION, doc.title(), metadata, chunks));
        }
        return events;
    }

    /** Up to {@code parts} spans of about equal length covering the body, each ending after a sentence. */
    private static List<int[]> spans(String body, int parts) {
        List<int[]> spans = new ArrayList<>();
        int start = 0;
        for (int p = 1; p <= parts && start < body.length(); p++) {
            int end = p == parts ? body.length() : body.indexOf(". ", body.length() * p / parts);
            end = end < 0 ? body.length() : Math.min(body.length(), end + 1);
            spans.add(new int[]{start, end});
            start = end;
            while (start < body.length() && Character.isWhitespace(body.charAt(start))) {
                start++;
            }
        }
        return spans;
    }

    private static float[] unit(Random random) {
        float[] vector = new float[DIMENSION];
        double norm = 0;
        for (int d = 0; d < DIMENSION; d++) {
            double value = random.nextGaussian();
            vector[d] = (float) value;
            norm += value * value;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < DIMENSION; d++) {
            vector[d] *= scale;
        }
        return vector;
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static <T> List<T> repeat(List<T> items, int times) {
        List<T> out = new ArrayList<>(items.size() * times);
        for (int t = 0; t < times; t++) {
            out.addAll(items);
        }
        return out;
    }

    // ---- checks and measurements ----------------------------------------------------------------------

    /**
     * Both forms must read as the same events (and as {@code expected}, when given), except for the model version
     * of the provenance: the upcaster names the weights revision 1 shipped, the synthetic events the current ones.
     */
    private static void requireSameEvents(String name, List<GenericDomainEventEntry<byte[]>> old,
                                          List<GenericDomainEventEntry<byte[]>> current, List<DocumentEmbedded> expected,
                                          JsonbSerializer serializer) {
        List<Object> fromOld = replayAll(old, serializer);
        List<Object> fromCurrent = replayAll(current, serializer);
        for (int i = 0; i < fromOld.size(); i++) {
            DocumentEmbedded a = withoutModelVersion((DocumentEmbedded) fromOld.get(i));
            DocumentEmbedded b = withoutModelVersion((DocumentEmbedded) fromCurrent.get(i));
            if (!a.equals(b) || (expected != null && !a.equals(withoutModelVersion(expected.get(i))))) {
                throw new IllegalStateException(name + " event " + i + " reads differently from its two forms:\n"
                        + a + "\n" + b);
            }
        }
    }

    /**
     * The same row under the type name of {@link Revision1Event}, so that no upcaster matches it and the serializer
     * reads the decimal vectors straight into the revision-1 shape: what a replay cost before revision 2 (the
     * serializer still reads decimal arrays with the same {@code FloatParser} path it had then).
     */
    private static GenericDomainEventEntry<byte[]> asRevision1Class(GenericDomainEventEntry<byte[]> entry) {
        return new GenericDomainEventEntry<>(entry.getType(), entry.getAggregateIdentifier(), entry.getSequenceNumber(),
                entry.getEventIdentifier(), entry.getTimestamp(), Revision1Event.class.getName(), "1",
                entry.getPayload().getData(), entry.getMetaData().getData());
    }

    /** The revision-1 shape read directly holds the same facts as the event the upcasters make of the same bytes. */
    private static void requireSameFacts(String name, List<GenericDomainEventEntry<byte[]>> direct,
                                         List<GenericDomainEventEntry<byte[]>> upcast, JsonbSerializer serializer) {
        List<Object> fromDirect = replayAll(direct, serializer);
        List<Object> fromUpcast = replayAll(upcast, serializer);
        for (int i = 0; i < fromDirect.size(); i++) {
            Revision1Event old = (Revision1Event) fromDirect.get(i);
            DocumentEmbedded current = (DocumentEmbedded) fromUpcast.get(i);
            boolean same = old.documentId().equals(current.documentId()) && old.title().equals(current.title())
                    && old.metadata().equals(current.metadata()) && old.model().equals(current.model())
                    && old.chunker().equals(current.chunker()) && old.chunks().size() == current.chunks().size();
            for (int c = 0; same && c < old.chunks().size(); c++) {
                Revision1Chunk a = old.chunks().get(c);
                EmbeddedChunk b = current.chunks().get(c);
                same = a.index() == b.index() && a.start() == b.start() && a.end() == b.end()
                        && a.text().equals(b.text()) && Arrays.equals(a.vector(), b.vector());
            }
            if (!same) {
                throw new IllegalStateException(name + " event " + i + " reads differently directly and upcast");
            }
        }
    }

    private static DocumentEmbedded withoutModelVersion(DocumentEmbedded event) {
        EmbeddingProvenance p = event.provenance();
        return new DocumentEmbedded(event.tenant(), event.documentId(), event.contentRevision(), event.space(),
                new EmbeddingProvenance(p.model(), null, p.normalized(), p.chunker()), event.dimension(),
                event.title(), event.metadata(), event.chunks());
    }

    private static List<Object> replayAll(List<GenericDomainEventEntry<byte[]>> entries, JsonbSerializer serializer) {
        DomainEventStream stream = EventStreamUtils.upcastAndDeserializeDomainEvents(entries.stream(), serializer,
                Upcasters.chain());
        List<Object> payloads = new ArrayList<>(entries.size());
        while (stream.hasNext()) {
            payloads.add(stream.next().getPayload());
        }
        return payloads;
    }

    /** Events per second of one pass over the entries, reading each message's payload and metadata. */
    static double rate(List<GenericDomainEventEntry<byte[]>> entries, JsonbSerializer serializer) {
        System.gc(); // the previous pass's garbage is not this pass's cost
        long start = System.nanoTime();
        DomainEventStream stream = EventStreamUtils.upcastAndDeserializeDomainEvents(entries.stream(), serializer,
                Upcasters.chain());
        long sink = 0;
        int read = 0;
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            sink += (message.getPayload() == null ? 0 : 1) + message.getMetaData().size();
            read++;
        }
        double seconds = BenchSupport.seconds(start);
        if (read != entries.size() || sink == 0) {
            throw new IllegalStateException("read " + read + " of " + entries.size() + " events");
        }
        return read / seconds;
    }

    private static void bytesRow(String name, List<GenericDomainEventEntry<byte[]>> old,
                                 List<GenericDomainEventEntry<byte[]>> current, Predicate<Integer> which) {
        List<Double> oldBytes = new ArrayList<>();
        List<Double> currentBytes = new ArrayList<>();
        for (int i = 0; i < old.size(); i++) {
            if (which.test(i)) {
                oldBytes.add((double) old.get(i).getPayload().getData().length);
                currentBytes.add((double) current.get(i).getPayload().getData().length);
            }
        }
        double oldMean = mean(oldBytes);
        double currentMean = mean(currentBytes);
        double oldMedian = median(oldBytes);
        double currentMedian = median(currentBytes);
        System.out.printf(Locale.ROOT, "| %s | %,d | %,.0f | %,.0f | %.2f | %,.0f | %,.0f | %.2f |%n", name,
                oldBytes.size(), oldMean, currentMean, currentMean / oldMean, oldMedian, currentMedian,
                currentMedian / oldMedian);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String list(List<Double> values) {
        StringBuilder out = new StringBuilder();
        for (double value : values) {
            out.append(out.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f", value));
        }
        return out.toString();
    }

    // ---- revision 1 as its code wrote it --------------------------------------------------------------

    /**
     * {@code DocumentEmbedded} in its revision-1 shape, written as the serializer of revision 1 wrote it (commit
     * 42a5e98): JSON-B (Yasson) with null values written, properties in Yasson's default lexicographic order, and
     * each vector component as its shortest round-trip decimal ({@code Float.toString}, trailing zeros stripped
     * unless that would turn it into an exponent, {@code -0.0} kept). The frozen store checks this byte for byte.
     */
    private static final class Revision1Writer {

        private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig()
                .withNullValues(true)
                .withSerializers(new DecimalVectors()));

        String write(DocumentEmbedded event) {
            List<Revision1Chunk> chunks = new ArrayList<>(event.chunks().size());
            for (EmbeddedChunk chunk : event.chunks()) {
                chunks.add(new Revision1Chunk(chunk.index(), chunk.start(), chunk.end(), chunk.text(), chunk.vector()));
            }
            return jsonb.toJson(new Revision1Event(event.tenant(), event.documentId(), event.contentRevision(),
                    event.space(), event.model(), event.dimension(), event.chunker(), event.title(), event.metadata(),
                    chunks));
        }

        String vector(float[] vector) {
            return jsonb.toJson(vector);
        }
    }

    /**
     * Revision 1 of {@code DocumentEmbedded}, component for component: written by {@link Revision1Writer}, and read
     * by the serializer as the revision-1 class was. Nested, not top level as events are: it is never stored.
     */
    public record Revision1Event(
            String tenant,
            String documentId,
            long contentRevision,
            String space,
            String model,
            int dimension,
            ChunkerSettings chunker,
            String title,
            Map<String, Object> metadata,
            List<Revision1Chunk> chunks) {
    }

    /** Revision 1 of {@code EmbeddedChunk}: -1 for both ends when the passage is not in the body. */
    public record Revision1Chunk(
            int index,
            int start,
            int end,
            String text,
            float[] vector) {
    }

    private static final class DecimalVectors implements jakarta.json.bind.serializer.JsonbSerializer<float[]> {

        @Override
        public void serialize(float[] vector, JsonGenerator generator, SerializationContext context) {
            generator.writeStartArray();
            for (float value : vector) {
                if (value == 0 && 1 / value < 0) {
                    generator.write(-0.0d);
                } else {
                    BigDecimal decimal = new BigDecimal(Float.toString(value));
                    BigDecimal stripped = decimal.stripTrailingZeros();
                    generator.write(stripped.scale() < 0 ? decimal : stripped);
                }
            }
            generator.writeEnd();
        }
    }
}
