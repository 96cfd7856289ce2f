package io.vectorsync.query.search;

import io.vectorsync.projections.hotcache.HotDocument;

import java.util.Collection;
import java.util.List;

/**
 * What the hot-vector cache holds of a tenant in a space: documents changed so recently that the index
 * may not show them yet. Searches merge it into the index's answer ({@code HotMerge}).
 */
@FunctionalInterface
public interface HotLookup {

    /** No cache: searches answer from the index alone. */
    HotLookup NONE = (space, tenant) -> List.of();

    Collection<HotDocument> ofTenant(String space, String tenant);
}
