package io.vectorsync.command.api;


/**
 * What a write waits for before it is handed to the store, once the request itself has been found acceptable (so a
 * bad request still gets its own 4xx): backpressure from what the log feeds, such as an index that fell behind. It
 * returns when the write may go on, or throws {@link Closed} (answered 429).
 */
@FunctionalInterface
public interface WriteGate {

    WriteGate OPEN = () -> { };

    void await();

    /** The gate stayed closed: answered 429 {@code overloaded} with {@code Retry-After}, nothing written. */
    final class Closed extends TooManyWrites {
        private final long retryAfterSeconds;

        public Closed(String message, long retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** When the gate should be open again, in whole seconds (at least 1). */
        @Override
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
