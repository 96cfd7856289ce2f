package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.IndexUnavailableException;
import io.vectorsync.projections.index.IndexWriteException;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings.Retry;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.transport.httpclient5.ResponseException;

import java.io.IOException;
import java.time.Duration;

/**
 * What a failed call to OpenSearch means. Transient: the cluster could not be reached or answered in
 * time, or said "later" (429, 5xx) — the same request may succeed. Anything else (400 and friends) is
 * deterministic and retrying it would only repeat it.
 */
final class Failures {

    private Failures() {
    }

    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    static boolean isTransientStatus(int status) {
        return status == 429 || status >= 500;
    }

    static boolean isTransient(Exception failure) {
        return switch (failure) {
            case OpenSearchException e -> isTransientStatus(e.status());
            case IOException e -> !(e.getCause() instanceof ResponseException response)
                    || isTransientStatus(response.status());
            default -> false;
        };
    }

    /** The status OpenSearch answered with, or 0 when there was no answer. */
    static int status(Exception failure) {
        return switch (failure) {
            case OpenSearchException e -> e.status();
            case IOException e when e.getCause() instanceof ResponseException response -> response.status();
            default -> 0;
        };
    }

    static String describe(Exception failure) {
        if (failure instanceof OpenSearchException e && e.error() != null) {
            return e.status() + " " + e.error().type() + ": " + e.error().reason();
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** A read that failed: unavailable when it may work later (the API answers 503), else a bug or misuse. */
    static RuntimeException onRead(String what, Exception failure) {
        if (isTransient(failure) || status(failure) == 404) {
            return new IndexUnavailableException("OpenSearch is unavailable for " + what + ": " + describe(failure),
                    failure);
        }
        return new IllegalStateException("OpenSearch rejected " + what + ": " + describe(failure), failure);
    }

    /**
     * Runs a write-path call, retrying transient failures with backoff; gives up with an
     * {@link IndexWriteException} that says whether a later retry of the whole batch can help.
     */
    static <T> T withRetries(Retry retry, String what, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (IOException | RuntimeException e) {
                if (!isTransient(e)) {
                    throw new IndexWriteException("OpenSearch rejected " + what + ": " + describe(e), false, e);
                }
                if (attempt >= retry.maxAttempts()) {
                    throw new IndexWriteException("OpenSearch failed " + what + " " + attempt + " times, last: "
                            + describe(e), true, e);
                }
                pause(retry.backoff(attempt), what);
            }
        }
    }

    static void pause(Duration wait, String what) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexWriteException("interrupted while retrying " + what, true, e);
        }
    }
}
