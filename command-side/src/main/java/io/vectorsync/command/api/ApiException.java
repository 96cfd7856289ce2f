package io.vectorsync.command.api;

/** A failure the API answers with a specific status (404, 409, 503, ...). */
public class ApiException extends RuntimeException {

    private final Problem problem;

    public ApiException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ApiException notFound(String detail) {
        return new ApiException(Problem.of(404, "not-found", "Not found", detail, null));
    }

    /** 409: the request is valid but the resource's state does not allow it. */
    public static ApiException conflict(String detail) {
        return new ApiException(Problem.of(409, "conflict", "Conflict", detail, null));
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(Problem.of(503, "unavailable", "Service unavailable", detail, null));
    }

    /** 401: no credentials, or ones that are not valid (the HTTP layer adds {@code WWW-Authenticate}). */
    public static ApiException unauthorized(String detail) {
        return new ApiException(Problem.of(401, "unauthorized", "Unauthorized", detail, null));
    }

    /** 403: valid credentials that do not allow this. */
    public static ApiException forbidden(String detail) {
        return new ApiException(Problem.of(403, "forbidden", "Forbidden", detail, null));
    }
}
