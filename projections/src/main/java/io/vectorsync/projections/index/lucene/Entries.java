package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.IndexWrite;
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
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.vectorsync.projections.index.IndexFields.*;
import static io.vectorsync.projections.index.IndexFields.Lucene.*;

/**
 * How one indexed document maps to Lucene documents: one per chunk (the search entries) plus one
 * state document without a vector, which holds the version guard and, after a delete, the tombstone.
 * All of them share the {@link IndexFields#KEY} term, so one {@code updateDocuments} call replaces a
 * document's whole block atomically: no reader or commit ever sees half of it. The field names are
 * {@link IndexFields}' (with {@link IndexFields.Lucene}'s spellings).
 */
final class Entries {

    /**
     * What a search hit reads (indexes written before vectors were read from the vector values also hold a stored
     * copy of each vector).
     */
    static final Set<String> HIT_FIELDS = Set.of(DOCUMENT_ID, VERSION, CHUNK_NUMBER, PASSAGE, START, END,
            TITLE, METADATA_JSON, CONTENT_REVISION);

    private Entries() {
    }

    /** Lucene's limit on an indexed term, for the key (the shared rules check the metadata values). */
    static void requireIndexable(IndexWrite write) {
        requireIndexableTerm(key(write.tenant(), write.documentId()), "tenant and documentId");
    }

    private static void requireIndexableTerm(String term, String what) {
        if (new BytesRef(term).length > IndexWriter.MAX_TERM_LENGTH) {
            throw new IllegalArgumentException(what + " is longer than " + IndexWriter.MAX_TERM_LENGTH
                    + " UTF-8 bytes");
        }
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
        entry.add(new StoredField(CHUNK_NUMBER, chunk.index()));
        entry.add(new StoredField(PASSAGE, chunk.passage()));
        entry.add(new TextField(PASSAGE_TERMS, chunk.passage(), Store.NO));
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
        entry.add(new StoredField(METADATA_JSON, MetadataJson.write(metadata)));
        indexMetadata(entry, metadata);
        float[] indexed = chunk.vector();
        if (unitVectors) {
            double length = UnitVectors.length(indexed);
            indexed = UnitVectors.unit(indexed, length);
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
                        intValue(chunkEntries.get(i), CHUNK_NUMBER),
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
                first.get(TITLE), MetadataJson.read(first.get(METADATA_JSON)), provenance, chunks);
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
                intValue(entry, CHUNK_NUMBER),
                entry.get(PASSAGE),
                intValue(entry, START),
                intValue(entry, END),
                MetadataJson.read(entry.get(METADATA_JSON)),
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
