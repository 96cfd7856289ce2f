package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.MetadataFilter.AnyOf;
import io.vectorsync.projections.index.MetadataFilter.Condition;
import io.vectorsync.projections.index.MetadataFilter.Equals;
import io.vectorsync.projections.index.MetadataFilter.Range;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a tenant and a {@link MetadataFilter} into the Lucene query that restricts the k-NN
 * search. Values are typed: a string matches string (and list) metadata, a number numeric metadata
 * (compared as double), a boolean boolean metadata.
 */
final class Filters {

    private Filters() {
    }

    /**
     * The k-NN pre-filter: the tenant's entries that pass the metadata filter. Only chunk entries have vectors, so the
     * kind needs no clause (a search builds this filter's bit set in every segment: a single term's is the cheapest).
     */
    static Query chunksOf(String tenant, MetadataFilter filter) {
        TermQuery ofTenant = new TermQuery(new Term(Entries.TENANT, tenant));
        if (filter == null || filter.conditions().isEmpty()) {
            return ofTenant;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder().add(ofTenant, Occur.FILTER);
        for (Condition condition : filter.conditions()) {
            query.add(condition(condition), Occur.FILTER);
        }
        return query.build();
    }

    private static Query condition(Condition condition) {
        if (condition.field() == null || condition.field().isEmpty()) {
            throw new IllegalArgumentException("a filter condition needs a field");
        }
        return switch (condition) {
            case Equals equals -> anyOf(condition.field(), List.of(equals.value()));
            case AnyOf anyOf -> anyOf(condition.field(), anyOf.values());
            case Range range -> range(range);
        };
    }

    private static Query anyOf(String field, List<?> values) {
        List<BytesRef> strings = new ArrayList<>();
        List<BytesRef> booleans = new ArrayList<>();
        List<Double> numbers = new ArrayList<>();
        for (Object value : values) {
            switch (value) {
                case String text -> strings.add(new BytesRef(text));
                case Boolean flag -> booleans.add(new BytesRef(flag.toString()));
                case Number number -> numbers.add(number.doubleValue());
                case null, default -> throw new IllegalArgumentException(
                        "filter values of '" + field + "' must be strings, numbers or booleans");
            }
        }
        List<Query> alternatives = new ArrayList<>();
        if (!strings.isEmpty()) {
            alternatives.add(new TermInSetQuery(Entries.STRING_PREFIX + field, strings));
        }
        if (!booleans.isEmpty()) {
            alternatives.add(new TermInSetQuery(Entries.BOOLEAN_PREFIX + field, booleans));
        }
        if (!numbers.isEmpty()) {
            alternatives.add(DoublePoint.newSetQuery(Entries.NUMBER_PREFIX + field,
                    numbers.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        if (alternatives.isEmpty()) {
            return new MatchNoDocsQuery("no values for " + field);
        }
        if (alternatives.size() == 1) {
            return alternatives.getFirst();
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        alternatives.forEach(alternative -> any.add(alternative, Occur.SHOULD));
        return any.build();
    }

    private static Query range(Range range) {
        double lower = Math.max(bound(range.gt(), Double.NEGATIVE_INFINITY, true),
                bound(range.gte(), Double.NEGATIVE_INFINITY, false));
        double upper = Math.min(bound(range.lt(), Double.POSITIVE_INFINITY, true),
                bound(range.lte(), Double.POSITIVE_INFINITY, false));
        return DoublePoint.newRangeQuery(Entries.NUMBER_PREFIX + range.field(), lower, upper);
    }

    /** DoublePoint ranges are inclusive; an exclusive bound moves to the adjacent double. */
    private static double bound(BigDecimal value, double open, boolean exclusive) {
        if (value == null) {
            return open;
        }
        double bound = value.doubleValue();
        if (!exclusive) {
            return bound;
        }
        return open < 0 ? Math.nextUp(bound) : Math.nextDown(bound);
    }
}
