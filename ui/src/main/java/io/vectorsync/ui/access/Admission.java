package io.vectorsync.ui.access;

import io.helidon.webserver.http.ServerRequest;

/**
 * Whether what let a request in still holds: its key is not revoked or expired, its console session has not ended
 * (logged out, idle, too old), and a server without keys has not started to require them. The front door decides
 * once per request; an answer that goes on for long, such as the admin console's live stream, asks this as it
 * goes and ends once it no longer holds, so that a logout or a revocation also ends what was already flowing.
 */
@FunctionalInterface
public interface Admission {

    /** For a request that did not pass the front door (a server without one, a test). */
    Admission ALWAYS = () -> true;

    boolean holds();

    /** The admission of a request the front door let in; {@link #ALWAYS} when there is none. */
    static Admission of(ServerRequest req) {
        return req.context().get(Admission.class).orElse(ALWAYS);
    }
}
