package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static io.vectorsync.projections.index.IndexFields.*;
import static io.vectorsync.projections.index.IndexFields.OpenSearch.*;

/**
 * The body that creates one physical index of a space: settings, the mapping spelled out field by
 * field, and optionally its aliases. Everything an entry holds is listed here ({@code dynamic: strict}),
 * except the typed metadata objects, whose fields appear as documents bring new keys.
 */
public final class Mappings {

    /**
     * How long a delete's version outlives the deleted document. Long enough that a retried, older
     * bulk item cannot recreate a deleted chunk in the meantime; the durable guard against late writes
     * is still the state document, which is never deleted.
     */
    static final String GC_DELETES = "1h";

    private Mappings() {
    }

    /**
     * The create-index body for {@code space}; {@code readAlias} and {@code writeAlias} (both nullable)
     * are created atomically with the index, the write alias as its write index.
     */
    public static JsonObject createIndexBody(SpaceSpec space, OpenSearchSettings settings,
                                             String readAlias, String writeAlias) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("settings", settings(settings))
                .add("mappings", mappings(space, settings.knn()));
        JsonObjectBuilder aliases = Json.createObjectBuilder();
        if (readAlias != null) {
            aliases.add(readAlias, Json.createObjectBuilder());
        }
        if (writeAlias != null) {
            aliases.add(writeAlias, Json.createObjectBuilder().add("is_write_index", true));
        }
        return body.add("aliases", aliases).build();
    }

    private static JsonObjectBuilder settings(OpenSearchSettings settings) {
        JsonObjectBuilder index = Json.createObjectBuilder()
                .add("number_of_shards", settings.shards())
                .add("number_of_replicas", settings.replicas())
                .add("knn", true)
                // read by the native engines; the lucene engine takes ef_search per query (method_parameters)
                .add("knn.algo_param.ef_search", settings.knn().efSearch())
                .add("gc_deletes", GC_DELETES);
        if (settings.refreshInterval() != null) {
            index.add("refresh_interval", settings.refreshInterval().toMillis() + "ms");
        }
        return Json.createObjectBuilder().add("index", index);
    }

    static JsonObject mappings(SpaceSpec space, OpenSearchSettings.KnnMethod knn) {
        return Json.createObjectBuilder()
                .add("dynamic", "strict")
                .add("dynamic_templates", Json.createArrayBuilder()
                        .add(template("metadata_keywords", METADATA_KEYWORD, "keyword"))
                        .add(template("metadata_numbers", METADATA_NUMBER, "double"))
                        .add(template("metadata_booleans", METADATA_BOOLEAN, "boolean")))
                .add("properties", Json.createObjectBuilder()
                        .add(KIND, type("keyword"))
                        .add(KEY, type("keyword"))
                        .add(TENANT, type("keyword"))
                        .add(DOCUMENT_ID, type("keyword"))
                        .add(VERSION, type("long"))
                        .add(CONTENT_REVISION, type("long"))
                        .add(DELETED, type("boolean"))
                        .add(CHUNK_COUNT, type("integer"))
                        // read back from _source only, to know which chunk ids a document occupies
                        .add(CHUNKS, type("integer").add("index", false).add("doc_values", false))
                        .add(CHUNK_NUMBER, type("integer"))
                        .add(START, type("integer"))
                        .add(END, type("integer"))
                        .add(MODEL, type("keyword"))
                        .add(CHUNKER, type("keyword"))
                        .add(CHUNK_MAX_TOKENS, type("integer"))
                        .add(CHUNK_OVERLAP_TOKENS, type("integer"))
                        .add(TITLE, type("text").add("fields", Json.createObjectBuilder()
                                .add("keyword", type("keyword").add("ignore_above", 1024))))
                        .add(PASSAGE, type("text").add("analyzer", "standard"))
                        // the exact metadata for hits; filters use the typed copies below
                        .add(METADATA_JSON, type("keyword").add("index", false).add("doc_values", false))
                        .add(METADATA, Json.createObjectBuilder()
                                .add("type", "object")
                                .add("dynamic", "strict")
                                .add("properties", Json.createObjectBuilder()
                                        .add(TYPED_KEYWORD, dynamicObject())
                                        .add(TYPED_NUMBER, dynamicObject())
                                        .add(TYPED_BOOLEAN, dynamicObject())))
                        .add(VECTOR, vector(space, knn)))
                .build();
    }

    static JsonObject vector(SpaceSpec space, OpenSearchSettings.KnnMethod knn) {
        JsonObjectBuilder parameters = Json.createObjectBuilder()
                .add("m", knn.m())
                .add("ef_construction", knn.efConstruction());
        if (knn.quantization() == OpenSearchSettings.Quantization.SQ) {
            parameters.add("encoder", Json.createObjectBuilder().add("name", "sq"));
        }
        return type("knn_vector")
                .add("dimension", space.dimension())
                .add("method", Json.createObjectBuilder()
                        .add("name", "hnsw")
                        .add("engine", knn.engine().value())
                        .add("space_type", OpenSearchSettings.KnnMethod.spaceType(space.metric()))
                        .add("parameters", parameters))
                .build();
    }

    private static JsonObjectBuilder type(String type) {
        return Json.createObjectBuilder().add("type", type);
    }

    private static JsonObjectBuilder dynamicObject() {
        return Json.createObjectBuilder().add("type", "object").add("dynamic", true);
    }

    private static JsonObjectBuilder template(String name, String pathPrefix, String type) {
        return Json.createObjectBuilder().add(name, Json.createObjectBuilder()
                .add("path_match", pathPrefix + ".*")
                .add("mapping", type(type)));
    }
}
