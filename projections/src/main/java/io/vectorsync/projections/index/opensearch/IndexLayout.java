package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.IndexUnavailableException;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names of a space's indexes and how they come to exist. Physical indexes are versioned,
 * {@code <prefix>-<space>-v<N>}; searches go through the read alias {@code <prefix>-<space>}, writes
 * through the write alias {@code <prefix>-<space>-write}. A blue/green rebuild creates the next
 * version with {@link #create} and later moves the aliases.
 */
public final class IndexLayout {

    /** OpenSearch index names are lower case and may not contain most punctuation. */
    private static final Pattern SPACE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final int MAX_NAME_BYTES = 255;

    private final String base;

    private IndexLayout(String base) {
        this.base = base;
    }

    public static IndexLayout of(String indexPrefix, SpaceSpec space) {
        if (!SPACE_NAME.matcher(space.name()).matches()) {
            throw new IllegalArgumentException("space name '" + space.name() + "' cannot name an OpenSearch index:"
                    + " use lower-case letters, digits, '.', '_' and '-'");
        }
        String base = indexPrefix + "-" + space.name();
        if (base.length() + "-write".length() > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("index names for space '" + space.name() + "' would be too long");
        }
        return new IndexLayout(base);
    }

    public String readAlias() {
        return base;
    }

    public String writeAlias() {
        return base + "-write";
    }

    public String physical(int version) {
        return base + "-v" + version;
    }

    /**
     * Creates physical index {@code version} from {@code body} (see {@link Mappings#createIndexBody}).
     * Returns false when it already exists: creation is idempotent, so racing processes are fine.
     */
    public boolean create(OpenSearchClient client, int version, JsonObject body) throws IOException {
        Reply reply = send(client, "PUT", "/" + physical(version), body);
        if (reply.status() == 200) {
            return true;
        }
        if (reply.status() == 400 && reply.errorType().equals("resource_already_exists_exception")) {
            return false;
        }
        throw reply.unexpected("creating index " + physical(version));
    }

    /**
     * The physical index behind the write alias, creating version 1 with both aliases when there is
     * none yet; refuses an index built for another dimension or metric.
     */
    String openOrCreate(OpenSearchClient client, SpaceSpec space, OpenSearchSettings settings) throws IOException {
        String physical = writeIndex(client);
        if (physical == null) {
            create(client, 1, Mappings.createIndexBody(space, settings, readAlias(), writeAlias()));
            physical = writeIndex(client);
            if (physical == null) {
                throw new IllegalStateException("index " + physical(1) + " exists without the alias " + writeAlias()
                        + "; add the aliases " + readAlias() + " and " + writeAlias() + " (is_write_index) to it");
            }
        }
        if (aliasTargets(client, readAlias()).isEmpty()) {
            throw new IllegalStateException("the write alias " + writeAlias() + " exists, but the read alias "
                    + readAlias() + " does not; point it at the live index");
        }
        requireBuiltFor(client, physical, space);
        return physical;
    }

    /**
     * Replaces the physical index {@code current} by an empty next version with the same settings: the new
     * index is created, both aliases move to it in one atomic {@code _aliases} call, and the old one is
     * deleted. A new index rather than deleting every entry, because deleted entries would keep their
     * versions for {@code gc_deletes} and turn the replay's writes away. Returns the new index's name.
     */
    String replaceWithEmpty(OpenSearchClient client, String current, SpaceSpec space, OpenSearchSettings settings)
            throws IOException {
        // a number no version uses: other versions of the space (a rebuild, a previous one) may exist
        int next = nextFreeVersion(client);
        if (!create(client, next, Mappings.createIndexBody(space, settings, null, null))) {
            throw new IllegalStateException("index " + physical(next) + " appeared while it was being created");
        }
        JsonObject actions = Json.createObjectBuilder().add("actions", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("remove", Json.createObjectBuilder()
                        .add("index", current).add("alias", readAlias())))
                .add(Json.createObjectBuilder().add("remove", Json.createObjectBuilder()
                        .add("index", current).add("alias", writeAlias())))
                .add(Json.createObjectBuilder().add("add", Json.createObjectBuilder()
                        .add("index", physical(next)).add("alias", readAlias())))
                .add(Json.createObjectBuilder().add("add", Json.createObjectBuilder()
                        .add("index", physical(next)).add("alias", writeAlias()).add("is_write_index", true))))
                .build();
        Reply swapped = send(client, "POST", "/_aliases", actions);
        if (swapped.status() != 200) {
            throw swapped.unexpected("moving the aliases of " + readAlias() + " to " + physical(next));
        }
        Reply dropped = send(client, "DELETE", "/" + current, null);
        if (dropped.status() != 200 && dropped.status() != 404) {
            throw dropped.unexpected("deleting the replaced index " + current);
        }
        return physical(next);
    }

    /** Changes dynamic settings of a physical index ({@code refresh_interval}, {@code number_of_replicas}). */
    void putSettings(OpenSearchClient client, String physical, JsonObject indexSettings) throws IOException {
        Reply reply = send(client, "PUT", "/" + physical + "/_settings",
                Json.createObjectBuilder().add("index", indexSettings).build());
        if (reply.status() != 200) {
            throw reply.unexpected("changing the settings of " + physical);
        }
    }

    /**
     * Moves the read and the write alias from wherever they point to {@code physical}, in one atomic
     * {@code _aliases} call; returns the index the write alias pointed at.
     */
    String moveAliases(OpenSearchClient client, String physical) throws IOException {
        String previous = currentWriteIndex(client);
        var actions = Json.createArrayBuilder();
        for (String index : aliasTargets(client, readAlias()).keySet()) {
            actions.add(Json.createObjectBuilder().add("remove", Json.createObjectBuilder()
                    .add("index", index).add("alias", readAlias())));
        }
        for (String index : aliasTargets(client, writeAlias()).keySet()) {
            actions.add(Json.createObjectBuilder().add("remove", Json.createObjectBuilder()
                    .add("index", index).add("alias", writeAlias())));
        }
        actions.add(Json.createObjectBuilder().add("add", Json.createObjectBuilder()
                        .add("index", physical).add("alias", readAlias())))
                .add(Json.createObjectBuilder().add("add", Json.createObjectBuilder()
                        .add("index", physical).add("alias", writeAlias()).add("is_write_index", true)));
        Reply moved = send(client, "POST", "/_aliases", Json.createObjectBuilder().add("actions", actions).build());
        if (moved.status() != 200) {
            throw moved.unexpected("moving the aliases of " + readAlias() + " to " + physical);
        }
        return previous;
    }

    /** Deletes a physical index; gone already is fine. */
    void delete(OpenSearchClient client, String physical) throws IOException {
        Reply deleted = send(client, "DELETE", "/" + physical, null);
        if (deleted.status() != 200 && deleted.status() != 404) {
            throw deleted.unexpected("deleting " + physical);
        }
    }

    /** The physical index the write alias points at now. */
    String currentWriteIndex(OpenSearchClient client) throws IOException {
        String physical = writeIndex(client);
        if (physical == null) {
            throw new IllegalStateException("the alias " + writeAlias() + " points at no index");
        }
        return physical;
    }

    /** One more than the highest version of this space's index that exists. */
    int nextFreeVersion(OpenSearchClient client) throws IOException {
        Reply reply = send(client, "GET", "/" + base + "-v*/_alias", null);
        if (reply.status() != 200) {
            throw reply.unexpected("listing the versions of " + readAlias());
        }
        int highest = 0;
        for (String index : reply.body().keySet()) {
            highest = Math.max(highest, versionOf(index));
        }
        return highest + 1;
    }

    /** N of {@code <base>-vN}; 0 for an index not named by this layout (the next version is then 1). */
    int versionOf(String physical) {
        String prefix = base + "-v";
        if (physical.startsWith(prefix)) {
            try {
                return Integer.parseInt(physical.substring(prefix.length()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** The index the write alias writes to; null when the alias does not exist. */
    private String writeIndex(OpenSearchClient client) throws IOException {
        Map<String, JsonValue> targets = aliasTargets(client, writeAlias());
        if (targets.size() == 1) {
            return targets.keySet().iterator().next();
        }
        for (Map.Entry<String, JsonValue> target : targets.entrySet()) {
            JsonObject alias = target.getValue().asJsonObject().getJsonObject("aliases").getJsonObject(writeAlias());
            if (alias != null && alias.getBoolean("is_write_index", false)) {
                return target.getKey();
            }
        }
        if (!targets.isEmpty()) {
            throw new IllegalStateException("the alias " + writeAlias() + " points at " + targets.keySet()
                    + " without a write index");
        }
        return null;
    }

    private static Map<String, JsonValue> aliasTargets(OpenSearchClient client, String alias) throws IOException {
        Reply reply = send(client, "GET", "/_alias/" + alias, null);
        if (reply.status() == 404) {
            return Map.of();
        }
        if (reply.status() != 200) {
            throw reply.unexpected("reading alias " + alias);
        }
        return reply.body();
    }

    private static void requireBuiltFor(OpenSearchClient client, String physical, SpaceSpec space) throws IOException {
        Reply reply = send(client, "GET", "/" + physical + "/_mapping", null);
        if (reply.status() != 200) {
            throw reply.unexpected("reading the mapping of " + physical);
        }
        JsonObject vector = reply.body().getJsonObject(physical).getJsonObject("mappings")
                .getJsonObject("properties").getJsonObject(IndexFields.VECTOR);
        String spaceType = OpenSearchSettings.KnnMethod.spaceType(space.metric());
        int dimension = vector == null ? -1 : vector.getInt("dimension", -1);
        String builtFor = vector == null || !vector.containsKey("method") ? null
                : vector.getJsonObject("method").getString("space_type", null);
        if (dimension != space.dimension() || !spaceType.equals(builtFor)) {
            throw new IllegalStateException("index " + physical + " was built for dimension " + dimension + " and "
                    + builtFor + ", not for space " + space + "; rebuild it into a new index version");
        }
    }

    private static Reply send(OpenSearchClient client, String method, String path, JsonObject body) throws IOException {
        Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(path);
        if (body != null) {
            request.json(body);
        }
        try (Response response = client.generic().execute(request.build())) {
            String text = response.getBody().map(Body::bodyAsString).orElse("{}");
            JsonObject json;
            try (var reader = Json.createReader(new StringReader(text))) {
                json = reader.readObject();
            }
            return new Reply(response.getStatus(), json);
        }
    }

    private record Reply(int status, JsonObject body) {

        String errorType() {
            JsonValue error = body.get("error");
            return error instanceof JsonObject object ? object.getString("type", "") : "";
        }

        /** A cluster that is starting or overloaded may answer later; anything else needs a person. */
        RuntimeException unexpected(String what) {
            String message = "OpenSearch answered " + status + " to " + what + ": " + body;
            return Failures.isTransientStatus(status) ? new IndexUnavailableException(message, null)
                    : new IllegalStateException(message);
        }
    }

    @Override
    public String toString() {
        return "IndexLayout[read=" + readAlias() + ", write=" + writeAlias() + "]";
    }
}
