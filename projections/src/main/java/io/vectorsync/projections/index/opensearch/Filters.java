package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.TypedFilter;
import io.vectorsync.projections.index.TypedFilter.Clause;
import io.vectorsync.projections.index.TypedFilter.OneOf;
import io.vectorsync.projections.index.TypedFilter.Within;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.query_dsl.Query;

import java.util.ArrayList;
import java.util.List;

import static io.vectorsync.projections.index.IndexFields.DELETED;
import static io.vectorsync.projections.index.IndexFields.KIND;
import static io.vectorsync.projections.index.IndexFields.KIND_CHUNK;
import static io.vectorsync.projections.index.IndexFields.KIND_STATE;
import static io.vectorsync.projections.index.IndexFields.OpenSearch.CHUNK_COUNT;
import static io.vectorsync.projections.index.IndexFields.TENANT;

/**
 * Translates a tenant and a {@link MetadataFilter} into the filter of a k-NN or BM25 query over chunk
 * entries: the clauses of {@link TypedFilter} (which checks and types the filter, as for the Lucene adapter)
 * on the typed metadata fields of {@link MetadataFields}.
 */
final class Filters {

    private Filters() {
    }

    static Query chunksOf(String tenant, MetadataFilter filter) {
        List<Query> clauses = new ArrayList<>();
        clauses.add(term(TENANT, tenant));
        clauses.add(term(KIND, KIND_CHUNK));
        for (Clause clause : TypedFilter.clauses(filter)) {
            clauses.add(switch (clause) {
                case OneOf oneOf -> oneOf(oneOf);
                case Within within -> within(within);
            });
        }
        return Query.of(q -> q.bool(b -> b.filter(clauses)));
    }

    /** The state documents of a tenant (null: of all), optionally only those of live documents with chunks. */
    static Query statesOf(String tenant, boolean liveWithChunks) {
        List<Query> clauses = new ArrayList<>();
        if (tenant != null) { // null: every tenant's
            clauses.add(term(TENANT, tenant));
        }
        clauses.add(term(KIND, KIND_STATE));
        if (liveWithChunks) {
            clauses.add(Query.of(q -> q.term(t -> t.field(DELETED).value(FieldValue.of(false)))));
            clauses.add(Query.of(q -> q.range(r -> r.field(CHUNK_COUNT).gte(JsonData.of(1)))));
        }
        return Query.of(q -> q.bool(b -> b.filter(clauses)));
    }

    private static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
    }

    private static Query oneOf(OneOf oneOf) {
        List<Query> alternatives = new ArrayList<>();
        if (!oneOf.strings().isEmpty()) {
            alternatives.add(terms(MetadataFields.keywordField(oneOf.key()),
                    oneOf.strings().stream().map(FieldValue::of).toList()));
        }
        if (!oneOf.booleans().isEmpty()) {
            alternatives.add(terms(MetadataFields.booleanField(oneOf.key()),
                    oneOf.booleans().stream().map(FieldValue::of).toList()));
        }
        if (!oneOf.numbers().isEmpty()) {
            alternatives.add(terms(MetadataFields.numberField(oneOf.key()),
                    oneOf.numbers().stream().map(FieldValue::of).toList()));
        }
        if (alternatives.isEmpty()) {
            return Query.of(q -> q.matchNone(m -> m));
        }
        if (alternatives.size() == 1) {
            return alternatives.getFirst();
        }
        return Query.of(q -> q.bool(b -> b.should(alternatives).minimumShouldMatch("1")));
    }

    private static Query terms(String field, List<FieldValue> values) {
        return Query.of(q -> q.terms(t -> t.field(field).terms(v -> v.value(values))));
    }

    /**
     * OpenSearch compares doubles and moves exclusive bounds to the adjacent double, like the Lucene adapter;
     * it takes one lower and one upper bound, the tighter ones {@link TypedFilter} chose, as given.
     */
    private static Query within(Within within) {
        return Query.of(q -> q.range(r -> {
            r.field(MetadataFields.numberField(within.key()));
            if (within.lower() != null) {
                JsonData value = JsonData.of(within.lower().value());
                if (within.lower().exclusive()) {
                    r.gt(value);
                } else {
                    r.gte(value);
                }
            }
            if (within.upper() != null) {
                JsonData value = JsonData.of(within.upper().value());
                if (within.upper().exclusive()) {
                    r.lt(value);
                } else {
                    r.lte(value);
                }
            }
            return r;
        }));
    }
}
