package io.vectorsync.command.api;

import java.time.Duration;

/**
 * How far erasures have got (issue 21). An erasure's keys are destroyed when its {@code DocumentErased} commits, so
 * the log's copies of the content are unreadable at once; the other copies (in every index version, the dead-letter
 * queues, the freed space of the indexes' files and of the key store) go once the erasure processor has passed the
 * event's position in the log.
 */
public interface ErasureProgress {

    /** Waits at most {@code patience} until every copy of what was erased up to {@code position} is gone. */
    boolean awaitComplete(long position, Duration patience);

    /** Where nothing processes erasures (tests of the API alone): never complete. */
    ErasureProgress NONE = (position, patience) -> false;
}
