package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.TypedFilter;
import io.vectorsync.projections.index.TypedFilter.Bound;
import io.vectorsync.projections.index.TypedFilter.Clause;
import io.vectorsync.projections.index.TypedFilter.OneOf;
import io.vectorsync.projections.index.TypedFilter.Within;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

import java.util.ArrayList;
import java.util.List;

import static io.vectorsync.projections.index.IndexFields.Lucene.BOOLEAN_PREFIX;
import static io.vectorsync.projections.index.IndexFields.Lucene.NUMBER_PREFIX;
import static io.vectorsync.projections.index.IndexFields.Lucene.STRING_PREFIX;

/**
 * Translates a tenant and a {@link MetadataFilter} into the Lucene query that restricts the k-NN search: the
 * clauses of {@link TypedFilter} (which checks and types the filter) on the typed metadata fields of
 * {@link Entries}.
 */
final class Filters {

    private Filters() {
    }

    /**
     * The k-NN pre-filter: the tenant's entries that pass the metadata filter. Only chunk entries have vectors, so the
     * kind needs no clause (a search builds this filter's bit set in every segment: a single term's is the cheapest).
     */
    static Query chunksOf(String tenant, MetadataFilter filter) {
        TermQuery ofTenant = new TermQuery(new Term(IndexFields.TENANT, tenant));
        List<Clause> clauses = TypedFilter.clauses(filter);
        if (clauses.isEmpty()) {
            return ofTenant;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder().add(ofTenant, Occur.FILTER);
        for (Clause clause : clauses) {
            query.add(switch (clause) {
                case OneOf oneOf -> oneOf(oneOf);
                case Within within -> within(within);
            }, Occur.FILTER);
        }
        return query.build();
    }

    private static Query oneOf(OneOf oneOf) {
        List<Query> alternatives = new ArrayList<>();
        if (!oneOf.strings().isEmpty()) {
            alternatives.add(new TermInSetQuery(STRING_PREFIX + oneOf.key(),
                    oneOf.strings().stream().map(BytesRef::new).toList()));
        }
        if (!oneOf.booleans().isEmpty()) {
            alternatives.add(new TermInSetQuery(BOOLEAN_PREFIX + oneOf.key(),
                    oneOf.booleans().stream().map(flag -> new BytesRef(flag.toString())).toList()));
        }
        if (!oneOf.numbers().isEmpty()) {
            alternatives.add(DoublePoint.newSetQuery(NUMBER_PREFIX + oneOf.key(),
                    oneOf.numbers().stream().mapToDouble(Double::doubleValue).toArray()));
        }
        if (alternatives.isEmpty()) {
            return new MatchNoDocsQuery("no values for " + oneOf.key());
        }
        if (alternatives.size() == 1) {
            return alternatives.getFirst();
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        alternatives.forEach(alternative -> any.add(alternative, Occur.SHOULD));
        return any.build();
    }

    /** DoublePoint ranges are inclusive; an exclusive bound moves to the adjacent double. */
    private static Query within(Within within) {
        Bound lower = within.lower();
        Bound upper = within.upper();
        double from = lower == null ? Double.NEGATIVE_INFINITY
                : lower.exclusive() ? Math.nextUp(lower.value().doubleValue()) : lower.value().doubleValue();
        double to = upper == null ? Double.POSITIVE_INFINITY
                : upper.exclusive() ? Math.nextDown(upper.value().doubleValue()) : upper.value().doubleValue();
        return DoublePoint.newRangeQuery(NUMBER_PREFIX + within.key(), from, to);
    }
}
