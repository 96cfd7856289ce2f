package io.vectorsync.projections.index;

/**
 * The one place that names the fields of index entries, for both adapters. Both model a document the same
 * way: one entry per chunk (the search entries, with the vector) plus one state entry, without a vector, that
 * holds the version guard and, after a delete, the tombstone.
 * <p>
 * These names are stored: in every Lucene segment on disk and in the strict mapping of every OpenSearch index.
 * Renaming one makes existing indexes unreadable (Lucene) or unwritable (OpenSearch refuses a field its strict
 * mapping lacks), so a name never changes here; a new name is a new field. Where the two adapters spell a
 * field differently (they grew apart before this class existed), {@link Lucene} and {@link OpenSearch} each
 * hold their own spelling under the same constant name, so the difference is visible in one place. Fields only
 * one adapter has are in its class too.
 */
public final class IndexFields {

    /** Whether an entry is a chunk ({@link #KIND_CHUNK}) or a document's state ({@link #KIND_STATE}). */
    public static final String KIND = "kind";
    public static final String KIND_CHUNK = "chunk";
    public static final String KIND_STATE = "state";
    /**
     * The document's identity in one term, on every entry of it (Lucene: {@code tenant NUL documentId};
     * OpenSearch: the id of its state document).
     */
    public static final String KEY = "key";
    public static final String TENANT = "tenant";
    public static final String DOCUMENT_ID = "document_id";
    /** The document version the entry was written at: the version guard. */
    public static final String VERSION = "version";
    /** On the state entry: the tombstone flag. */
    public static final String DELETED = "deleted";
    public static final String CONTENT_REVISION = "content_revision";
    public static final String TITLE = "title";
    public static final String PASSAGE = "passage";
    /** The chunk's character span in the body. */
    public static final String START = "start";
    public static final String END = "end";
    /** Provenance: the embedding model and the chunker. */
    public static final String MODEL = "model";
    public static final String CHUNKER = "chunker";
    public static final String VECTOR = "vector";

    private IndexFields() {
    }

    /** The Lucene adapter's own spellings and fields. */
    public static final class Lucene {

        /** The chunk's number within the document. */
        public static final String CHUNK_NUMBER = "chunk_index";
        /** Provenance: the chunker's window and overlap, in tokens. */
        public static final String CHUNK_MAX_TOKENS = "chunker_max_tokens";
        public static final String CHUNK_OVERLAP_TOKENS = "chunker_overlap_tokens";
        /** The metadata exactly as written, as one JSON string (stored, not indexed). */
        public static final String METADATA_JSON = "metadata";
        /*
         * The filterable metadata: one field per key and value type, named by a prefix per type. Lucene fixes
         * a field's index options on first use, so a key holding a string in one document and a number in
         * another must not share a field name. Lists of strings are indexed as several string values.
         */
        public static final String STRING_PREFIX = "meta.s.";
        public static final String NUMBER_PREFIX = "meta.n.";
        public static final String BOOLEAN_PREFIX = "meta.b.";
        /** A state entry's version as doc values, so version look-ups skip the stored fields (entries since then). */
        public static final String STATE_VERSION_VALUES = "state_version_values";
        /** On the state entry of a live document with at least one chunk, for counting. */
        public static final String LIVE = "live";
        /** A cosine space's chunk indexed as a unit vector: the length of the vector as written (absent: it was one). */
        public static final String VECTOR_LENGTH = "vector_length";
        /**
         * The document id again as doc values on chunk entries, which a search reads for every chunk of its beam
         * (a stored field would decompress a block each time). Its own name: Lucene refuses doc values on a field
         * that older segments hold without them.
         */
        public static final String DOCUMENT_ID_VALUES = "document_id_values";
        /**
         * The chunk's passage again, analyzed by the standard analyzer and not stored, for BM25 (hybrid search). Its
         * own name: {@link IndexFields#PASSAGE} is stored only, and Lucene refuses to index a field that older
         * segments hold without terms. Indexes written before it lack it: see {@code LuceneVectorIndex#ranksByWords}.
         */
        public static final String PASSAGE_TERMS = "passage_terms";

        private Lucene() {
        }
    }

    /** The OpenSearch adapter's own spellings and fields. */
    public static final class OpenSearch {

        /** The chunk's number within the document. */
        public static final String CHUNK_NUMBER = "chunk";
        /** Provenance: the chunker's window and overlap, in tokens. */
        public static final String CHUNK_MAX_TOKENS = "chunk_max_tokens";
        public static final String CHUNK_OVERLAP_TOKENS = "chunk_overlap_tokens";
        /** The metadata exactly as written, as one JSON string (neither indexed nor with doc values). */
        public static final String METADATA_JSON = "metadata_json";
        /**
         * The filterable metadata: an object with one object per value type ({@link #TYPED_KEYWORD},
         * {@link #TYPED_NUMBER}, {@link #TYPED_BOOLEAN}), whose fields, one per (encoded) key, dynamic templates
         * map to keyword, double and boolean. Not the metadata as written, unlike Lucene's field of this name.
         */
        public static final String METADATA = "metadata";
        public static final String TYPED_KEYWORD = "keyword";
        public static final String TYPED_NUMBER = "number";
        public static final String TYPED_BOOLEAN = "boolean";
        public static final String METADATA_KEYWORD = METADATA + "." + TYPED_KEYWORD;
        public static final String METADATA_NUMBER = METADATA + "." + TYPED_NUMBER;
        public static final String METADATA_BOOLEAN = METADATA + "." + TYPED_BOOLEAN;
        /** On the state entry: how many chunks the document has, for counting live documents. */
        public static final String CHUNK_COUNT = "chunk_count";
        /** On the state entry: the numbers of its chunks, so a revision knows which entry ids to delete. */
        public static final String CHUNKS = "chunks";

        private OpenSearch() {
        }
    }
}
