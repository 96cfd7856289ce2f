package io.vectorsync.app;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The document itself, and that the contract check refuses what does not conform (so a wrong schema fails). */
class OpenApiDocumentTest {

    private static final OpenApiContract CONTRACT = OpenApiContract.load();
    private static final String WRITE = """
            {"tenant": "acme", "documentId": "a", "result": "created", "version": 1, "position": 7}""";

    @Test
    void isOpenApi31AndEveryReferenceResolves() {
        JsonNode document = CONTRACT.document();
        assertThat(document.get("openapi").asString()).isEqualTo("3.1.0");
        List<String> broken = new ArrayList<>();
        references(document, document, broken);
        assertThat(broken).as("$refs that point nowhere").isEmpty();
    }

    @Test
    void aConformingAnswerPasses() {
        assertThat(CONTRACT.violations("PUT", "/v1/tenants/acme/documents/a", 201, "application/json", WRITE)).isEmpty();
        assertThat(CONTRACT.violations("POST", "/v1/tenants/acme/documents:batch", 200, "application/x-ndjson",
                "{\"line\": 1, \"status\": 404, \"documentId\": \"x\", \"problem\": {\"type\": "
                        + "\"https://vectorsync.dev/problems/not-found\", \"title\": \"Not found\", \"status\": 404}}\n"))
                .isEmpty();
    }

    @Test
    void aBodyMissingARequiredFieldOrWithAnUnknownOneIsRefused() {
        assertThat(CONTRACT.violations("PUT", "/v1/tenants/acme/documents/a", 201, "application/json",
                WRITE.replace(", \"position\": 7", ""))).singleElement().asString().contains("position");
        assertThat(CONTRACT.violations("PUT", "/v1/tenants/acme/documents/a", 201, "application/json",
                WRITE.replace("}", ", \"extra\": true}"))).singleElement().asString().contains("extra");
        assertThat(CONTRACT.validate(OpenApiContract.component("Problem"),
                "{\"type\": \"https://vectorsync.dev/problems/made-up\", \"title\": \"x\", \"status\": 400}")).isNotEmpty();
        assertThat(CONTRACT.violations("POST", "/v1/tenants/acme/documents:batch", 200, "application/x-ndjson",
                "{\"line\": 1}\n")).singleElement().asString().contains("line 1").contains("status");
    }

    @Test
    void anUndocumentedPathStatusOrMediaTypeIsRefused() {
        assertThat(CONTRACT.violations("GET", "/v1/nothing", 200, "application/json", "{}"))
                .singleElement().asString().contains("no documented path");
        assertThat(CONTRACT.violations("PATCH", "/v1/tenants/acme/documents/a", 200, "application/json", "{}"))
                .singleElement().asString().contains("documents no PATCH");
        assertThat(CONTRACT.violations("PUT", "/v1/tenants/acme/documents/a", 418, "application/json", "{}"))
                .singleElement().asString().contains("status not documented");
        assertThat(CONTRACT.violations("PUT", "/v1/tenants/acme/documents/a", 201, "text/html", WRITE))
                .singleElement().asString().contains("media type");
    }

    @Test
    void pathsMatchTheirTemplatesWithTheBatchRouteApart() {
        assertThat(CONTRACT.template("/v1/tenants/acme/documents:batch")).hasValue("/v1/tenants/{tenant}/documents:batch");
        assertThat(CONTRACT.template("/v1/tenants/acme/documents/a:b")).hasValue("/v1/tenants/{tenant}/documents/{documentId}");
        assertThat(CONTRACT.template("/v1/admin/processors/vector-index/pause?x=1"))
                .hasValue("/v1/admin/processors/{name}/pause");
        assertThat(OpenApiContract.normalize("POST /v1/tenants/{tenant}/documents/{id}/similar"))
                .isEqualTo("POST /v1/tenants/{}/documents/{}/similar");
    }

    private static void references(JsonNode root, JsonNode node, List<String> broken) {
        if (node.isObject() && node.has("$ref")) {
            String ref = node.get("$ref").asString();
            if (!ref.startsWith("#/") || root.at(ref.substring(1)).isMissingNode()) {
                broken.add(ref);
            }
        }
        for (JsonNode child : node) {
            references(root, child, broken);
        }
    }
}
