package io.vectorsync.app;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.vectorsync.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The app's OpenAPI document as a contract: its operations (to compare with the routes the server has) and a check
 * of one answer — status, media type and body — against what the document declares for its path, method and status.
 * Bodies are validated with the document's own schemas (JSON Schema 2020-12), each with the document's components
 * beside it, so every {@code $ref} to {@code #/components/schemas/...} resolves as it does in the document.
 */
final class OpenApiContract {

    private static final String IRI = "https://vectorsync.dev/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern PARAMETER = Pattern.compile("\\{[^}/]+}");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final JsonNode document;
    private final SchemaRegistry schemas;

    private OpenApiContract(String json) {
        this.document = MAPPER.readTree(json);
        this.schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    }

    /** The document the app serves, from its resource (the same bytes {@code GET /openapi} answers). */
    static OpenApiContract load() {
        return of(Json.createObjectBuilder(OpenApi.parse(OpenApi.read())).build().toString());
    }

    static OpenApiContract of(String json) {
        return new OpenApiContract(json);
    }

    JsonNode document() {
        return document;
    }

    /** Every documented operation as {@code METHOD /path/{}} (parameter names left out, see {@link #normalize}). */
    Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (METHODS.contains(operation.getKey())) {
                    operations.add(normalize(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey()));
                }
            }
        }
        return operations;
    }

    /** {@code GET /a/{name}/b} as {@code GET /a/{}/b}: Helidon's and the document's parameter names may differ. */
    static String normalize(String route) {
        return PARAMETER.matcher(route).replaceAll("{}");
    }

    /**
     * The problems of one answer against the document (empty: it conforms): an undocumented path, method, status or
     * media type, or a body its schema refuses. An NDJSON body is checked line by line against {@code x-line-schema}.
     */
    List<String> violations(String method, String path, int status, String contentType, String body) {
        String where = method + " " + path + " → " + status;
        Optional<String> template = template(path);
        if (template.isEmpty()) {
            return List.of(where + ": no documented path matches");
        }
        JsonNode operation = document.get("paths").get(template.get()).get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            return List.of(where + ": " + template.get() + " documents no " + method);
        }
        JsonNode response = resolve(operation.get("responses").get(Integer.toString(status)));
        if (response == null) {
            return List.of(where + ": status not documented (" + names(operation.get("responses")) + ")");
        }
        JsonNode content = response.get("content");
        if (content == null) {
            return body.isEmpty() ? List.of() : List.of(where + ": documents no body, got " + abbreviate(body));
        }
        String mediaType = mediaType(contentType);
        JsonNode declared = null;
        for (Map.Entry<String, JsonNode> entry : content.properties()) {
            if (mediaType(entry.getKey()).equals(mediaType)) {
                declared = entry.getValue();
            }
        }
        if (declared == null) {
            return List.of(where + ": media type '" + contentType + "' not documented (" + names(content) + ")");
        }
        List<String> violations = new ArrayList<>();
        if (declared.has("x-line-schema")) {
            String[] lines = body.split("\n");
            for (int i = 0; i < lines.length; i++) {
                int line = i + 1;
                validate(declared.get("x-line-schema"), lines[i])
                        .forEach(v -> violations.add(where + ", line " + line + ": " + v));
            }
        } else if (mediaType.endsWith("json")) {
            validate(declared.get("schema"), body).forEach(v -> violations.add(where + ": " + v));
        }
        return violations;
    }

    /**
     * The problems of {@code json} against {@code schema} (a schema of the document, or a {@code $ref} into it). The
     * schema is validated with the document's {@code components} beside it, where its references point.
     */
    List<String> validate(JsonNode schema, String json) {
        ObjectNode resource = (ObjectNode) schema.deepCopy();
        resource.set("components", document.get("components"));
        Schema compiled = schemas.getSchema(SchemaLocation.of(IRI), resource);
        return compiled.validate(MAPPER.readTree(json)).stream()
                .map(error -> error.toString() + " in " + abbreviate(json)).toList();
    }

    /** The schema a component names, as a {@code $ref}: for checks of a body against one component. */
    static JsonNode component(String name) {
        return MAPPER.createObjectNode().put("$ref", "#/components/schemas/" + name);
    }

    /** The documented path template a concrete path matches; the one with most literal characters when several do. */
    Optional<String> template(String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        List<String> matching = new ArrayList<>();
        for (String template : document.get("paths").propertyNames()) {
            String regex = "\\Q" + PARAMETER.matcher(template).replaceAll("\\\\E[^/]+\\\\Q") + "\\E";
            if (bare.matches(regex)) {
                matching.add(template);
            }
        }
        return matching.stream().max(Comparator.comparingInt(t -> PARAMETER.matcher(t).replaceAll("").length()));
    }

    /** A response object, following a {@code $ref} to {@code #/components/responses/...}. */
    private JsonNode resolve(JsonNode node) {
        if (node == null || !node.has("$ref")) {
            return node;
        }
        return resolve(document.at(node.get("$ref").asString().substring(1)));
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String names(JsonNode object) {
        return String.join(", ", object.propertyNames());
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
