package io.vectorsync.store;

import org.axonframework.common.IdentifierFactory;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Message identifiers that sort by time: version-7 UUIDs (RFC 9562), 48 bits of milliseconds and 74 random bits.
 * <p>
 * Every event's identifier is kept under a unique index. Axon's default identifiers are random UUIDs, so each group
 * commit of a few hundred events touched as many leaves of that index at random, and a store that writes changed
 * pages to new places (H2's MVStore, and PostgreSQL's full-page writes after a checkpoint) rewrote them all: most of
 * what a commit wrote was index pages that were stale a moment later, and the embedded store's file grew to several
 * times its live data. Identifiers that grow with time append at the index's end instead. They are still unique —
 * 74 random bits per millisecond — and still UUIDs, so events already stored and tools that read them are unaffected.
 * <p>
 * Axon finds this factory through {@code META-INF/services/org.axonframework.common.IdentifierFactory}.
 */
public final class TimeOrderedIdentifiers extends IdentifierFactory {

    @Override
    public String generateIdentifier() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
