package io.vectorsync.projections.index;

import java.math.BigDecimal;
import java.util.List;

/** All conditions must hold (AND). An empty filter matches every document. */
public record MetadataFilter(List<Condition> conditions) {

    public static final MetadataFilter NONE = new MetadataFilter(List.of());

    public sealed interface Condition {
        String field();
    }

    /** The field equals the value (a string, BigDecimal or Boolean); for a list field, contains it. */
    public record Equals(String field, Object value) implements Condition {
    }

    /** The field equals one of the values; for a list field, contains one of them. */
    public record AnyOf(String field, List<Object> values) implements Condition {
    }

    /** A numeric field within the bounds; null bounds are open. */
    public record Range(String field, BigDecimal gt, BigDecimal gte, BigDecimal lt, BigDecimal lte) implements Condition {
    }
}
