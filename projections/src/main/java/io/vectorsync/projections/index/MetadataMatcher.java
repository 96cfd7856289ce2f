package io.vectorsync.projections.index;

import io.vectorsync.projections.index.MetadataFilter.AnyOf;
import io.vectorsync.projections.index.MetadataFilter.Condition;
import io.vectorsync.projections.index.MetadataFilter.Equals;
import io.vectorsync.projections.index.MetadataFilter.Range;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a {@link MetadataFilter} on a document's metadata in memory, with the indexes' typing: a
 * string matches a string value or a list containing it, a number a numeric value (compared as
 * double, like both indexes), a boolean a boolean value. For documents that are not in an index yet
 * (the hot-vector cache), so they are filtered exactly as the index would filter them.
 */
public final class MetadataMatcher {

    private MetadataMatcher() {
    }

    public static boolean matches(MetadataFilter filter, Map<String, Object> metadata) {
        if (filter == null) {
            return true;
        }
        for (Condition condition : filter.conditions()) {
            Object value = metadata.get(condition.field());
            boolean holds = switch (condition) {
                case Equals equals -> equalsAny(value, List.of(equals.value()));
                case AnyOf anyOf -> equalsAny(value, anyOf.values());
                case Range range -> within(value, range);
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsAny(Object value, List<Object> wanted) {
        if (value == null) {
            return false;
        }
        for (Object candidate : wanted) {
            boolean match = switch (candidate) {
                case String text -> value instanceof List<?> list ? list.contains(text) : text.equals(value);
                case Boolean flag -> flag.equals(value);
                case Number number -> value instanceof Number actual && actual.doubleValue() == number.doubleValue();
                case null, default -> false;
            };
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static boolean within(Object value, Range range) {
        if (!(value instanceof Number number)) {
            return false;
        }
        double actual = number.doubleValue();
        return above(actual, range.gt(), true) && above(actual, range.gte(), false)
                && below(actual, range.lt(), true) && below(actual, range.lte(), false);
    }

    private static boolean above(double actual, BigDecimal bound, boolean exclusive) {
        return bound == null || (exclusive ? actual > bound.doubleValue() : actual >= bound.doubleValue());
    }

    private static boolean below(double actual, BigDecimal bound, boolean exclusive) {
        return bound == null || (exclusive ? actual < bound.doubleValue() : actual <= bound.doubleValue());
    }
}
