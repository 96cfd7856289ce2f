package io.vectorsync.ui.access;

import io.helidon.webserver.http.ServerRequest;

/**
 * The admin action a request is about to perform, as the audit log will record it. The front door starts it from
 * the route's rule; a handler that knows better names it more exactly ({@code rebuild} → {@code re-embed},
 * {@code swap} → {@code rollback}) or says what it made ({@code indexes/default/versions/3}).
 */
public final class AuditEntry {

    private volatile String action;
    private volatile String target;

    AuditEntry(String action, String target) {
        this.action = action;
        this.target = target;
    }

    /** The entry of the request being handled, if it is an audited admin action. */
    public static java.util.Optional<AuditEntry> of(ServerRequest req) {
        return req.context().get(AuditEntry.class);
    }

    public AuditEntry action(String action) {
        this.action = action;
        return this;
    }

    public AuditEntry target(String target) {
        this.target = target;
        return this;
    }

    String action() {
        return action;
    }

    String target() {
        return target;
    }
}
