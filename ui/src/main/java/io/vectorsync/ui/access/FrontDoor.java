package io.vectorsync.ui.access;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.vectorsync.command.api.Problem;
import io.vectorsync.command.api.Problems;
import io.vectorsync.store.access.AccessTables;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every request passes here first. While no key exists the server listens on loopback only and lets everyone in
 * (as {@link Caller#LOCAL}); once one exists, every route but the public ones needs a key
 * ({@code Authorization: Bearer} or {@code X-API-Key}) or a console session, and the route's rule decides:
 * 401 for no key or a bad one, 403 for a good key that may not (the same answer whatever the target holds, decided
 * before anything is read), 403 for a console change without its session's CSRF token, 429 over the key's rate.
 * An admitted request runs in its workload's {@link Bulkheads bulkhead} (429 when that is full). Admin changes are
 * recorded in the audit log with their outcome.
 */
final class FrontDoor implements Filter {

    public static final HeaderName API_KEY = HeaderNames.create("X-API-Key");
    public static final HeaderName CSRF_TOKEN = HeaderNames.create("X-CSRF-Token");
    private static final Logger LOG = Logger.getLogger(FrontDoor.class.getName());
    private static final Set<Method> SAFE = Set.of(Method.GET, Method.HEAD, Method.OPTIONS);

    private final AccessPolicy policy;
    private final KeyRing keys;
    private final Sessions sessions;
    private final AccessTables audit;
    private final Bulkheads bulkheads;
    private final Clock clock;

    FrontDoor(AccessPolicy policy, KeyRing keys, Sessions sessions, AccessTables audit, Bulkheads bulkheads, Clock clock) {
        this.policy = policy;
        this.keys = keys;
        this.sessions = sessions;
        this.audit = audit;
        this.bulkheads = bulkheads;
        this.clock = clock;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Method method = req.prologue().method();
        Optional<AccessPolicy.Matched> matched = policy.match(method, req.path().path());
        matched.ifPresent(m -> req.context().register(new MatchedRoute(m.rule().pattern())));
        // a route that does not exist is a 404, but only for those who may ask at all
        AccessPolicy.Need need = matched.map(m -> m.rule().need()).orElse(AccessPolicy.Need.AUTHENTICATED);
        String tenant = matched.map(AccessPolicy.Matched::tenant).orElse(null);
        String action = matched.map(m -> m.rule().actionOf(req.query())).orElse(null);
        AccessPolicy.Workload workload = matched.map(m -> m.rule().workload()).orElse(AccessPolicy.Workload.NONE);

        Caller caller;
        Admission admission;
        if (!keys.required()) {
            caller = Caller.LOCAL;
            admission = () -> !keys.required(); // the first key stored ends what was let in without one
        } else {
            Optional<String> presented = presentedKey(req);
            if (presented.isPresent()) {
                Optional<Caller> known = keys.authenticate(presented.get());
                if (known.isEmpty()) {
                    unauthorized(res, "invalid_token", "the API key is not valid: unknown, revoked or expired");
                    return;
                }
                caller = known.get();
                String keyId = caller.keyId();
                admission = () -> keys.byId(keyId).isPresent();
            } else {
                Optional<Sessions.Session> session = req.headers().cookies().first(Sessions.COOKIE).flatMap(sessions::find);
                Optional<Caller> holder = session.flatMap(s -> keys.byId(s.keyId())).map(Caller::inSession);
                if (holder.isEmpty()) {
                    if (need == AccessPolicy.Need.PUBLIC) {
                        chain.proceed();
                        return;
                    }
                    unauthorized(res, null, req.headers().cookies().contains(Sessions.COOKIE)
                            ? "the console session has ended; log in again"
                            : "this request needs an API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
                    return;
                }
                // SameSite=Strict keeps the cookie off other sites' requests; the token is the second lock
                if (unsafe(method) && need != AccessPolicy.Need.PUBLIC && !sameToken(req, session.get().csrfToken())) {
                    deny(res, "csrf-token-missing", "CSRF token missing", "a change made with the console's session "
                            + "must carry its X-CSRF-Token header (GET /v1/admin/session gives it)", action, holder.get(),
                            req);
                    return;
                }
                caller = holder.get();
                String sessionId = session.get().id();
                String keyId = caller.keyId();
                admission = () -> sessions.alive(sessionId) && keys.byId(keyId).isPresent();
            }
        }
        req.context().register(caller);
        req.context().register(admission);
        if (!caller.may(need, tenant)) {
            deny(res, "forbidden", "Forbidden", "this key (" + caller.role().id() + ") may not "
                    + method.text() + " " + req.path().path(), action, caller, req);
            return;
        }
        long wait = keys.throttle(caller);
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
            Problems.send(res, Problem.of(429, "rate-limited", "Too many requests", "this key's rate limit is reached; "
                    + "retry after " + seconds + " s", null).retryAfter(seconds));
            return;
        }
        keys.used(caller);
        if (action == null) {
            bulkheads.run(workload, res, chain::proceed);
            return;
        }
        AuditEntry entry = new AuditEntry(action, target(req));
        req.context().register(entry);
        int status = 500;
        try {
            bulkheads.run(workload, res, chain::proceed);
            status = res.status().code();
        } finally {
            record(caller, entry, status, status < 400 ? "ok" : "failed: HTTP " + status);
        }
    }

    /** Appends to the audit log; a log that cannot be written is an error in the server's log, not the caller's. */
    void record(Caller caller, AuditEntry entry, int status, String outcome) {
        try {
            audit.append(clock.instant(), caller == null ? null : caller.keyId(), caller == null ? null : caller.name(),
                    entry.action(), entry.target(), outcome, status);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not write the audit record of " + entry.action() + " " + entry.target(), e);
        }
    }

    static Optional<String> presentedKey(RoutingRequest req) {
        Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(a -> a.substring(7).trim());
        return authorization.isPresent() ? authorization : req.headers().first(API_KEY).map(String::trim);
    }

    private static boolean unsafe(Method method) {
        return !SAFE.contains(method);
    }

    private static boolean sameToken(RoutingRequest req, String expected) {
        return req.headers().first(CSRF_TOKEN)
                .map(t -> MessageDigest.isEqual(t.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
    }

    private static String target(RoutingRequest req) {
        String path = req.path().path();
        String target = path.startsWith("/v1/admin/") ? path.substring("/v1/admin/".length()) : path;
        String query = req.query().rawValue();
        return query.isEmpty() ? target : target + "?" + query;
    }

    private void deny(RoutingResponse res, String slug, String title, String detail, String action, Caller caller,
                      RoutingRequest req) {
        if (action != null) {
            record(caller, new AuditEntry(action, target(req)), 403, "denied: " + slug);
        }
        Problems.send(res, Problem.of(403, slug, title, detail, null));
    }

    private static void unauthorized(RoutingResponse res, String error, String detail) {
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"vectorsync\""
                + (error == null ? "" : ", error=\"" + error + "\""));
        Problems.send(res, Problem.of(401, "unauthorized", "Unauthorized", detail, null));
    }

}
