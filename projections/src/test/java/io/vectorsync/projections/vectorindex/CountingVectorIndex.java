package io.vectorsync.projections.vectorindex;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorQuery;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/** Wraps a real index and records the batches applied to it, so tests can see how writes are grouped. */
final class CountingVectorIndex implements VectorIndex {

    private final VectorIndex delegate;
    final List<List<IndexWrite>> batches = new CopyOnWriteArrayList<>();

    CountingVectorIndex(VectorIndex delegate) {
        this.delegate = delegate;
    }

    @Override
    public SpaceSpec space() {
        return delegate.space();
    }

    @Override
    public void validate(IndexWrite write) {
        delegate.validate(write);
    }

    @Override
    public void apply(List<IndexWrite> writes) {
        batches.add(List.copyOf(writes));
        delegate.apply(writes);
    }

    @Override
    public List<DocumentHit> search(VectorQuery query) {
        return delegate.search(query);
    }

    @Override
    public OptionalLong version(String tenant, String documentId) {
        return delegate.version(tenant, documentId);
    }

    @Override
    public java.util.Optional<io.vectorsync.projections.index.IndexWrite.ReplaceChunks> content(String tenant, String documentId) {
        return delegate.content(tenant, documentId);
    }

    @Override
    public long countDocuments(String tenant) {
        return delegate.countDocuments(tenant);
    }

    @Override
    public long countChunks(String tenant) {
        return delegate.countChunks(tenant);
    }

    @Override
    public void expungeDeletes() {
        delegate.expungeDeletes();
    }

    @Override
    public long countAllDocuments() {
        return delegate.countAllDocuments();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void clear() {
        delegate.clear();
    }

    @Override
    public java.util.Map<String, Long> documentVersions(String tenant) {
        return delegate.documentVersions(tenant);
    }
}
