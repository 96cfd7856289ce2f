package io.vectorsync.ui.access;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.command.api.ApiException;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.json.Bodies;
import io.vectorsync.json.Json;
import io.vectorsync.json.JsonInput;
import io.vectorsync.store.access.AccessTables;
import io.vectorsync.store.access.AuditRecord;
import io.vectorsync.store.access.StoredKey;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The front door's own admin API under {@code /v1/admin}: API keys (create, list, revoke), the audit log, and the
 * console's session (log in with an admin key, see it, log out).
 */
final class AccessAdmin implements HttpService {

    private static final Set<String> KEY_FIELDS = Set.of("name", "role", "tenants", "expiresAt", "ratePerSecond");
    private static final int MAX_BODY = 64 * 1024;

    private final KeyRing keys;
    private final Sessions sessions;
    private final AccessTables tables;
    private final FrontDoor door;
    private final Clock clock;

    AccessAdmin(KeyRing keys, Sessions sessions, AccessTables tables, FrontDoor door, Clock clock) {
        this.keys = keys;
        this.sessions = sessions;
        this.tables = tables;
        this.door = door;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/keys", this::listKeys)
                .post("/keys", this::createKey)
                .delete("/keys/{id}", this::revokeKey)
                .get("/audit", this::audit)
                .get("/session", this::session)
                .post("/session", this::logIn)
                .delete("/session", this::logOut);
    }

    private void createKey(ServerRequest req, ServerResponse res) {
        JsonInput input = JsonInput.parse(jsonBody(req), "body").allowOnly(KEY_FIELDS);
        String name = input.requiredString("name").strip();
        if (name.isEmpty() || name.length() > 200) {
            throw new InvalidInputException("name", "must be 1 to 200 characters");
        }
        Role role = Role.of(input.requiredString("role"), "role");
        List<String> tenants = tenants(input);
        Instant expiresAt = null;
        String expires = input.optionalString("expiresAt");
        if (expires != null) {
            try {
                expiresAt = Instant.parse(expires);
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("expiresAt", "must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
            }
            if (!expiresAt.isAfter(clock.instant())) {
                throw new InvalidInputException("expiresAt", "must be in the future");
            }
        }
        Double rate = input.optionalNumber("ratePerSecond");
        if (rate != null && !(rate > 0 && rate <= 1_000_000)) {
            throw new InvalidInputException("ratePerSecond", "must be more than 0 and at most 1000000");
        }
        KeyRing.Issued issued = keys.create(name, role, tenants, expiresAt, rate);
        AuditEntry.of(req).ifPresent(a -> a.target("keys/" + issued.key().id() + " (" + name + ", " + role.id() + ")"));
        res.status(Status.CREATED_201);
        send(res, describe(issued.key()).add("key", issued.secret()));
    }

    private static List<String> tenants(JsonInput input) {
        var array = input.optionalArray("tenants");
        if (array == null || array.isEmpty()) {
            throw new InvalidInputException("tenants", "is required: a list of tenants, or [\"*\"] for all");
        }
        List<String> tenants = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonValue value = array.get(i);
            if (!(value instanceof JsonString text)) {
                throw new InvalidInputException("tenants[" + i + "]", "must be a tenant name or \"*\"");
            }
            String tenant = text.getString();
            if (!tenant.equals(Caller.ALL_TENANTS)) {
                try {
                    DocumentIds.requireValidTenant(tenant);
                } catch (InvalidInputException e) {
                    throw new InvalidInputException("tenants[" + i + "]", e.getMessage());
                }
            }
            if (!tenants.contains(tenant)) {
                tenants.add(tenant);
            }
        }
        return tenants.contains(Caller.ALL_TENANTS) ? List.of(Caller.ALL_TENANTS) : tenants;
    }

