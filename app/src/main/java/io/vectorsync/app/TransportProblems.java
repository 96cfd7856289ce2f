package io.vectorsync.app;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.vectorsync.command.api.Problem;

/**
 * The answers to requests the web server refuses before any route sees them (a request line or headers too large,
 * malformed HTTP): problem+json like every other 4xx, where Helidon writes plain text, and the conventional statuses
 * for sizes (Helidon answers 400 for headers too large).
 */
final class TransportProblems implements DirectHandler {

    /** Method, path, query and version: a document's path is a few hundred bytes at most. */
    static final int MAX_REQUEST_LINE_BYTES = 4096;
    static final int MAX_HEADERS_BYTES = 16 * 1024;
    /** What Helidon says when the headers pass their limit (it answers the same event type for any bad header). */
    private static final String HEADERS_TOO_LARGE = "Header size exceeded";
    private static final Status HEADERS_TOO_LARGE_431 = Status.create(431, "Request Header Fields Too Large");

    private TransportProblems() {
    }

    static DirectHandlers handlers() {
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            handlers.addHandler(type, new TransportProblems());
        }
        return handlers.build();
    }

    /**
     * @param message Helidon's message when it is safe to show (the listener's error handling includes it), or its
     *                "see the server log" text, or null
     */
    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders responseHeaders, String message) {
        Problem problem = problem(status, message);
        return TransportResponse.builder()
                .status(problem.status() == 431 ? HEADERS_TOO_LARGE_431 : Status.create(problem.status()))
                .headers(responseHeaders)
                .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .entity(problem.toJson().toString())
                .build();
    }

    static Problem problem(Status status, String message) {
        if (status.code() == Status.REQUEST_URI_TOO_LONG_414.code()) {
            return Problem.of(414, "request-line-too-long", "URI too long", "the request line (method, path, query "
                    + "and HTTP version) is longer than " + MAX_REQUEST_LINE_BYTES + " bytes", null);
        }
        if (HEADERS_TOO_LARGE.equals(message)) {
            return Problem.of(431, "headers-too-large", "Request header fields too large",
                    "the request's headers are larger than " + MAX_HEADERS_BYTES + " bytes together", null);
        }
        if (status.code() >= 500) { // nothing of an unexpected failure leaves the server; Helidon logs it
            return Problem.of(status.code(), "internal-error", "Internal error",
                    "the request failed unexpectedly; the server log has the cause", null);
        }
        return Problem.of(status.code(), "bad-request", status.reasonPhrase(),
                message == null ? "the request is not well-formed HTTP/1.1" : message, null);
    }
}
