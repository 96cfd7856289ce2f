package io.vectorsync.ui.admin;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.json.Bodies;
import io.vectorsync.json.Json;
import io.vectorsync.ui.access.AuditEntry;
import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.projections.versions.IndexVersions;
import io.vectorsync.projections.versions.Role;
import io.vectorsync.projections.versions.VersionSettings;
import io.vectorsync.projections.versions.VersionState;
import jakarta.json.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * {@code /v1/admin/indexes}: the versions of each space's index (see {@link IndexVersions}): start a rebuild into
 * a new version with new settings and watch its progress, swap it live, swap back, drop a version.
 */
public final class IndexAdmin implements HttpService {

    private static final long MAX_BODY = 64 * 1024;

    private final IndexVersions versions;
    private final DriftCheck drift;
    private final EmbeddingSpaces spaces;
    private final IndexVersionsJson json;

    /** @param models the in-process embedding models a rebuild may name */
    public IndexAdmin(IndexVersions versions, DriftCheck drift, EmbeddingSpaces spaces, List<String> models) {
        this.versions = versions;
        this.drift = drift;
        this.spaces = spaces;
        this.json = new IndexVersionsJson(spaces, models);
    }

    /** Every space with its versions, as {@code GET /v1/admin/indexes} answers (the console's live stream too). */
    public JsonObject describe() {
        return json.spaces(versions.describe());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/indexes", (req, res) -> send(res, 200, describe()))
                .post("/indexes/{space}/versions", this::rebuild)
                .post("/indexes/{space}/versions/{version}/swap", this::swap)
                .get("/indexes/{space}/drift", (req, res) -> {
                    int version = versionParameter(req);
                    send(res, 200, drift.check(space(req), versions.modelFilter(space(req), version), versions.index(space(req), version),
                            () -> versions.processedPosition(space(req), version)).toJson());
                })
                .post("/indexes/{space}/drift/repair", (req, res) -> {
                    int version = versionParameter(req);
                    send(res, 200, drift.repair(space(req), versions.modelFilter(space(req), version), versions.index(space(req), version),
                            () -> versions.processedPosition(space(req), version)).toJson());
                })
                .get("/indexes/{space}/documents/{tenant}/{documentId}", (req, res) -> {
                    String tenant = req.path().pathParameters().get("tenant");
                    String documentId = req.path().pathParameters().get("documentId");
                    send(res, 200, IndexVersionsJson.document(space(req), tenant, documentId,
                            versions.document(space(req), tenant, documentId)));
                })
                .delete("/indexes/{space}/versions/{version}", (req, res) -> {
                    versions.drop(space(req), version(req));
                    send(res, 200, Json.createObjectBuilder().add("dropped", version(req)).build());
                });
    }

    private void rebuild(ServerRequest req, ServerResponse res) {
        String body = "";
        if (req.content().hasEntity()) {
            Bodies.requireMediaType(req.headers().contentType().map(type -> type.mediaType().text()).orElse(null),
                    "application/json");
            body = Bodies.readAll(req.content().inputStream(), MAX_BODY);
        }
        VersionSettings settings = RebuildRequest.parse(body, space(req), spaces);
        VersionState built = versions.rebuild(space(req), settings);
        // the audit log tells a re-embedding and a point-in-time build from a plain rebuild
        AuditEntry.of(req).ifPresent(entry -> entry.target("indexes/" + space(req) + "/versions/"
                        + built.version().version())
                .action(built.reembedding().isPresent() ? "re-embed"
                        : built.version().role() == Role.POINT_IN_TIME ? "point-in-time" : "rebuild"));
        send(res, 202, json.version(built));
    }

    private void swap(ServerRequest req, ServerResponse res) {
        Optional<AuditEntry> audit = AuditEntry.of(req);
        // swapping back to the version that was live before is a rollback
        if (audit.isPresent() && versions.version(space(req), version(req)).role() == Role.PREVIOUS) {
            audit.get().action("rollback");
        }
        send(res, 200, json.spaces(versions.swap(space(req), version(req))));
    }

    private static String space(ServerRequest req) {
        return req.path().pathParameters().get("space");
    }

    private static int version(ServerRequest req) {
        String value = req.path().pathParameters().get("version");
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("version", "must be a whole number, got '" + value + "'");
        }
    }

    /** {@code ?version=N}, the live version when absent. */
    private int versionParameter(ServerRequest req) {
        String value = req.query().first("version").orElse(null);
        if (value == null) {
            return versions.liveVersionOf(space(req));
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("version", "must be a whole number, got '" + value + "'");
        }
    }

    private static void send(ServerResponse res, int status, JsonObject body) {
        res.status(Status.create(status));
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(body.toString());
    }
}
