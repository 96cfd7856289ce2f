package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.MetadataFilter.AnyOf;
import io.vectorsync.projections.index.MetadataFilter.Condition;
import io.vectorsync.projections.index.MetadataFilter.Equals;
import io.vectorsync.projections.index.MetadataFilter.Range;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.query_dsl.Query;

import java.util.ArrayList;
import java.util.List;

/**
 * Translates a tenant and a {@link MetadataFilter} into the filter of a k-NN or BM25 query over chunk
 * entries. Values are typed like the Lucene adapter's: a string matches string (and list) metadata, a
 * number numeric metadata (compared as double), a boolean boolean metadata.
 */
final class Filters {

    private Filters() {
    }

    static Query chunksOf(String tenant, MetadataFilter filter) {
        List<Query> clauses = new ArrayList<>();
        clauses.add(term(Entries.TENANT, tenant));
        clauses.add(term(Entries.KIND, Entries.KIND_CHUNK));
        if (filter != null) {
            for (Condition condition : filter.conditions()) {
                clauses.add(condition(condition));
            }
        }
        return Query.of(q -> q.bool(b -> b.filter(clauses)));
    }

    /** The state documents of a tenant, optionally only those of live documents with chunks. */
    static Query statesOf(String tenant, boolean liveWithChunks) {
        List<Query> clauses = new ArrayList<>();
        clauses.add(term(Entries.TENANT, tenant));
        clauses.add(term(Entries.KIND, Entries.KIND_STATE));
        if (liveWithChunks) {
            clauses.add(Query.of(q -> q.term(t -> t.field(Entries.DELETED).value(FieldValue.of(false)))));
            clauses.add(Query.of(q -> q.range(r -> r.field(Entries.CHUNK_COUNT).gte(JsonData.of(1)))));
        }
        return Query.of(q -> q.bool(b -> b.filter(clauses)));
    }

    private static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
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

    private static Query anyOf(String key, List<?> values) {
        List<FieldValue> strings = new ArrayList<>();
        List<FieldValue> booleans = new ArrayList<>();
        List<FieldValue> numbers = new ArrayList<>();
        for (Object value : values) {
            switch (value) {
                case String text -> strings.add(FieldValue.of(text));
                case Boolean flag -> booleans.add(FieldValue.of(flag));
                case Number number -> numbers.add(FieldValue.of(number.doubleValue()));
                case null, default -> throw new IllegalArgumentException(
                        "filter values of '" + key + "' must be strings, numbers or booleans");
            }
        }
        List<Query> alternatives = new ArrayList<>();
        if (!strings.isEmpty()) {
            alternatives.add(terms(MetadataFields.keywordField(key), strings));
        }
        if (!booleans.isEmpty()) {
            alternatives.add(terms(MetadataFields.booleanField(key), booleans));
        }
        if (!numbers.isEmpty()) {
            alternatives.add(terms(MetadataFields.numberField(key), numbers));
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
     * OpenSearch compares doubles and moves exclusive bounds to the adjacent double, like the Lucene
     * adapter. It keeps only one lower and one upper bound, so the tighter of each pair is sent.
     */
    private static Query range(Range range) {
        boolean exclusiveLower = range.gt() != null && (range.gte() == null || range.gt().compareTo(range.gte()) >= 0);
        boolean exclusiveUpper = range.lt() != null && (range.lte() == null || range.lt().compareTo(range.lte()) <= 0);
        return Query.of(q -> q.range(r -> {
            r.field(MetadataFields.numberField(range.field()));
            if (exclusiveLower) {
                r.gt(JsonData.of(range.gt()));
            } else if (range.gte() != null) {
                r.gte(JsonData.of(range.gte()));
            }
            if (exclusiveUpper) {
                r.lt(JsonData.of(range.lt()));
            } else if (range.lte() != null) {
                r.lte(JsonData.of(range.lte()));
            }
            return r;
        }));
    }
}
