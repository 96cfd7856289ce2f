package io.vectorsync.ui.access;

/**
 * The route pattern the front door matched a request to ({@code /v1/tenants/{tenant}/search}), left in the request's
 * context for the filters around it (the request metrics), so the path is matched once per request.
 */
public record MatchedRoute(String pattern) {
}
