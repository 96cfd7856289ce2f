package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.MetadataJson;
import io.vectorsync.projections.index.Provenance;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one indexed document maps to Lucene documents: one per chunk (the search entries) plus one
 * state document without a vector, which holds the version guard and, after a delete, the tombstone.
 * All of them share the {@link #KEY} term, so one {@code updateDocuments} call replaces a document's
 * whole block atomically: no reader or commit ever sees half of it.
 */
final class Entries {

    static final String KEY = "key";
    static final String KIND = "kind";
    static final String KIND_CHUNK = "chunk";
    static final String KIND_STATE = "state";
    static final String TENANT = "tenant";
    static final String DOCUMENT_ID = "document_id";
    static final String VERSION = "version";
    static final String DELETED = "deleted";
    /** A state entry's version as doc values, so version look-ups skip the stored fields (entries since this change). */
    static final String STATE_VERSION_VALUES = "state_version_values";
    /** On the state document of a live document with at least one chunk, for counting. */
    static final String LIVE = "live";
    static final String CHUNK_INDEX = "chunk_index";
    static final String PASSAGE = "passage";
    static final String START = "start";
    static final String END = "end";
    static final String TITLE = "title";
    static final String METADATA = "metadata";
    static final String CONTENT_REVISION = "content_revision";
    static final String MODEL = "model";
    static final String CHUNKER = "chunker";
    static final String CHUNK_MAX_TOKENS = "chunker_max_tokens";
    static final String CHUNK_OVERLAP_TOKENS = "chunker_overlap_tokens";
    static final String VECTOR = "vector";
    /** A cosine space's chunk indexed as a unit vector: the length of the vector as written (absent: it was one). */
    static final String VECTOR_LENGTH = "vector_length";
    /**
     * The document id again as doc values on chunk entries, which a search reads for every chunk of its beam (a
     * stored field would decompress a block each time). Its own name: Lucene refuses doc values on a field that
     * older segments hold without them.
     */
    static final String DOCUMENT_ID_VALUES = "document_id_values";

    /*
     * Metadata fields get a prefix per value type: Lucene fixes a field's index options on first use,
     * so a key holding a string in one document and a number in another must not share a field name.
     */
    static final String STRING_PREFIX = "meta.s.";
    static final String NUMBER_PREFIX = "meta.n.";
    static final String BOOLEAN_PREFIX = "meta.b.";

    /**
     * What a search hit reads (indexes written before vectors were read from the vector values also hold a stored
     * copy of each vector).
     */
    static final Set<String> HIT_FIELDS = Set.of(DOCUMENT_ID, VERSION, CHUNK_INDEX, PASSAGE, START, END,
            TITLE, METADATA, CONTENT_REVISION);

    private Entries() {
    }

    /** Tenants and document ids never contain NUL, so the key is unambiguous. */
    static String key(String tenant, String documentId) {
        return tenant + '\u0000' + documentId;
    }

    /** The complete block of a document: its chunks (none when {@code content} is null) and its state. */
    static List<Document> block(String tenant, String documentId, long version, boolean deleted,
                                ReplaceChunks content, FieldType vectorType, boolean unitVectors) {
        List<Document> block = new ArrayList<>();
        if (content != null) {
            for (IndexChunk chunk : content.chunks()) {
                block.add(chunkDocument(tenant, documentId, version, content, chunk, vectorType, unitVectors));
            }
        }
        block.add(stateDocument(tenant, documentId, version, deleted, !block.isEmpty()));
        return block;
    }

    private static Document stateDocument(String tenant, String documentId, long version, boolean deleted,
                                          boolean live) {
        Document state = common(KIND_STATE, tenant, documentId, version);
        state.add(new StoredField(DELETED, deleted ? 1 : 0));
        state.add(new org.apache.lucene.document.NumericDocValuesField(STATE_VERSION_VALUES, version));
        if (live && !deleted) {
            state.add(new StringField(LIVE, "true", Store.NO));
        }
        return state;
    }

    private static Document chunkDocument(String tenant, String documentId, long version, ReplaceChunks content,
                                          IndexChunk chunk, FieldType vectorType, boolean unitVectors) {
        Document entry = common(KIND_CHUNK, tenant, documentId, version);
        entry.add(new StoredField(CHUNK_INDEX, chunk.index()));
        entry.add(new StoredField(PASSAGE, chunk.passage()));
        entry.add(new StoredField(START, chunk.start()));
        entry.add(new StoredField(END, chunk.end()));
        if (content.title() != null) {
            entry.add(new StoredField(TITLE, content.title()));
        }
        entry.add(new StoredField(CONTENT_REVISION, content.contentRevision()));
        Provenance provenance = content.provenance();
        if (provenance != null) {
            if (provenance.model() != null) {
                entry.add(new StoredField(MODEL, provenance.model()));
            }
            if (provenance.chunker() != null) {
                entry.add(new StoredField(CHUNKER, provenance.chunker()));
            }
            entry.add(new StoredField(CHUNK_MAX_TOKENS, provenance.chunkMaxTokens()));
            entry.add(new StoredField(CHUNK_OVERLAP_TOKENS, provenance.chunkOverlapTokens()));
        }
        Map<String, Object> metadata = content.metadata() == null ? Map.of() : content.metadata();
        entry.add(new StoredField(METADATA, MetadataJson.write(metadata)));
        indexMetadata(entry, metadata);
        float[] indexed = chunk.vector();
        if (unitVectors) {
            double length = LuceneVectorIndex.length(indexed);
            indexed = LuceneVectorIndex.unit(indexed, length);
            if (indexed != chunk.vector()) {
                // its length as written, so that content() gives it back (a similar-documents query averages them)
                entry.add(new StoredField(VECTOR_LENGTH, length));
            }
        }
        entry.add(new KnnFloatVectorField(VECTOR, indexed, vectorType));
        entry.add(new SortedDocValuesField(DOCUMENT_ID_VALUES, new BytesRef(documentId)));
        return entry;
    }

    private static Document common(String kind, String tenant, String documentId, long version) {
        Document document = new Document();
        document.add(new StringField(KEY, key(tenant, documentId), Store.NO));
        document.add(new StringField(KIND, kind, Store.NO));
        document.add(new StringField(TENANT, tenant, Store.NO));
        document.add(new StringField(DOCUMENT_ID, documentId, Store.YES));
        document.add(new StoredField(VERSION, version));
        return document;
    }

    private static void indexMetadata(Document entry, Map<String, Object> metadata) {
        metadata.forEach((key, value) -> {
            switch (value) {
                case String text -> entry.add(new StringField(STRING_PREFIX + key, text, Store.NO));
                case Boolean flag -> entry.add(new StringField(BOOLEAN_PREFIX + key, flag.toString(), Store.NO));
                case Number number -> entry.add(new DoublePoint(NUMBER_PREFIX + key, number.doubleValue()));
                case List<?> items -> items.forEach(item ->
                        entry.add(new StringField(STRING_PREFIX + key, (String) item, Store.NO)));
                default -> throw new IllegalArgumentException("unsupported metadata value for " + key);
            }
        });
    }

    /**
     * Rebuilds the content a document's chunk entries were written from, with each entry's vector (read from the
     * index's vector values, so a metadata change rewrites entries without re-embedding); null when it has none.
     */
    static ReplaceChunks content(String tenant, String documentId, List<Document> chunkEntries, List<float[]> vectors) {
        if (chunkEntries.isEmpty()) {
            return null;
        }
        Document first = chunkEntries.getFirst();
        List<IndexChunk> chunks = java.util.stream.IntStream.range(0, chunkEntries.size())
                .mapToObj(i -> new IndexChunk(
                        intValue(chunkEntries.get(i), CHUNK_INDEX),
                        chunkEntries.get(i).get(PASSAGE),
                        intValue(chunkEntries.get(i), START),
                        intValue(chunkEntries.get(i), END),
                        asWritten(vectors.get(i), chunkEntries.get(i))))
                .sorted(Comparator.comparingInt(IndexChunk::index))
                .toList();
        Provenance provenance = first.getField(CHUNK_MAX_TOKENS) == null ? null : new Provenance(
                first.get(MODEL), first.get(CHUNKER), intValue(first, CHUNK_MAX_TOKENS),
                intValue(first, CHUNK_OVERLAP_TOKENS));
        return new ReplaceChunks(tenant, documentId, longValue(first, VERSION), longValue(first, CONTENT_REVISION),
                first.get(TITLE), MetadataJson.read(first.get(METADATA)), provenance, chunks);
    }

    /** An indexed vector scaled back to its length as written, when it was indexed as a unit vector. */
    private static float[] asWritten(float[] indexed, Document entry) {
        if (entry.getField(VECTOR_LENGTH) == null) {
            return indexed;
        }
        double length = entry.getField(VECTOR_LENGTH).numericValue().doubleValue();
        float[] written = new float[indexed.length];
        for (int i = 0; i < indexed.length; i++) {
            written[i] = (float) (indexed[i] * length);
        }
        return written;
    }

    static DocumentHit hit(Document entry, float score) {
        return new DocumentHit(
                entry.get(DOCUMENT_ID),
                score,
                entry.get(TITLE),
                intValue(entry, CHUNK_INDEX),
                entry.get(PASSAGE),
                intValue(entry, START),
                intValue(entry, END),
                MetadataJson.read(entry.get(METADATA)),
                longValue(entry, VERSION),
                longValue(entry, CONTENT_REVISION));
    }

    static long longValue(Document document, String field) {
        return numeric(document, field).longValue();
    }

    static int intValue(Document document, String field) {
        return numeric(document, field).intValue();
    }

    private static Number numeric(Document document, String field) {
        IndexableField stored = document.getField(field);
        if (stored == null) {
            throw new IllegalStateException("index entry lacks field " + field);
        }
        return stored.numericValue();
    }
}
