package io.vectorsync.ui.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's server-side sessions: an admin logs in with a key once, and the browser then holds only a random
 * session id in an HttpOnly cookie. A session ends when it is logged out, after {@code idle} without a request,
 * after {@code maxAge} in all, or when its key is revoked or expires (checked on every request). Sessions live in
 * this process's memory: a restart logs the console out.
 */
final class Sessions {

    static final String COOKIE = "vs_session";

    private final Duration idle;
    private final Duration maxAge;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    record Session(String id, String csrfToken, String keyId, Instant createdAt, Instant lastSeen) {

        Session seen(Instant at) {
            return new Session(id, csrfToken, keyId, createdAt, at);
        }
    }

    Sessions(Duration idle, Duration maxAge, Clock clock) {
        this.idle = idle;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    Duration maxAge() {
        return maxAge;
    }

    Session open(String keyId) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now)); // logins are rare: a fine moment to forget old sessions
        Session session = new Session(token(), token(), keyId, now, now);
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id, marked as seen now; empty when there is none or it expired. */
    Optional<Session> find(String id) {
        Instant now = clock.instant();
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (expired(session, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session seen = session.seen(now);
        sessions.replace(id, session, seen);
        return Optional.of(seen);
    }

    /** Whether the session is live, without counting this as a request (a stream asks as it goes). */
    boolean alive(String id) {
        Session session = sessions.get(id);
        return session != null && !expired(session, clock.instant());
    }

    void close(String id) {
        sessions.remove(id);
    }

    Instant expiresAt(Session session) {
        Instant byIdle = session.lastSeen().plus(idle);
        Instant byAge = session.createdAt().plus(maxAge);
        return byIdle.isBefore(byAge) ? byIdle : byAge;
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(expiresAt(session));
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
