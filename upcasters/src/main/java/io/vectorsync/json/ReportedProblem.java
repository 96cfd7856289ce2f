package io.vectorsync.json;

/**
 * A failure that knows how an HTTP API reports it (an RFC 9457 problem): implemented by the exceptions of every
 * module, so the one mapping from failures to problem+json ({@code Problems} in command-side) needs no case per
 * module above it.
 */
public interface ReportedProblem {

    /** The HTTP status. */
    int status();

    /** The last segment of the problem's type URI, e.g. {@code index-unavailable}. */
    String slug();

    /** A short, fixed summary of the kind of problem. */
    String title();

    /** Throwable's message; what a failure says unless {@link #detail} says more. */
    String getMessage();

    /** What went wrong this time, in words the caller can act on. */
    default String detail() {
        return getMessage();
    }

    /** The JSON path or header of the offending input, or null. */
    default String field() {
        return null;
    }

    /** For a 429 or 503: when to try again, in whole seconds (0: the API's default). */
    default long retryAfterSeconds() {
        return 0;
    }
}
