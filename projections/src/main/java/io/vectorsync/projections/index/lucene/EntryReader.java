package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.WriteFold.DocumentState;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** Reads documents' states, versions and chunks from a searcher of the index (see {@link Entries}). */
final class EntryReader {

    private static final Set<String> VERSION_FIELDS = Set.of(IndexFields.VERSION, IndexFields.DELETED);

    private EntryReader() {
    }

    /** The document's state as the searcher sees it, for {@link io.vectorsync.projections.index.WriteFold}. */
    static DocumentState state(IndexSearcher searcher, String tenant, String documentId) throws IOException {
        if (!anySegmentHas(searcher, new BytesRef(Entries.key(tenant, documentId)))) {
            // a document the index has never held (most writes during an ingest): one term lookup per segment
            // instead of a query
            return new DocumentState(tenant, documentId);
        }
        ScoreDoc[] found = searcher.search(documentQuery(tenant, documentId, IndexFields.KIND_STATE), 1).scoreDocs;
        if (found.length == 0) {
            return new DocumentState(tenant, documentId);
        }
        Document state = searcher.storedFields().document(found[0].doc, VERSION_FIELDS);
        return new DocumentState(tenant, documentId, Entries.longValue(state, IndexFields.VERSION),
                Entries.intValue(state, IndexFields.DELETED) == 1, false);
    }

    /** Whether any segment holds the key term (also for entries deleted since: the query then decides). */
    private static boolean anySegmentHas(IndexSearcher searcher, BytesRef key) throws IOException {
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(IndexFields.KEY);
            if (terms != null && terms.iterator().seekExact(key)) {
                return true;
            }
        }
        return false;
    }

    /** The document's chunks with their vectors as written; null when it has none. */
    static ReplaceChunks content(IndexSearcher searcher, String tenant, String documentId) throws IOException {
        Query chunks = documentQuery(tenant, documentId, IndexFields.KIND_CHUNK);
        int count = searcher.count(chunks);
        if (count == 0) {
            return null;
        }
        StoredFields stored = searcher.storedFields();
        List<Document> entries = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        for (ScoreDoc chunk : searcher.search(chunks, count).scoreDocs) {
            entries.add(stored.document(chunk.doc));
            vectors.add(vector(leaves.get(ReaderUtil.subIndex(chunk.doc, leaves)), chunk.doc));
        }
        return Entries.content(tenant, documentId, entries, vectors);
    }

    /**
     * A chunk's vector as indexed (a cosine space's as a unit vector), from the full-precision vector values
     * (quantized formats keep them too). Entries written by earlier versions also hold a stored copy, no longer read.
     */
    private static float[] vector(LeafReaderContext leaf, int doc) throws IOException {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
        KnnVectorValues.DocIndexIterator iterator = values == null ? null : values.iterator();
        if (iterator == null || iterator.advance(doc - leaf.docBase) != doc - leaf.docBase) {
            throw new IllegalStateException("index entry " + doc + " has no vector");
        }
        return values.vectorValue(iterator.index()).clone();
    }

    /** Every state entry of the tenant: document id and version. */
    static Map<String, Long> documentVersions(IndexSearcher searcher, String tenant) throws IOException {
        Query states = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.TENANT, tenant)), Occur.FILTER)
                .add(new TermQuery(new Term(IndexFields.KIND, IndexFields.KIND_STATE)), Occur.FILTER)
                .build();
        Map<String, Long> versions = new HashMap<>();
        int count = searcher.count(states);
        if (count == 0) {
            return versions;
        }
        StoredFields stored = searcher.storedFields();
        for (ScoreDoc state : searcher.search(states, count).scoreDocs) {
            Document document = stored.document(state.doc, Set.of(IndexFields.DOCUMENT_ID, IndexFields.VERSION));
            versions.put(document.get(IndexFields.DOCUMENT_ID), Entries.longValue(document, IndexFields.VERSION));
        }
        return versions;
    }

    private static Query documentQuery(String tenant, String documentId, String kind) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.KEY, Entries.key(tenant, documentId))), Occur.FILTER)
                .add(new TermQuery(new Term(IndexFields.KIND, kind)), Occur.FILTER)
                .build();
    }

    /**
     * The version of the document's live state entry: the key term's postings in each segment, and the first live
     * entry with state-version doc values is it. A segment written before those doc values existed is asked by query.
     */
    static OptionalLong stateVersion(IndexSearcher searcher, String tenant, String documentId) throws IOException {
        BytesRef key = new BytesRef(Entries.key(tenant, documentId));
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(IndexFields.KEY);
            TermsEnum term = terms == null ? null : terms.iterator();
            if (term == null || !term.seekExact(key)) {
                continue;
            }
            NumericDocValues versions = leaf.reader().getNumericDocValues(IndexFields.Lucene.STATE_VERSION_VALUES);
            if (versions == null) {
                return stateVersionByQuery(searcher, tenant, documentId);
            }
            Bits live = leaf.reader().getLiveDocs();
            PostingsEnum postings = term.postings(null, PostingsEnum.NONE);
            for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                if ((live == null || live.get(doc)) && versions.advanceExact(doc)) {
                    return OptionalLong.of(versions.longValue());
                }
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong stateVersionByQuery(IndexSearcher searcher, String tenant, String documentId)
            throws IOException {
        ScoreDoc[] found = searcher.search(documentQuery(tenant, documentId, IndexFields.KIND_STATE), 1).scoreDocs;
        if (found.length == 0) {
            return OptionalLong.empty();
        }
        Document state = searcher.storedFields().document(found[0].doc, VERSION_FIELDS);
        return OptionalLong.of(Entries.longValue(state, IndexFields.VERSION));
    }

    /** Live documents of a tenant (null: of all) with at least one chunk ({@code live}), or chunk entries. */
    static int count(IndexSearcher searcher, String tenant, boolean documents) throws IOException {
        BooleanQuery.Builder query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.KIND, documents ? IndexFields.KIND_STATE
                        : IndexFields.KIND_CHUNK)), Occur.FILTER);
        if (tenant != null) {
            query.add(new TermQuery(new Term(IndexFields.TENANT, tenant)), Occur.FILTER);
        }
        if (documents) {
            query.add(new TermQuery(new Term(IndexFields.Lucene.LIVE, "true")), Occur.FILTER);
        }
        return searcher.count(query.build());
    }
}
