package io.vectorsync.query.search;

import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.projections.index.HybridQuery;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.MetadataFilter.AnyOf;
import io.vectorsync.projections.index.MetadataFilter.Equals;
import io.vectorsync.projections.index.MetadataFilter.Range;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.query.TextEmbedder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchRequestParserTest {

    private static final String TENANT = "acme";
    private static final SpaceSpec DEFAULT = new SpaceSpec("default", 384, SpaceSpec.Metric.COSINE);
    private static final SpaceSpec SMALL = new SpaceSpec("small", 3, SpaceSpec.Metric.DOT_PRODUCT);

    private final SearchRequestParser parser = new SearchRequestParser("default", List.of(DEFAULT, SMALL));

    @Test
    void parsesAFullVectorRequest() {
        SearchRequest request = parser.parse(TENANT, """
                {"vector": [0.1, 0.2, 0.3], "space": "small", "k": 5, "minScore": 0.5,
                 "filter": {"lang": "en", "draft": false, "year": 2024,
                            "tags": ["a", 7, true], "price": {"gte": 10, "lt": 99.5}}}
                """);

        VectorQuery query = request.toQuery(TextEmbedder.none());

        assertThat(query.tenant()).isEqualTo(TENANT);
        assertThat(query.vector()).containsExactly(0.1f, 0.2f, 0.3f);
        assertThat(query.k()).isEqualTo(5);
        assertThat(query.minScore()).isEqualTo(0.5f);
        assertThat(query.filter()).isEqualTo(new MetadataFilter(List.of(
                new Equals("lang", "en"),
                new Equals("draft", false),
                new Equals("year", new BigDecimal("2024")),
                new AnyOf("tags", List.of("a", new BigDecimal("7"), true)),
                new Range("price", null, new BigDecimal("10"), new BigDecimal("99.5"), null))));
        assertThat(request.space()).isEqualTo(SMALL);
    }

    @Test
    void textRequestUsesDefaultsAndIsEmbeddedInTheRequestedSpace() {
        SearchRequest request = parser.parse(TENANT, "{\"text\": \"how do I reset my password\"}");
        float[] embedded = new float[384];
        embedded[0] = 1f;

        VectorQuery query = request.toQuery((space, text) -> {
            assertThat(space).isEqualTo("default");
            assertThat(text).isEqualTo("how do I reset my password");
            return embedded;
        });

        assertThat(request.space()).isEqualTo(DEFAULT);
        assertThat(query.vector()).isSameAs(embedded);
        assertThat(query.k()).isEqualTo(SearchRequestParser.DEFAULT_K);
        assertThat(query.filter()).isEqualTo(MetadataFilter.NONE);
        assertThat(query.minScore()).isNull();
    }

    @Test
    void explicitNullsMeanAbsent() {
        SearchRequest request = parser.parse(TENANT,
                "{\"text\": \"x\", \"vector\": null, \"space\": null, \"k\": null, \"filter\": null, \"minScore\": null}");

        assertThat(request.text()).isEqualTo("x");
        assertThat(request.k()).isEqualTo(10);
        assertThat(request.filter()).isEqualTo(MetadataFilter.NONE);
    }

    @Test
    void textInASpaceWithoutModelIsRefusedNamingSpace() {
        SearchRequest request = parser.parse(TENANT, "{\"text\": \"x\", \"space\": \"small\"}");

        assertThatThrownBy(() -> request.toQuery(TextEmbedder.none()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("space"))
                .hasMessageContaining("has no model; send a vector");
    }

    @Test
    void aModelReturningTheWrongDimensionIsAServerFault() {
        SearchRequest request = parser.parse(TENANT, "{\"text\": \"x\"}");

        assertThatThrownBy(() -> request.toQuery((space, text) -> new float[3]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned 3 dimensions; the space declares 384");
    }

    @Test
    void rejectsAMalformedTenant() {
        rejects("Acme!", "{\"text\": \"x\"}", "tenant", "must be 1-63 characters");
    }

    @Test
    void rejectsBodiesThatAreNotAJsonObject() {
        rejects("", "body", "is empty");
        rejects("[1]", "body", "must be a JSON object");
        rejects("{\"text\": ", "body", "is not valid JSON");
    }

    @Test
    void rejectsUnknownFields() {
        rejects("{\"text\": \"x\", \"topK\": 3}", "topK", "is not a known field");
    }

    @Test
    void requiresExactlyOneOfTextAndVector() {
        rejects("{}", "text", "is required unless a vector is sent");
        rejects("{\"text\": \"x\", \"vector\": [1, 2, 3], \"space\": \"small\"}", "vector", "cannot be sent together with text");
    }

    @Test
    void rejectsBadText() {
        rejects("{\"text\": 42}", "text", "must be a string");
        rejects("{\"text\": \"  \"}", "text", "must not be blank");
        rejects("{\"text\": \"" + "a".repeat(10_001) + "\"}", "text", "has 10001 characters; at most 10000");
    }

    @Test
    void acceptsTextOfExactlyTheMaximumLength() {
        assertThat(parser.parse(TENANT, "{\"text\": \"" + "a".repeat(10_000) + "\"}").text()).hasSize(10_000);
    }

    @Test
    void rejectsBadVectors() {
        rejects("{\"vector\": [1, 2, 3]}", "vector", "has 3 dimensions; space 'default' needs 384");
        rejects("{\"vector\": [], \"space\": \"small\"}", "vector", "must not be empty");
        rejects("{\"vector\": [1, \"2\", 3], \"space\": \"small\"}", "vector[1]", "must be a number");
        rejects("{\"vector\": [1, 1e300, 3], \"space\": \"small\"}", "vector", "finite");
        rejects("{\"vector\": \"1,2,3\", \"space\": \"small\"}", "vector", "must be an array");
    }

    @Test
    void rejectsAZeroVectorOnlyWhereCosineIsUndefined() {
        rejects("{\"vector\": [" + String.join(",", Collections.nCopies(384, "0")) + "]}", "vector", "is all zeros");
        assertThat(parser.parse(TENANT, "{\"vector\": [0, 0, 0], \"space\": \"small\"}").vector()).containsExactly(0f, 0f, 0f);
    }

    @Test
    void theDimensionMessageIsExact() {
        assertThatThrownBy(() -> parser.parse(TENANT, "{\"vector\": [1, 2, 3]}"))
                .hasMessage("vector: has 3 dimensions; space 'default' needs 384");
    }

    @Test
    void rejectsAnUnknownSpace() {
        rejects("{\"text\": \"x\", \"space\": \"large\"}", "space", "'large' is not a known space; known spaces: [default, small]");
        rejects("{\"text\": \"x\", \"space\": 1}", "space", "must be a string");
    }

    @Test
    void rejectsKOutsideOneToHundred() {
        rejects("{\"text\": \"x\", \"k\": 0}", "k", "between 1 and 100");
        rejects("{\"text\": \"x\", \"k\": 101}", "k", "between 1 and 100");
        rejects("{\"text\": \"x\", \"k\": 2.5}", "k", "must be an integer");
        rejects("{\"text\": \"x\", \"k\": \"5\"}", "k", "must be an integer");
        assertThat(parser.parse(TENANT, "{\"text\": \"x\", \"k\": 100}").k()).isEqualTo(100);
        assertThat(parser.parse(TENANT, "{\"text\": \"x\", \"k\": 1}").k()).isEqualTo(1);
    }

    @Test
    void rejectsMinScoreOutsideZeroToOne() {
        rejects("{\"text\": \"x\", \"minScore\": -0.1}", "minScore", "between 0 and 1");
        rejects("{\"text\": \"x\", \"minScore\": 1.01}", "minScore", "between 0 and 1");
        rejects("{\"text\": \"x\", \"minScore\": \"high\"}", "minScore", "must be a number");
        assertThat(parser.parse(TENANT, "{\"text\": \"x\", \"minScore\": 0}").minScore()).isEqualTo(0f);
        assertThat(parser.parse(TENANT, "{\"text\": \"x\", \"minScore\": 1}").minScore()).isEqualTo(1f);
    }

    @Test
    void rejectsAFilterThatIsNotAnObject() {
        rejects("{\"text\": \"x\", \"filter\": [\"lang\"]}", "filter", "must be a JSON object");
    }

    @Test
    void rejectsNullAndBlankFilterFields() {
        rejects("{\"text\": \"x\", \"filter\": {\"lang\": null}}", "filter.lang", "null matches nothing");
        rejects("{\"text\": \"x\", \"filter\": {\" \": \"en\"}}", "filter", "must not be blank");
    }

    @Test
    void rejectsBadAnyOfArrays() {
        rejects("{\"text\": \"x\", \"filter\": {\"tags\": []}}", "filter.tags", "must not be an empty array");
        rejects("{\"text\": \"x\", \"filter\": {\"tags\": [\"a\", null]}}", "filter.tags[1]", "must be a string, number or boolean");
        rejects("{\"text\": \"x\", \"filter\": {\"tags\": [[\"a\"]]}}", "filter.tags[0]", "must be a string, number or boolean");
        rejects("{\"text\": \"x\", \"filter\": {\"tags\": [{\"gt\": 1}]}}", "filter.tags[0]", "must be a string, number or boolean");
        String tooMany = String.join(",", Collections.nCopies(101, "\"t\""));
        rejects("{\"text\": \"x\", \"filter\": {\"tags\": [" + tooMany + "]}}", "filter.tags", "has 101 values; at most 100");
    }

    @Test
    void acceptsAHundredAnyOfValues() {
        String hundred = String.join(",", Collections.nCopies(100, "\"t\""));
        MetadataFilter filter = parser.parse(TENANT, "{\"text\": \"x\", \"filter\": {\"tags\": [" + hundred + "]}}").filter();
        assertThat(((AnyOf) filter.conditions().getFirst()).values()).hasSize(100);
    }

    @Test
    void rejectsBadRanges() {
        rejects("{\"text\": \"x\", \"filter\": {\"price\": {\"between\": [1, 2]}}}", "filter.price.between", "is not a range operator; use gt, gte, lt, lte");
        rejects("{\"text\": \"x\", \"filter\": {\"price\": {}}}", "filter.price", "must have at least one of gt, gte, lt, lte");
        rejects("{\"text\": \"x\", \"filter\": {\"price\": {\"gt\": \"10\"}}}", "filter.price.gt", "must be a number");
        rejects("{\"text\": \"x\", \"filter\": {\"price\": {\"gt\": 1, \"gte\": 2}}}", "filter.price", "gt or gte, not both");
        rejects("{\"text\": \"x\", \"filter\": {\"price\": {\"lt\": 1, \"lte\": 2}}}", "filter.price", "lt or lte, not both");
    }

    @Test
    void limitsTheNumberOfConditions() {
        assertThat(parser.parse(TENANT, "{\"text\": \"x\", \"filter\": " + conditions(32) + "}").filter().conditions()).hasSize(32);
        rejects("{\"text\": \"x\", \"filter\": " + conditions(33) + "}", "filter", "has 33 conditions; at most 32");
    }

    @Test
    void theModeIsKnnUnlessAskedOtherwise() {
        assertThat(parser.parse(TENANT, "{\"text\": \"x\"}").mode()).isEqualTo(SearchMode.KNN);
        assertThat(parser.parse(TENANT, "{\"text\": \"x\", \"mode\": null}").mode()).isEqualTo(SearchMode.KNN);
        assertThat(parser.parse(TENANT, "{\"text\": \"x\", \"mode\": \"knn\"}").mode()).isEqualTo(SearchMode.KNN);
        assertThat(parser.parse(TENANT, "{\"text\": \"x\", \"mode\": \"hybrid\"}").mode()).isEqualTo(SearchMode.HYBRID);
    }

    @Test
    void rejectsAnUnknownMode() {
        rejects("{\"text\": \"x\", \"mode\": \"bm25\"}", "mode", "'bm25' is not a search mode; use knn or hybrid");
        rejects("{\"text\": \"x\", \"mode\": \"HYBRID\"}", "mode", "is not a search mode");
        rejects("{\"text\": \"x\", \"mode\": true}", "mode", "must be a string");
    }

    @Test
    void hybridEmbedsTheTextWhenNoVectorIsSent() {
        SearchRequest request = parser.parse(TENANT, """
                {"mode": "hybrid", "text": "part XK-4471", "k": 3, "filter": {"lang": "en"}}
                """);
        float[] embedded = new float[384];
        embedded[1] = 1f;

        HybridQuery query = request.toHybridQuery((space, text) -> {
            assertThat(space).isEqualTo("default");
            assertThat(text).isEqualTo("part XK-4471");
            return embedded;
        });

        assertThat(query.tenant()).isEqualTo(TENANT);
        assertThat(query.text()).isEqualTo("part XK-4471");
        assertThat(query.vector()).isSameAs(embedded);
        assertThat(query.k()).isEqualTo(3);
        assertThat(query.filter()).isEqualTo(new MetadataFilter(List.of(new Equals("lang", "en"))));
    }

    @Test
    void hybridTakesAVectorTogetherWithTheTextAndEmbedsNothing() {
        SearchRequest request = parser.parse(TENANT,
                "{\"mode\": \"hybrid\", \"text\": \"XK-4471\", \"vector\": [0.1, 0.2, 0.3], \"space\": \"small\"}");

        HybridQuery query = request.toHybridQuery(TextEmbedder.none());

        assertThat(query.text()).isEqualTo("XK-4471");
        assertThat(query.vector()).containsExactly(0.1f, 0.2f, 0.3f);
    }

    @Test
    void hybridNeedsTheText() {
        rejects("{\"mode\": \"hybrid\"}", "text", "is required in mode hybrid");
        rejects("{\"mode\": \"hybrid\", \"vector\": [1, 2, 3], \"space\": \"small\"}", "text", "is required in mode hybrid");
        rejects("{\"mode\": \"hybrid\", \"text\": \" \"}", "text", "must not be blank");
    }

    @Test
    void hybridChecksTheVectorLikeKnn() {
        rejects("{\"mode\": \"hybrid\", \"text\": \"x\", \"vector\": [1, 2, 3]}", "vector",
                "has 3 dimensions; space 'default' needs 384");
    }

    @Test
    void hybridRefusesMinScoreBecauseFusedScoresAreNotSimilarities() {
        rejects("{\"mode\": \"hybrid\", \"text\": \"x\", \"minScore\": 0.5}", "minScore",
                "does not apply in mode hybrid: its scores are fused ranks (Reciprocal Rank Fusion), not similarities");
        assertThat(parser.parse(TENANT, "{\"mode\": \"hybrid\", \"text\": \"x\", \"minScore\": null}").minScore()).isNull();
    }

    @Test
    void rejectsASpaceSetupWithoutTheDefaultSpace() {
        assertThatThrownBy(() -> new SearchRequestParser("missing", List.of(DEFAULT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("default space 'missing'");
    }

    private static String conditions(int count) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("\"f").append(i).append("\": ").append(i);
        }
        return json.append("}").toString();
    }

    private void rejects(String body, String field, String problem) {
        rejects(TENANT, body, field, problem);
    }

    private void rejects(String tenant, String body, String field, String problem) {
        assertThatThrownBy(() -> parser.parse(tenant, body))
                .as("%s", body.length() > 200 ? body.substring(0, 200) : body)
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(problem);
    }
}
