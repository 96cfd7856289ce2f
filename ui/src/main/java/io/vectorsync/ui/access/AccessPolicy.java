package io.vectorsync.ui.access;

import io.helidon.common.uri.UriPath;
import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may call which route: one explicit rule for every route the server has, in one table. A route without a rule
 * fails the start (and a test), so a new endpoint can never be open by accident. Admin changes name their action
 * for the audit log.
 */
public final class AccessPolicy {

    /** What a route needs of its caller. */
    public enum Need {
        /** Anyone: health checks, the console's static files, logging in. */
        PUBLIC,
        /** Any valid key or console session. */
        AUTHENTICATED,
        /** A key of any role whose tenants include the path's {@code {tenant}}. */
        READ_TENANT,
        /** A writer or admin key whose tenants include the path's {@code {tenant}}. */
        WRITE_TENANT,
        /** An admin key. */
        ADMIN
    }

    /**
     * The kind of work a route does, which decides whose threads run it and how many may wait ({@link Bulkheads}):
     * {@code NONE} runs where it arrives (health, static files, the session, the admin event stream).
     */
    public enum Workload {
        SEARCH,
        READ,
        WRITE,
        ADMIN,
        NONE
    }

    /**
     * One route's rule; {@code action} names an admin change in the audit log (null: not audited), {@code workload}
     * the bulkhead its requests run in. With {@code auditedWhen}, only requests whose query parameter of that name is
     * {@code true} are audited (a document's erasure: {@code DELETE …?erase=true}).
     */
    public record Rule(Method method, String pattern, Need need, String action, String auditedWhen, Workload workload,
                       PathMatcher matcher) {

        /** The audit log's name for a request under this rule; null when it is not audited. */
        public String actionOf(io.helidon.common.uri.UriQuery query) {
            if (action == null || auditedWhen == null) {
                return action;
            }
            return query.first(auditedWhen).filter("true"::equalsIgnoreCase).map(value -> action).orElse(null);
        }
    }

    /** A request's rule and the tenant its path names (null when none). */
    record Matched(Rule rule, String tenant) {
    }

    private final List<Rule> rules;

