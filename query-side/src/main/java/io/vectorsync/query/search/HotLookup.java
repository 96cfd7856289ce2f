package io.vectorsync.query.search;

import io.vectorsync.projections.hotcache.HotDocument;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the hot-vector cache holds of a tenant in a space: documents changed so recently that the index
 * may not show them yet. Searches merge it into the index's answer ({@code HotMerge}).
 */
public interface HotLookup {

    /** No cache: searches answer from the index alone. */
    HotLookup NONE = new HotLookup() {
        @Override
        public Collection<HotDocument> ofTenant(String space, String tenant) {
            return List.of();
        }

        @Override
        public Optional<HotDocument> get(String space, String tenant, String documentId) {
            return Optional.empty();
        }
    };

    Collection<HotDocument> ofTenant(String space, String tenant);

    /** One document, if the cache holds it (live or deleted). */
    Optional<HotDocument> get(String space, String tenant, String documentId);
}
