package io.vectorsync.projections.index;

import io.vectorsync.projections.index.MetadataFilter.AnyOf;
import io.vectorsync.projections.index.MetadataFilter.Equals;
import io.vectorsync.projections.index.MetadataFilter.Range;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetadataMatcherTest {

    private static final Map<String, Object> DOC = Map.of("lang", "en", "tags", List.of("faq", "billing"),
            "year", new BigDecimal("2024"), "public", true);

    @Test
    void valuesMatchByTheirTypeLikeTheIndexes() {
        assertThat(matches(new Equals("lang", "en"))).isTrue();
        assertThat(matches(new Equals("tags", "billing"))).isTrue();
        assertThat(matches(new Equals("year", new BigDecimal("2024.0")))).isTrue(); // compared as double
        assertThat(matches(new Equals("year", "2024"))).isFalse(); // a string never matches a number
        assertThat(matches(new Equals("public", true))).isTrue();
        assertThat(matches(new Equals("public", "true"))).isFalse();
        assertThat(matches(new Equals("missing", "x"))).isFalse();
    }

    @Test
    void anyOfAndRangesAndTheirConjunction() {
        assertThat(matches(new AnyOf("lang", List.of("de", "en")))).isTrue();
        assertThat(matches(new AnyOf("tags", List.of("news", "sales")))).isFalse();
        assertThat(matches(new Range("year", new BigDecimal("2023"), null, null, new BigDecimal("2024")))).isTrue();
        assertThat(matches(new Range("year", new BigDecimal("2024"), null, null, null))).isFalse(); // gt is exclusive
        assertThat(matches(new Range("lang", null, BigDecimal.ZERO, null, null))).isFalse(); // not a number
        assertThat(MetadataMatcher.matches(new MetadataFilter(List.of(new Equals("lang", "en"), new Equals("public", false))), DOC))
                .isFalse();
        assertThat(MetadataMatcher.matches(MetadataFilter.NONE, DOC)).isTrue();
    }

    private static boolean matches(MetadataFilter.Condition condition) {
        return MetadataMatcher.matches(new MetadataFilter(List.of(condition)), DOC);
    }
}
