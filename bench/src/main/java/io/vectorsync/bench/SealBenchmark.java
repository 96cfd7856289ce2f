package io.vectorsync.bench;

import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.store.keys.KeyFile;
import io.vectorsync.store.keys.MasterKey;
import io.vectorsync.upcasters.JsonbSerializer;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.messaging.MetaData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.median;

/**
 * What sealing content costs the serializer (issue 21), side by side with the plain serializer in one run, on the
 * events that dominate the log: {@code DocumentEmbedded} of 384-dimension vectors in 1–3 chunks (the schema
 * benchmark's synthetic set). (a) Writing: each event serialized to bytes, plain and sealed under its document's
 * data key from a real {@link KeyFile} (made on the first pass, looked up and unwrapped after). (b) Replay: the stored
 * rows read the way the event store reads them ({@code upcastAndDeserializeDomainEvents} with the upcaster chain),
 * plain rows by the plain serializer, sealed rows by the sealing one. Warm-up rounds first; measured rounds alternate
 * which form goes first. Medians of events per second, and their ratio.
 */
public final class SealBenchmark {

    private SealBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = intArg(args, "--events", 20_000);
        int rounds = intArg(args, "--rounds", 7);
        int warmup = intArg(args, "--warmup", 2);
        List<DocumentEmbedded> events = SchemaBenchmark.synthetic(count, 5);
        Path dir = Files.createTempDirectory("vectorsync-seal-bench");
        try (KeyFile keys = KeyFile.open(dir, MasterKey.resolve(null, null, dir))) {
            JsonbSerializer plain = JsonbSerializer.create();
            JsonbSerializer sealing = JsonbSerializer.sealing(keys);
            byte[] metaData = plain.serialize(MetaData.emptyInstance(), byte[].class).getData();
            Map<String, List<Double>> writes = new LinkedHashMap<>();
            Map<String, List<Double>> replays = new LinkedHashMap<>();
            List<GenericDomainEventEntry<byte[]>> plainRows = List.of();
            List<GenericDomainEventEntry<byte[]>> sealedRows = List.of();
            for (int round = 1 - warmup; round <= rounds; round++) {
                boolean sealedFirst = Math.floorMod(round, 2) == 0;
                for (boolean sealed : sealedFirst ? new boolean[]{true, false} : new boolean[]{false, true}) {
                    JsonbSerializer serializer = sealed ? sealing : plain;
                    System.gc();
                    long start = System.nanoTime();
                    List<GenericDomainEventEntry<byte[]>> rows = new ArrayList<>(count);
                    for (DocumentEmbedded event : events) {
                        rows.add(SchemaBenchmark.entry(event, UUID.randomUUID().toString(), "2",
                                serializer.serialize(event, byte[].class).getData(), metaData));
                    }
                    keys.flush();
                    double writeRate = count / BenchSupport.seconds(start);
                    double replayRate = SchemaBenchmark.rate(rows, serializer);
                    String form = sealed ? "sealed" : "plain";
                    if (round >= 1) {
                        writes.computeIfAbsent(form, k -> new ArrayList<>()).add(writeRate);
                        replays.computeIfAbsent(form, k -> new ArrayList<>()).add(replayRate);
                    }
                    if (sealed) {
                        sealedRows = rows;
                    } else {
                        plainRows = rows;
                    }
                    System.out.printf(Locale.ROOT, "%s %s: write %,.0f events/s, replay %,.0f events/s%n",
                            round < 1 ? "warm-up" : "round " + round, form, writeRate, replayRate);
                }
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "%,d DocumentEmbedded events, %d measured rounds; payload bytes per event: "
                    + "plain %.0f, sealed %.0f (ratio %.3f)%n", count, rounds, mean(plainRows), mean(sealedRows),
                    mean(sealedRows) / mean(plainRows));
            System.out.println("| pass | plain: median events/s | sealed: median events/s | sealed / plain |");
            System.out.println("|---|---|---|---|");
            row("write (serialize)", writes);
            row("replay (upcast and deserialize)", replays);
        }
    }

    private static void row(String pass, Map<String, List<Double>> rates) {
        double plain = median(rates.get("plain"));
        double sealed = median(rates.get("sealed"));
        System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %.3f |%n", pass, plain, sealed, sealed / plain);
    }

    private static double mean(List<GenericDomainEventEntry<byte[]>> rows) {
        return rows.stream().mapToInt(row -> row.getPayload().getData().length).average().orElse(0);
    }
}
