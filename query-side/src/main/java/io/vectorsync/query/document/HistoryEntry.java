package io.vectorsync.query.document;

import io.vectorsync.domain.ContentBearing;
import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.DocumentRestored;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a document's history: what happened, when, and a short summary. Bodies and vectors are
 * left out, so a long history stays small.
 */
record HistoryEntry(
        long version,
        Long position,
        String type,
        Instant timestamp,
        Map<String, Object> summary) {

    /** @param position where the event stands in the whole log, null when not known */
    static HistoryEntry of(RecordedEvent event, Long position) {
        Map<String, Object> summary = new LinkedHashMap<>();
        switch (event.payload()) {
            // erased since (issue 21): the event's type, version, position and time stay; its content is gone
            case ContentBearing e when e.contentErased() -> summary.put("contentErased", true);
            case DocumentCreated e -> content(summary, e.title(), e.source(), e.contentHash());
            case DocumentContentRevised e -> content(summary, e.title(), e.source(), e.contentHash());
            case DocumentRestored e -> content(summary, e.title(), e.source(), e.contentHash());
            case DocumentMetadataChanged e -> summary.put("metadata", e.metadata());
            case DocumentEmbedded e -> {
                summary.put("space", e.space());
                summary.put("model", e.model());
                summary.put("contentRevision", e.contentRevision());
                summary.put("chunks", e.chunks() == null ? 0 : e.chunks().size());
            }
            case DocumentDeleted e -> summary.put("reason", e.reason());
            default -> {
            }
        }
        return new HistoryEntry(event.version(), position, event.payload().getClass().getSimpleName(), event.timestamp(), summary);
    }

    private static void content(Map<String, Object> summary, String title, String source, String contentHash) {
        summary.put("title", title);
        summary.put("source", source);
        summary.put("contentHash", contentHash);
    }
}
