package io.vectorsync.projections.index;

import io.vectorsync.projections.index.MetadataFilter.AnyOf;
import io.vectorsync.projections.index.MetadataFilter.Equals;
import io.vectorsync.projections.index.MetadataFilter.Range;
import io.vectorsync.projections.index.TypedFilter.Bound;
import io.vectorsync.projections.index.TypedFilter.OneOf;
import io.vectorsync.projections.index.TypedFilter.Within;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The filter model both adapters translate into their queries. */
class TypedFilterTest {

    private static final BigDecimal Y2020 = new BigDecimal("2020");
    private static final BigDecimal Y2024 = new BigDecimal("2024");

    @Test
    void noFilterHasNoClauses() {
        assertThat(TypedFilter.clauses(null)).isEmpty();
        assertThat(TypedFilter.clauses(MetadataFilter.NONE)).isEmpty();
    }

    @Test
    void valuesAreSplitByTheTypedFieldTheyMatchInOrder() {
        assertThat(TypedFilter.clauses(filter(new Equals("lang", "en"), new AnyOf("x", List.of("a", true, Y2020, 3, "b")))))
                .containsExactly(
                        new OneOf("lang", List.of("en"), List.of(), List.of()),
                        new OneOf("x", List.of("a", "b"), List.of(true), List.of(2020.0, 3.0)));
        OneOf none = (OneOf) TypedFilter.clauses(filter(new AnyOf("x", List.of()))).getFirst();
        assertThat(none.isEmpty()).isTrue();
    }

    @Test
    void aRangeKeepsTheTighterBoundOfEachSideComparedAsDoubles() {
        assertThat(TypedFilter.clauses(filter(new Range("y", Y2020, null, null, Y2024))))
                .containsExactly(new Within("y", new Bound(Y2020, true), new Bound(Y2024, false)));
        assertThat(TypedFilter.clauses(filter(new Range("y", Y2020, Y2024, Y2024, Y2020))))
                .containsExactly(new Within("y", new Bound(Y2024, false), new Bound(Y2020, false)));
        assertThat(TypedFilter.clauses(filter(new Range("y", Y2020, Y2020, Y2024, Y2024)))) // a tie: exclusive
                .containsExactly(new Within("y", new Bound(Y2020, true), new Bound(Y2024, true)));
        assertThat(TypedFilter.clauses(filter(new Range("y", null, null, null, null))))
                .containsExactly(new Within("y", null, null));
    }

    @Test
    void badConditionsAreRefused() {
        assertThatThrownBy(() -> TypedFilter.clauses(filter(new Equals("", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a filter condition needs a field");
        assertThatThrownBy(() -> TypedFilter.clauses(filter(new Range(null, Y2020, null, null, null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a filter condition needs a field");
        assertThatThrownBy(() -> TypedFilter.clauses(filter(new Equals("k", List.of("x")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("filter values of 'k' must be strings, numbers or booleans");
    }

    private static MetadataFilter filter(MetadataFilter.Condition... conditions) {
        return new MetadataFilter(List.of(conditions));
    }
}
