package io.vectorsync.projections.versions;

import io.vectorsync.store.ProcessorProgress;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;

import java.util.Deque;
import java.util.OptionalLong;

/** How far a version's processor has got in the log, and at what rate lately. */
public record FeedProgress(long position, long head, long eventsDone, long eventsTotal, boolean caughtUp,
                           String error, double eventsPerSecond, OptionalLong secondsLeft) {

    /**
     * Where {@code processor} stands against the log's {@code head}, with the rate over {@code samples} (pairs of
     * nanoTime and position, oldest first).
     */
    static FeedProgress of(StreamingEventProcessor processor, long head, Deque<long[]> samples, boolean caughtUp) {
        long position = ProcessorProgress.lowestPosition(processor);
        // positions count from 1: the event at position p is the p-th (up to gaps)
        long done = Math.max(0, position);
        long total = Math.max(0, head);
        String error = processor.processingStatus().values().stream().filter(EventTrackerStatus::isErrorState)
                .findFirst().map(failed -> failed.getError() == null ? "unknown error"
                        : failed.getError().getClass().getSimpleName() + ": " + failed.getError().getMessage())
                .orElse(null);
        double rate = rate(samples);
        return new FeedProgress(position, head, Math.min(done, total), total, caughtUp, error,
                Math.round(rate * 10) / 10.0,
                rate > 0 && total > done ? OptionalLong.of(Math.round((total - done) / rate)) : OptionalLong.empty());
    }

    private static double rate(Deque<long[]> samples) {
        if (samples.size() < 2) {
            return 0;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        double seconds = (last[0] - first[0]) / 1e9;
        return seconds <= 0 ? 0 : (last[1] - first[1]) / seconds;
    }
}
