package io.vectorsync.projections.index;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored field names, pinned: existing Lucene indexes on disk and OpenSearch indexes with their strict
 * mappings hold these, so a renamed constant would make them unreadable or unwritable.
 */
class IndexFieldsTest {

    @Test
    void sharedNames() {
        assertThat(new String[]{IndexFields.KIND, IndexFields.KIND_CHUNK, IndexFields.KIND_STATE, IndexFields.KEY,
                IndexFields.TENANT, IndexFields.DOCUMENT_ID, IndexFields.VERSION, IndexFields.DELETED,
                IndexFields.CONTENT_REVISION, IndexFields.TITLE, IndexFields.PASSAGE, IndexFields.START,
                IndexFields.END, IndexFields.MODEL, IndexFields.CHUNKER, IndexFields.VECTOR})
                .containsExactly("kind", "chunk", "state", "key", "tenant", "document_id", "version", "deleted",
                        "content_revision", "title", "passage", "start", "end", "model", "chunker", "vector");
    }

    @Test
    void luceneNames() {
        assertThat(new String[]{IndexFields.Lucene.CHUNK_NUMBER, IndexFields.Lucene.CHUNK_MAX_TOKENS,
                IndexFields.Lucene.CHUNK_OVERLAP_TOKENS, IndexFields.Lucene.METADATA_JSON,
                IndexFields.Lucene.STRING_PREFIX, IndexFields.Lucene.NUMBER_PREFIX, IndexFields.Lucene.BOOLEAN_PREFIX,
                IndexFields.Lucene.STATE_VERSION_VALUES, IndexFields.Lucene.LIVE, IndexFields.Lucene.VECTOR_LENGTH,
                IndexFields.Lucene.DOCUMENT_ID_VALUES, IndexFields.Lucene.PASSAGE_TERMS})
                .containsExactly("chunk_index", "chunker_max_tokens", "chunker_overlap_tokens", "metadata",
                        "meta.s.", "meta.n.", "meta.b.", "state_version_values", "live", "vector_length",
                        "document_id_values", "passage_terms");
    }

    @Test
    void openSearchNames() {
        assertThat(new String[]{IndexFields.OpenSearch.CHUNK_NUMBER, IndexFields.OpenSearch.CHUNK_MAX_TOKENS,
                IndexFields.OpenSearch.CHUNK_OVERLAP_TOKENS, IndexFields.OpenSearch.METADATA_JSON,
                IndexFields.OpenSearch.METADATA, IndexFields.OpenSearch.METADATA_KEYWORD,
                IndexFields.OpenSearch.METADATA_NUMBER, IndexFields.OpenSearch.METADATA_BOOLEAN,
                IndexFields.OpenSearch.CHUNK_COUNT, IndexFields.OpenSearch.CHUNKS})
                .containsExactly("chunk", "chunk_max_tokens", "chunk_overlap_tokens", "metadata_json", "metadata",
                        "metadata.keyword", "metadata.number", "metadata.boolean", "chunk_count", "chunks");
    }
}