    private void listKeys(ServerRequest req, ServerResponse res) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        if (keys.hasBootstrapKey()) {
            list.add(Json.createObjectBuilder().add("id", KeyRing.BOOTSTRAP_ID)
                    .add("name", "bootstrap admin key (configuration)").add("role", Role.ADMIN.id())
                    .add("tenants", Json.createArrayBuilder().add(Caller.ALL_TENANTS))
                    .add("source", "configuration").add("revoked", false));
        }
        keys.list().forEach(key -> list.add(describe(key)));
        send(res, Json.createObjectBuilder().add("keys", list));
    }

    private void revokeKey(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (KeyRing.BOOTSTRAP_ID.equals(id)) {
            throw ApiException.conflict("the bootstrap key comes from configuration "
                    + "(vectorsync.security.admin.key): remove it there and restart");
        }
        if (!keys.revoke(id)) {
            throw ApiException.notFound("no active API key " + id);
        }
        res.status(Status.NO_CONTENT_204);
        res.send();
    }

    private void audit(ServerRequest req, ServerResponse res) {
        int limit = intParameter(req, "limit", 50, 1, 500);
        Long before = req.query().first("before").map(b -> (long) parseInt(b, "before", 1, Integer.MAX_VALUE)).orElse(null);
        List<AuditRecord> records = tables.audit(limit, before);
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (AuditRecord record : records) {
            JsonObjectBuilder row = Json.createObjectBuilder().add("id", record.id()).add("at", record.at().toString())
                    .add("action", record.action()).add("target", record.target()).add("outcome", record.outcome())
                    .add("status", record.status());
            add(row, "keyId", record.keyId());
            add(row, "keyName", record.keyName());
            list.add(row);
        }
        JsonObjectBuilder body = Json.createObjectBuilder().add("records", list);
        if (records.size() == limit && !records.isEmpty()) {
            body.add("next", records.getLast().id());
        } else {
            body.addNull("next");
        }
        send(res, body);
    }

    private void session(ServerRequest req, ServerResponse res) {
        if (!keys.required()) {
            send(res, Json.createObjectBuilder().add("authRequired", false));
            return;
        }
        Caller caller = req.context().get(Caller.class).orElse(null);
        Sessions.Session session = req.headers().cookies().first(Sessions.COOKIE).flatMap(sessions::find).orElse(null);
        if (caller == null || session == null) {
            throw ApiException.unauthorized("log in to the console with an admin key");
        }
        send(res, describe(caller, session));
    }

    /** The body of a request that must be JSON: 415 for another media type, 413 above {@link #MAX_BODY}. */
    private static String jsonBody(ServerRequest req) {
        Bodies.requireMediaType(req.headers().contentType().map(type -> type.mediaType().text()).orElse(null),
                "application/json");
        return Bodies.readAll(req.content().inputStream(), MAX_BODY);
    }

    private void logIn(ServerRequest req, ServerResponse res) {
        if (!keys.required()) {
            send(res, Json.createObjectBuilder().add("authRequired", false));
            return;
        }
        String key = JsonInput.parse(jsonBody(req), "body")
                .allowOnly(Set.of("key")).requiredString("key").trim();
        Caller caller = keys.authenticate(key).orElse(null);
        AuditEntry entry = new AuditEntry("login", "session");
        if (caller == null) {
            door.record(null, entry, 401, "refused: unknown, revoked or expired key");
            throw ApiException.unauthorized("the key is not valid: unknown, revoked or expired");
        }
        if (caller.role() != Role.ADMIN) {
            door.record(caller, entry, 403, "denied: not an admin key");
            throw ApiException.forbidden("the console needs an admin key; this one is a " + caller.role().id() + " key");
        }
        Sessions.Session session = sessions.open(caller.keyId());
        door.record(caller, entry, 201, "ok");
        res.status(Status.CREATED_201);
        res.header(HeaderNames.SET_COOKIE, cookie(session.id(), sessions.maxAge().toSeconds(), req.isSecure()));
        send(res, describe(caller, session));
    }

    private void logOut(ServerRequest req, ServerResponse res) {
        req.headers().cookies().first(Sessions.COOKIE).ifPresent(sessions::close);
        req.context().get(Caller.class).ifPresent(caller -> door.record(caller, new AuditEntry("logout", "session"), 204,
                "ok"));
        res.header(HeaderNames.SET_COOKIE, cookie("", 0, req.isSecure()));
        res.status(Status.NO_CONTENT_204);
        res.send();
    }

    /** HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it; Secure over TLS. */
    private static String cookie(String value, long maxAgeSeconds, boolean secure) {
        return Sessions.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    private JsonObjectBuilder describe(Caller caller, Sessions.Session session) {
        return Json.createObjectBuilder().add("authRequired", true).add("keyId", caller.keyId())
                .add("name", caller.name()).add("role", caller.role().id())
                .add("expiresAt", sessions.expiresAt(session).toString())
                .add("csrfToken", session.csrfToken());
    }

    private static JsonObjectBuilder describe(StoredKey key) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("id", key.id()).add("name", key.name())
                .add("role", key.role()).add("tenants", Json.createArrayBuilder(key.tenants()))
                .add("createdAt", key.createdAt().toString()).add("revoked", key.revokedAt() != null);
        add(json, "lastUsedAt", key.lastUsedAt());
        add(json, "expiresAt", key.expiresAt());
        add(json, "revokedAt", key.revokedAt());
        if (key.ratePerSecond() != null) {
            json.add("ratePerSecond", key.ratePerSecond());
        } else {
            json.addNull("ratePerSecond");
        }
        return json;
    }

    private static void add(JsonObjectBuilder json, String name, Object value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value.toString());
        }
    }

    private static int intParameter(ServerRequest req, String name, int fallback, int min, int max) {
        return req.query().first(name).map(v -> parseInt(v, name, min, max)).orElse(fallback);
    }

    private static int parseInt(String value, String name, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidInputException(name, "must be a whole number from " + min + " to " + max);
    }

    private static void send(ServerResponse res, JsonObjectBuilder body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.build().toString());
    }
}
