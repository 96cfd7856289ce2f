package io.vectorsync.ui.admin;

import io.vectorsync.domain.DocumentIds;
import io.vectorsync.json.Json;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.vectorindex.IndexWrites;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Compares an index version with the event log document by document and repairs the difference by
 * re-projecting just the documents that differ. A document's expected index version is the version of its last
 * event that writes to that space (its embedding there, a metadata change, a delete: {@link IndexWrites}).
 * <p>
 * The index's processor may be mid-way through the log while this reads it, so a document counts as in sync
 * when its index version lies between what the log said at the processor's position when the check began and
 * what it says at the head. Differences: {@code missing} (the log has the document, the index not),
 * {@code stale} (older), {@code ahead} (newer than the log: only a fault writes that) and {@code orphaned} (the
 * index has a document whose log writes nothing to this space). Only tenants the log knows are read.
 */
public final class DriftCheck {

    private static final int EXAMPLES = 50;
    private static final Logger LOG = Logger.getLogger(DriftCheck.class.getName());

    private final EventStore events;

    public DriftCheck(EventStore events) {
        this.events = events;
    }

    /** What differs; {@code position} says how far the index's processor had got when the check began. */
    Report check(String space, String model, VectorIndex index, LongSupplier position) {
        long cut = position.getAsLong();
        Expected expected = expected(space, model, cut);
        index.makeSearchable();
        Report report = new Report(space, cut);
        for (String tenant : expected.tenants) {
            Map<String, Long> actual = index.documentVersions(tenant);
            Set<String> documents = new TreeSet<>(actual.keySet());
            expected.atHead.keySet().stream().filter(key -> key.startsWith(tenant + "/"))
                    .forEach(key -> documents.add(key.substring(tenant.length() + 1)));
            for (String documentId : documents) {
                String key = tenant + "/" + documentId;
                Long indexed = actual.get(documentId);
                long low = expected.atCut.getOrDefault(key, -1L);
                long high = expected.atHead.getOrDefault(key, -1L);
                if (indexed == null) {
                    if (low >= 0) {
                        report.add("missing", tenant, documentId, null, low);
                    }
                } else if (high < 0) {
                    // a tombstone the log knows nothing of hides nothing; live entries are the orphans
                    if (index.content(tenant, documentId).isPresent()) {
                        report.add("orphaned", tenant, documentId, indexed, null);
                    } else {
                        report.inSync++;
                    }
                } else if (indexed < low) {
                    report.add("stale", tenant, documentId, indexed, low);
                } else if (indexed > high) {
                    report.add("ahead", tenant, documentId, indexed, high);
                } else {
                    report.inSync++;
                }
            }
        }
        return report;
    }

    /**
     * Re-projects every missing or stale document from its own events (the index takes each write newer than what
     * it holds), and writes a tombstone over an orphaned one; then checks again.
     */
    Report repair(String space, String model, VectorIndex index, LongSupplier position) {
        Report before = check(space, model, index, position);
        int repaired = 0;
        for (Report.Difference difference : before.differences) {
            List<IndexWrite> writes = new ArrayList<>();
            switch (difference.kind()) {
                case "missing", "stale" -> events.readEvents(DocumentIds.aggregateId(difference.tenant(),
                        difference.documentId()), 0).asStream().forEach(event -> IndexWrites
                        .of(event.getPayload(), event.getSequenceNumber(), space, model).ifPresent(writes::add));
                case "orphaned" -> writes.add(new IndexWrite.Delete(difference.tenant(), difference.documentId(),
                        difference.indexVersion() + 1));
                default -> {
                    continue; // ahead: newer than the log; nothing a version-guarded write can undo
                }
            }
            index.apply(writes);
            repaired++;
        }
        int count = repaired;
        LOG.info(() -> "drift repair of space '" + space + "': " + count + " documents re-projected");
        Report after = check(space, model, index, position);
        after.repaired = repaired;
        return after;
    }

    /** Each document's expected index version, at the cut and at the head, and the tenants of the log. */
    private Expected expected(String space, String model, long cut) {
        Expected expected = new Expected();
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(null)) {
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                if (!(event instanceof DomainEventMessage<?> domain)) {
                    continue;
                }
                long position = event.trackingToken().position().orElse(Long.MAX_VALUE);
                IndexWrites.of(event.getPayload(), domain.getSequenceNumber(), space, model).ifPresent(write -> {
                    String key = write.tenant() + "/" + write.documentId();
                    expected.tenants.add(write.tenant());
                    expected.atHead.put(key, write.version());
                    if (position <= cut) {
                        expected.atCut.put(key, write.version());
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the log", e);
        }
        return expected;
    }

    private static final class Expected {
        final Map<String, Long> atCut = new HashMap<>();
        final Map<String, Long> atHead = new HashMap<>();
        final Set<String> tenants = new TreeSet<>();
    }

    /** Counts per kind of difference, the first examples of each, and how many documents were in sync. */
    static final class Report {

        record Difference(String kind, String tenant, String documentId, Long indexVersion, Long logVersion) {
        }

        private final String space;
        private final long position;
        private final List<Difference> differences = new ArrayList<>();
        int inSync;
        Integer repaired;

        Report(String space, long position) {
            this.space = space;
            this.position = position;
        }

        void add(String kind, String tenant, String documentId, Long indexVersion, Long logVersion) {
            differences.add(new Difference(kind, tenant, documentId, indexVersion, logVersion));
        }

        int drift() {
            return differences.size();
        }

        JsonObject toJson() {
            var counts = Json.createObjectBuilder();
            var examples = Json.createObjectBuilder();
            for (String kind : List.of("missing", "stale", "ahead", "orphaned")) {
                List<Difference> ofKind = differences.stream().filter(d -> d.kind().equals(kind)).toList();
                counts.add(kind, ofKind.size());
                JsonArrayBuilder list = Json.createArrayBuilder();
                for (Difference difference : ofKind.subList(0, Math.min(EXAMPLES, ofKind.size()))) {
                    var item = Json.createObjectBuilder().add("tenant", difference.tenant())
                            .add("documentId", difference.documentId());
                    if (difference.indexVersion() != null) {
                        item.add("indexVersion", difference.indexVersion());
                    }
                    if (difference.logVersion() != null) {
                        item.add("logVersion", difference.logVersion());
                    }
                    list.add(item);
                }
                examples.add(kind, list);
            }
            var body = Json.createObjectBuilder()
                    .add("space", space)
                    .add("checkedUpTo", position)
                    .add("inSync", inSync)
                    .add("drift", drift())
                    .add("counts", counts)
                    .add("examples", examples);
            if (repaired != null) {
                body.add("repaired", repaired);
            }
            return body.build();
        }
    }
}
