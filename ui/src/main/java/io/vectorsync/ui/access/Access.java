package io.vectorsync.ui.access;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpService;
import io.vectorsync.store.access.AccessTables;

import java.time.Clock;
import java.util.logging.Logger;

/**
 * The front door, assembled: API keys, console sessions, the access policy and the audit log. The app puts
 * {@link #frontDoor()} before every route and {@link #admin()} under {@code /v1/admin}.
 */
public final class Access implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Access.class.getName());

    private final AccessPolicy policy;
    private final KeyRing keys;
    private final FrontDoor door;
    private final Bulkheads bulkheads;
    private final AccessAdmin admin;

    private Access(AccessPolicy policy, KeyRing keys, FrontDoor door, Bulkheads bulkheads, AccessAdmin admin) {
        this.policy = policy;
        this.keys = keys;
        this.door = door;
        this.bulkheads = bulkheads;
        this.admin = admin;
    }

    public static Access open(AccessTables tables, AccessSettings settings, Clock clock) {
        AccessPolicy policy = AccessPolicy.standard(settings.metricsPublic());
        KeyRing keys = new KeyRing(tables, settings.adminKey(), clock);
        Sessions sessions = new Sessions(settings.sessionIdle(), settings.sessionMaxAge(), clock);
        Bulkheads bulkheads = new Bulkheads(settings.limits());
        FrontDoor door = new FrontDoor(policy, keys, sessions, tables, bulkheads, clock);
        if (keys.required()) {
            LOG.info(() -> "API keys required" + (keys.hasBootstrapKey() ? " (a bootstrap admin key is configured)" : ""));
        }
        return new Access(policy, keys, door, bulkheads, new AccessAdmin(keys, sessions, tables, door, clock));
    }

    /** Whether requests need a key: one is configured or stored. */
    public boolean keysRequired() {
        return keys.required();
    }

    public AccessPolicy policy() {
        return policy;
    }

    /** The workloads' bulkheads, for their counts. */
    public Bulkheads bulkheads() {
        return bulkheads;
    }

    public Filter frontDoor() {
        return door;
    }

    /** Keys, audit log and console session, under {@code /v1/admin}. */
    public HttpService admin() {
        return admin;
    }

    @Override
    public void close() {
        bulkheads.close();
        keys.close();
    }
}
