package io.vectorsync.projections.index;

import io.vectorsync.projections.index.MetadataFilter.AnyOf;
import io.vectorsync.projections.index.MetadataFilter.Condition;
import io.vectorsync.projections.index.MetadataFilter.Equals;
import io.vectorsync.projections.index.MetadataFilter.Range;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link MetadataFilter} as every index evaluates it, checked and typed in one place; each adapter only
 * turns the clauses into its own query. Values are typed like the indexed metadata: a string matches string
 * metadata and lists containing it, a number numeric metadata (compared as double), a boolean boolean
 * metadata. All clauses must hold.
 */
public final class TypedFilter {

    private TypedFilter() {
    }

    /** One condition on one metadata key. */
    public sealed interface Clause {
        String key();
    }

    /**
     * The key holds one of the values, which are split by the typed field they match; when there are none,
     * nothing matches.
     */
    public record OneOf(String key, List<String> strings, List<Boolean> booleans, List<Double> numbers)
            implements Clause {

        public boolean isEmpty() {
            return strings.isEmpty() && booleans.isEmpty() && numbers.isEmpty();
        }
    }

    /** The key holds a number within the bounds; a null bound is open. */
    public record Within(String key, Bound lower, Bound upper) implements Clause {
    }

    /** A bound as given (the exact decimal) and whether the value itself is excluded. */
    public record Bound(BigDecimal value, boolean exclusive) {
    }

    /**
     * The clauses of the filter, in its order; none for a null or empty filter. Throws
     * {@link IllegalArgumentException} for a condition without a field or with a value that is not a string,
     * number or boolean.
     */
    public static List<Clause> clauses(MetadataFilter filter) {
        if (filter == null) {
            return List.of();
        }
        List<Clause> clauses = new ArrayList<>(filter.conditions().size());
        for (Condition condition : filter.conditions()) {
            clauses.add(clause(condition));
        }
        return clauses;
    }

    private static Clause clause(Condition condition) {
        if (condition.field() == null || condition.field().isEmpty()) {
            throw new IllegalArgumentException("a filter condition needs a field");
        }
        return switch (condition) {
            case Equals equals -> oneOf(condition.field(), List.of(equals.value()));
            case AnyOf anyOf -> oneOf(condition.field(), anyOf.values());
            case Range range -> new Within(range.field(), lower(range), upper(range));
        };
    }

    private static OneOf oneOf(String key, List<?> values) {
        List<String> strings = new ArrayList<>();
        List<Boolean> booleans = new ArrayList<>();
        List<Double> numbers = new ArrayList<>();
        for (Object value : values) {
            switch (value) {
                case String text -> strings.add(text);
                case Boolean flag -> booleans.add(flag);
                case Number number -> numbers.add(number.doubleValue());
                case null, default -> throw new IllegalArgumentException(
                        "filter values of '" + key + "' must be strings, numbers or booleans");
            }
        }
        return new OneOf(key, List.copyOf(strings), List.copyOf(booleans), List.copyOf(numbers));
    }

    /*
     * Both bounds of a side hold when the tighter one does. Tighter is decided as the values compare, as
     * doubles (a tie goes to the exclusive bound), so the result is the conjunction of the two.
     */

    private static Bound lower(Range range) {
        if (range.gt() != null && (range.gte() == null || range.gt().doubleValue() >= range.gte().doubleValue())) {
            return new Bound(range.gt(), true);
        }
        return range.gte() == null ? null : new Bound(range.gte(), false);
    }

    private static Bound upper(Range range) {
        if (range.lt() != null && (range.lte() == null || range.lt().doubleValue() <= range.lte().doubleValue())) {
            return new Bound(range.lt(), true);
        }
        return range.lte() == null ? null : new Bound(range.lte(), false);
    }
}
