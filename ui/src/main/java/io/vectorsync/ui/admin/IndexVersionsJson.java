package io.vectorsync.ui.admin;

import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.json.Json;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.versions.FeedProgress;
import io.vectorsync.projections.versions.IndexBackend;
import io.vectorsync.projections.versions.Reembedding;
import io.vectorsync.projections.versions.SpaceVersions;
import io.vectorsync.projections.versions.VersionState;
import io.vectorsync.projections.versions.VersionedDocument;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.List;
import java.util.Locale;

/** The admin API's JSON for index versions: what the console shows and scripts read. */
final class IndexVersionsJson {

    private final EmbeddingSpaces spaces;
    private final List<String> models;

    /** @param models the in-process embedding models a rebuild may name */
    IndexVersionsJson(EmbeddingSpaces spaces, List<String> models) {
        this.spaces = spaces;
        this.models = List.copyOf(models);
    }

    /** Every space: its live version, dimension, metric, the models it may move to, and its versions. */
    JsonObject spaces(List<SpaceVersions> all) {
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (SpaceVersions space : all) {
            EmbeddingSpace embedding = spaces.require(space.space(), "space");
            JsonObjectBuilder row = Json.createObjectBuilder();
            // searches read the read alias, the live processor writes the write alias; a swap moves both
            space.aliases().ifPresent(aliases -> row.add("aliases", Json.createObjectBuilder()
                    .add("read", aliases.read()).add("write", aliases.write()).add("index", aliases.index())));
            JsonArrayBuilder versions = Json.createArrayBuilder();
            space.versions().forEach(version -> versions.add(version(version)));
            out.add(row.add("space", space.space()).add("liveVersion", space.liveVersion())
                    .add("dimension", embedding.dimension()).add("metric", embedding.metric())
                    .add("models", Json.createArrayBuilder(embedding.embedsInProcess() ? models : List.of()))
                    .add("versions", versions));
        }
        return Json.createObjectBuilder().add("spaces", out).build();
    }

    /** One version: role, settings, processor, model, progress, and where its entries are. */
    JsonObject version(VersionState state) {
        JsonObjectBuilder row = Json.createObjectBuilder().add("version", state.version().version())
                .add("role", state.version().role().wireName());
        if (state.registered()) {
            row.add("settings", state.version().settings().toJson())
                    .add("createdAt", state.version().createdAt().toString());
        }
        row.add("processor", state.processor());
        if (state.model() != null) {
            row.add("model", state.model());
        }
        state.reembedding().ifPresent(job -> row.add("reembedding", reembedding(job)));
        state.progress().ifPresent(progress -> row.add("progress", progress(progress)));
        IndexBackend.Location location = state.location();
        return row.add(location.kind(), location.name()).build();
    }

    private static JsonObjectBuilder reembedding(Reembedding.Progress job) {
        JsonObjectBuilder out = Json.createObjectBuilder().add("documentsDone", job.done())
                .add("documentsTotal", job.total()).add("failed", job.failed()).add("finished", job.finished());
        return job.error() == null ? out : out.add("error", job.error());
    }

    private static JsonObjectBuilder progress(FeedProgress progress) {
        JsonObjectBuilder out = Json.createObjectBuilder()
                .add("position", progress.position())
                .add("head", progress.head())
                .add("eventsDone", progress.eventsDone())
                .add("eventsTotal", progress.eventsTotal())
                .add("caughtUp", progress.caughtUp());
        if (progress.error() != null) {
            out.add("error", progress.error());
        }
        out.add("eventsPerSecond", progress.eventsPerSecond());
        progress.secondsLeft().ifPresent(seconds -> out.add("secondsLeft", seconds));
        return out;
    }

    /** One document as every version of a space's index holds it now. */
    static JsonObject document(String space, String tenant, String documentId, List<VersionedDocument> held) {
        JsonArrayBuilder rows = Json.createArrayBuilder();
        for (VersionedDocument version : held) {
            JsonObjectBuilder row = Json.createObjectBuilder().add("version", version.version())
                    .add("role", version.role().wireName())
                    .add("state", version.held().name().toLowerCase(Locale.ROOT));
            version.documentVersion().ifPresent(v -> row.add("documentVersion", v));
            version.content().ifPresent(entry -> content(row, entry));
            rows.add(row);
        }
        return Json.createObjectBuilder().add("space", space).add("tenant", tenant).add("documentId", documentId)
                .add("versions", rows).build();
    }

    private static void content(JsonObjectBuilder row, ReplaceChunks entry) {
        JsonArrayBuilder chunks = Json.createArrayBuilder();
        entry.chunks().forEach(chunk -> chunks.add(Json.createObjectBuilder().add("index", chunk.index())
                .add("passage", chunk.passage()).add("start", chunk.start()).add("end", chunk.end())));
        row.add("contentRevision", entry.contentRevision())
                .add("title", entry.title() == null ? "" : entry.title())
                .add("chunks", chunks);
        if (entry.provenance() != null && entry.provenance().model() != null) {
            row.add("model", entry.provenance().model());
        }
    }
}