    private AccessPolicy(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules of every route Vectorsync serves; metrics need a key (when keys exist). */
    public static AccessPolicy standard() {
        return standard(false);
    }

    /**
     * The rules of every route Vectorsync serves. {@code metricsPublic}: Prometheus may scrape
     * {@code /observe/metrics} without a key ({@code vectorsync.observe.metrics-public}); otherwise it needs a key of
     * any role, as a bearer token.
     */
    public static AccessPolicy standard(boolean metricsPublic) {
        Builder b = new Builder();
        b.rule(Method.GET, "/observe/metrics", metricsPublic ? Need.PUBLIC : Need.AUTHENTICATED);
        b.rule(Method.GET, "/health/live", Need.PUBLIC)
                .rule(Method.GET, "/health/ready", Need.PUBLIC)
                .rule(Method.GET, "/openapi", Need.PUBLIC)
                // the console's code holds no data: it shows a login form until its session exists
                .rule(Method.GET, "/admin", Need.PUBLIC)
                .rule(Method.GET, "/admin/{file}", Need.PUBLIC)
                .rule(Method.GET, "/v1/admin/session", Need.PUBLIC)
                .rule(Method.POST, "/v1/admin/session", Need.PUBLIC)
                .rule(Method.DELETE, "/v1/admin/session", Need.AUTHENTICATED);
        String docs = "/v1/tenants/{tenant}/documents";
        b.rule(Method.PUT, docs + "/{documentId}", Need.WRITE_TENANT)
                // an erasure (?erase=true) is in the audit log: who asked to forget which document, and when
                .audited(Method.DELETE, docs + "/{documentId}", Need.WRITE_TENANT, "erase", "erase")
                .rule(Method.POST, docs + ":batch", Need.WRITE_TENANT)
                .rule(Method.GET, docs + "/{documentId}", Need.READ_TENANT)
                .rule(Method.GET, docs + "/{documentId}/history", Need.READ_TENANT)
                .rule(Method.POST, docs + "/{documentId}/similar", Need.READ_TENANT)
                .rule(Method.POST, "/v1/tenants/{tenant}/search", Need.READ_TENANT);
        String admin = "/v1/admin";
        for (String read : List.of("/processors", "/processors/{name}", "/dead-letters", "/dead-letters/{group}",
                "/stream", "/indexes", "/indexes/{space}/drift", "/indexes/{space}/documents/{tenant}/{documentId}",
                "/cache", "/keys", "/audit", "/store", "/cluster", "/health", "/tenants/{tenant}/erasure")) {
            b.rule(Method.GET, admin + read, Need.ADMIN);
        }
        b.action(Method.POST, admin + "/processors/{name}/pause", "pause")
                .action(Method.POST, admin + "/processors/{name}/resume", "resume")
                .action(Method.POST, admin + "/processors/{name}/replay", "replay")
                .action(Method.POST, admin + "/indexes/{space}/versions", "rebuild")
                .action(Method.POST, admin + "/indexes/{space}/versions/{version}/swap", "swap")
                .action(Method.DELETE, admin + "/indexes/{space}/versions/{version}", "drop")
                .action(Method.POST, admin + "/indexes/{space}/drift/repair", "drift-repair")
                .action(Method.POST, admin + "/dead-letters/{group}/retry", "redrive")
                .action(Method.DELETE, admin + "/dead-letters/{group}/letters/{id}", "evict")
                .action(Method.POST, admin + "/keys", "key-create")
                .action(Method.DELETE, admin + "/keys/{id}", "key-revoke")
                .action(Method.DELETE, admin + "/tenants/{tenant}", "tenant-erase");
        return new AccessPolicy(b.rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rule of a request, the first whose method and pattern match (a trailing slash is ignored). */
    Optional<Matched> match(Method method, String path) {
        String normalized = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        UriPath uri = null;
        for (Rule rule : rules) {
            if (!rule.method().equals(method) || !couldMatch(rule.pattern(), normalized)) {
                continue;
            }
            if (uri == null) {
                uri = UriPath.create(normalized);
            }
            PathMatchers.MatchResult result = rule.matcher().match(uri);
            if (result.accepted()) {
                return Optional.of(new Matched(rule, result.path().pathParameters().first("tenant").orElse(null)));
            }
        }
        return Optional.empty();
    }

    /** The routes (as {@code METHOD pattern}) that have no rule, and the rules that match no route. */
    public Mismatch compare(Collection<String> routes) {
        Set<String> ruled = new TreeSet<>();
        rules.forEach(rule -> ruled.add(rule.method().text() + " " + rule.pattern()));
        Set<String> unruled = new TreeSet<>(routes);
        unruled.removeAll(ruled);
        Set<String> unrouted = new TreeSet<>(ruled);
        unrouted.removeAll(routes);
        return new Mismatch(List.copyOf(unruled), List.copyOf(unrouted));
    }

    public record Mismatch(List<String> routesWithoutRule, List<String> rulesWithoutRoute) {

        public boolean none() {
            return routesWithoutRule.isEmpty() && rulesWithoutRoute.isEmpty();
        }
    }

    /** A cheap test before the matcher: the pattern's literal start must be the path's start. */
    private static boolean couldMatch(String pattern, String path) {
        int literal = pattern.indexOf('{');
        return path.startsWith(literal < 0 ? pattern : pattern.substring(0, literal));
    }

    private static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        Builder rule(Method method, String pattern, Need need) {
            return add(method, pattern, need, null);
        }

        Builder action(Method method, String pattern, String action) {
            return add(method, pattern, Need.ADMIN, action);
        }

        Builder audited(Method method, String pattern, Need need, String action, String when) {
            rules.add(new Rule(method, pattern, need, action, when, workload(method, pattern, need),
                    PathMatchers.create(pattern)));
            return this;
        }

        private Builder add(Method method, String pattern, Need need, String action) {
            rules.add(new Rule(method, pattern, need, action, null, workload(method, pattern, need),
                    PathMatchers.create(pattern)));
            return this;
        }

        /** Searches (and similar-document lookups), other tenant reads, writes, admin calls; the rest none. */
        private static Workload workload(Method method, String pattern, Need need) {
            return switch (need) {
                case READ_TENANT -> method.equals(Method.POST) ? Workload.SEARCH : Workload.READ;
                case WRITE_TENANT -> Workload.WRITE;
                case ADMIN -> pattern.endsWith("/stream") ? Workload.NONE : Workload.ADMIN;
                default -> Workload.NONE;
            };
        }
    }
}
