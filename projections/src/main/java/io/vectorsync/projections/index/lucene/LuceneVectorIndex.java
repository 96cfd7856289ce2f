package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.HybridQuery;
import io.vectorsync.projections.index.HybridRankings;
import io.vectorsync.projections.index.HybridSearch;
import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.IndexWriteException;
import io.vectorsync.projections.index.RankFusion;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.projections.index.WriteFold;
import io.vectorsync.projections.index.WriteFold.DocumentState;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The embedded {@link VectorIndex}: one Lucene index per embedding space on local disk, HNSW vectors,
 * near-real-time search. The entry model is described in {@link Entries}; reads are {@link EntryReader}'s,
 * searches {@link KnnSearch}'s (by meaning) and {@link WordSearch}'s (by words, BM25), and the version guard
 * {@link WriteFold}'s. A hybrid search fuses both rankings with {@link RankFusion}, as the OpenSearch adapter does.
 * <p>
 * Thread safety: {@link #apply} calls are serialized (each reads versions from the searcher the
 * previous one refreshed, and each ends in a commit that dominates its cost anyway); searches and
 * counts run concurrently with them and with each other.
 */
public final class LuceneVectorIndex implements VectorIndex, HybridSearch {

    private static final Pattern SPACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** Documents each ranking of a hybrid search holds, per hit wanted (as OpenSearch's client-side fusion). */
    private static final int HYBRID_DEPTH_PER_HIT = 4;
    private static final int MAX_HYBRID_DEPTH = 10_000;

    private final SpaceSpec space;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final FieldType vectorType;
    private final KnnSearch knn;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether every chunk entry has its passage terms (see {@link IndexSetup#hasPassageTerms}); set by a clear. */
    private volatile boolean passageTerms;

    /**
     * Whether vectors are indexed (and queries asked) as unit vectors under Lucene's dot product: how a cosine space
     * is indexed since the dot product costs a third of the cosine's arithmetic in every graph build, merge and
     * search, and ranks unit vectors identically, with the same scores. Indexes built before keep Lucene's cosine.
     */
    private final boolean unitVectors;

    private LuceneVectorIndex(SpaceSpec space, Directory directory, IndexWriter writer, SearcherManager searchers,
                              int efSearch, HnswSettings.Quantization quantization) throws IOException {
        this.space = space;
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        VectorSimilarityFunction indexed = IndexSetup.indexedSimilarity(searchers, space);
        this.unitVectors = space.metric() == SpaceSpec.Metric.COSINE && indexed == VectorSimilarityFunction.DOT_PRODUCT;
        this.vectorType = KnnFloatVectorField.createFieldType(space.dimension(), indexed);
        this.knn = new KnnSearch(efSearch, quantization, unitVectors);
        this.passageTerms = IndexSetup.hasPassageTerms(writer);
    }

    /**
     * Opens (or creates) the index of {@code space} in {@code directory}. Refuses a directory written
     * for another dimension or metric, and one another open index holds (Lucene's write lock).
     */
    public static LuceneVectorIndex open(SpaceSpec space, Path directory, HnswSettings hnsw) {
        KnnVectorsFormat format = IndexSetup.format(space, hnsw);
        Directory fsDirectory = null;
        IndexWriter writer = null;
        try {
            Files.createDirectories(directory);
            fsDirectory = FSDirectory.open(directory);
            writer = IndexSetup.writer(fsDirectory, format);
            IndexSetup.recordSpace(writer, space, directory);
            return new LuceneVectorIndex(space, fsDirectory, writer, new SearcherManager(writer, null), hnsw.efSearch(),
                    hnsw.quantization());
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(writer, fsDirectory);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot open the index of space '" + space.name() + "' in "
                        + directory + ": " + e.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Opens each space's index in {@code baseDirectory/<space name>}, for {@code VectorIndexes.open}. */
    public static Function<SpaceSpec, VectorIndex> factory(Path baseDirectory, HnswSettings hnsw) {
        return space -> {
            if (!SPACE_NAME.matcher(space.name()).matches()) {
                throw new IllegalArgumentException("space name '" + space.name()
                        + "' cannot name a directory: use letters, digits, '.', '_' and '-'");
            }
            return open(space, baseDirectory.resolve(space.name()), hnsw);
        };
    }

    /** The Lucene similarity of a metric: how this index scores, and how the hot-vector cache scores alike. */
    public static VectorSimilarityFunction similarity(SpaceSpec.Metric metric) {
        return switch (metric) {
            case COSINE -> VectorSimilarityFunction.COSINE;
            case DOT_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
            case EUCLIDEAN -> VectorSimilarityFunction.EUCLIDEAN;
        };
    }

    @Override
    public SpaceSpec space() {
        return space;
    }

    /** Adds Lucene's limit on indexed terms to the shared rules, for the key. */
    @Override
    public void validate(IndexWrite write) {
        VectorIndex.super.validate(write);
        Entries.requireIndexable(write);
    }

    @Override
    public void apply(List<IndexWrite> writes) {
        validateAll(writes); // before writing anything: a deterministic failure leaves nothing half-written
        if (writes.isEmpty()) {
            return;
        }
        writeLock.lock();
        try {
            for (DocumentState document : decide(writes)) {
                writer.updateDocuments(new Term(IndexFields.KEY, Entries.key(document.tenant(), document.documentId())),
                        Entries.block(document.tenant(), document.documentId(), document.version(), document.deleted(),
                                document.content(), vectorType, unitVectors));
            }
            writer.commit(); // the processor stores its token once apply returns, so this must be durable
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new IndexWriteException("cannot write the index of space '" + space.name() + "': "
                    + e.getMessage(), true, e);
        } catch (AlreadyClosedException e) {
            throw new IndexWriteException("the index of space '" + space.name() + "' is closed", false, e);
        } catch (IllegalArgumentException e) {
            throw new IndexWriteException("Lucene rejected a write to space '" + space.name() + "': "
                    + e.getMessage(), false, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void clear() {
        writeLock.lock();
        try {
            writer.deleteAll();
            IndexSetup.markPassageTerms(writer);
            writer.commit();
            passageTerms = true;
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new IndexWriteException("cannot clear the index of space '" + space.name() + "': "
                    + e.getMessage(), true, e);
        } catch (AlreadyClosedException e) {
            throw new IndexWriteException("the index of space '" + space.name() + "' is closed", false, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void expungeDeletes() {
        writeLock.lock();
        try {
            writer.forceMergeDeletes(true);
            writer.commit();
            searchers.maybeRefreshBlocking(); // lets go of the readers of the merged-away segments
            writer.deleteUnusedFiles();
        } catch (IOException e) {
            throw new IndexWriteException("cannot expunge the deleted entries of space '" + space.name() + "': "
                    + e.getMessage(), true, e);
        } catch (AlreadyClosedException e) {
            throw new IndexWriteException("the index of space '" + space.name() + "' is closed", false, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** The states the writes changed, folded by {@link WriteFold} from what the index holds now. */
    private List<DocumentState> decide(List<IndexWrite> writes) throws IOException {
        // refresh first: a batch that failed halfway may have left writes the searcher has not seen
        searchers.maybeRefreshBlocking();
        IndexSearcher searcher = searchers.acquire();
        try {
            return WriteFold.changed(writes,
                    (tenant, documentId) -> EntryReader.state(searcher, tenant, documentId),
                    document -> EntryReader.content(searcher, document.tenant(), document.documentId()));
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public Optional<ReplaceChunks> content(String tenant, String documentId) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                DocumentState state = EntryReader.state(searcher, tenant, documentId);
                return state.deleted() ? Optional.empty()
                        : Optional.ofNullable(EntryReader.content(searcher, tenant, documentId));
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tenant + "/" + documentId + " from the index of space '"
                    + space.name() + "'", e);
        }
    }

    @Override
    public Map<String, Long> documentVersions(String tenant) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return EntryReader.documentVersions(searcher, tenant);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the documents of " + tenant + " in space '" + space.name() + "'", e);
        }
    }

    @Override
    public List<DocumentHit> search(VectorQuery query) {
        requireQuery(query);
        Query filter = Filters.chunksOf(query.tenant(), query.filter());
        return withSearcher(searcher -> knn.search(searcher, query, filter));
    }

    /**
     * BM25 over the passages fused with k-NN by Reciprocal Rank Fusion ({@link RankFusion}, shared with the
     * OpenSearch adapter); hit scores are fused ranks, not similarities.
     */
    @Override
    public List<DocumentHit> hybridSearch(HybridQuery query) {
        return RankFusion.fuse(hybridRankings(query), query.k());
    }

    /**
     * Both rankings from one searcher, so they see the same writes, each of up to 4 × k documents: by meaning
     * ({@link KnnSearch}) and by words ({@link WordSearch}), restricted by the same tenant and filter.
     */
    @Override
    public HybridRankings hybridRankings(HybridQuery query) {
        requireQuery(query);
        if (!passageTerms) {
            throw new IllegalStateException(noPassageTerms());
        }
        int depth = (int) Math.min((long) query.k() * HYBRID_DEPTH_PER_HIT, MAX_HYBRID_DEPTH);
        Query filter = Filters.chunksOf(query.tenant(), query.filter());
        VectorQuery meaning = new VectorQuery(query.tenant(), query.vector(), depth, query.filter(), null);
        return withSearcher(searcher -> new HybridRankings(
                knn.search(searcher, meaning, filter),
                WordSearch.search(searcher, query.text(), depth, filter)));
    }

    /** False for an index written before passages were indexed as terms, until it is cleared (a replay) or rebuilt. */
    @Override
    public boolean ranksByWords() {
        return passageTerms;
    }

    private String noPassageTerms() {
        return "the index of space '" + space.name() + "' was written before passages were indexed for BM25 and "
                + "cannot rank by words: rebuild it (a new index version) or replay its index projection";
    }

    @Override
    public OptionalLong version(String tenant, String documentId) {
        return withSearcher(searcher -> EntryReader.stateVersion(searcher, tenant, documentId));
    }

    /** One searcher for all of them: the hot cache asks for its contenders on every search, and its sweep for hundreds. */
    @Override
    public Map<String, Long> searchableVersions(String tenant, Collection<String> documentIds) {
        return withSearcher(searcher -> {
            Map<String, Long> versions = new HashMap<>();
            for (String documentId : documentIds) {
                EntryReader.stateVersion(searcher, tenant, documentId)
                        .ifPresent(version -> versions.put(documentId, version));
            }
            return versions;
        });
    }

    @Override
    public long countDocuments(String tenant) {
        return withSearcher(searcher -> EntryReader.count(searcher, tenant, true));
    }

    @Override
    public long countAllDocuments() {
        return withSearcher(searcher -> EntryReader.count(searcher, null, true));
    }

    @Override
    public long countChunks(String tenant) {
        return withSearcher(searcher -> EntryReader.count(searcher, tenant, false));
    }

    private <T> T withSearcher(SearcherFunction<T> function) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return function.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index of space '" + space.name() + "'", e);
        }
    }

    /** Open and its writer alive: Lucene closes the writer itself after a tragic failure (disk full, I/O error). */
    @Override
    public boolean healthy() {
        return !closed.get() && writer.isOpen();
    }

    /** The directory and how many Lucene documents (chunk entries and document states) it holds. */
    @Override
    public String healthDetail() {
        String where = "lucene at " + (directory instanceof FSDirectory fs ? fs.getDirectory() : directory);
        if (closed.get()) {
            return where + " is closed";
        }
        try {
            if (!writer.isOpen()) {
                Throwable tragedy = writer.getTragicException();
                return where + ": the writer closed after " + (tragedy == null ? "a failure" : tragedy);
            }
            return where + ", " + writer.getDocStats().numDocs + " entries";
        } catch (RuntimeException e) { // closed between the check and the read
            return where + ": " + e.getMessage();
        }
    }

    /** Waits for a running {@link #apply} to finish, then releases the files and Lucene's write lock. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writeLock.lock();
        try {
            // every apply has committed already; a commit here only makes sure. Then rollback rather than close:
            // close waits for running merges, which at a million vectors took minutes and held a stopping app up;
            // rollback aborts them (their segments stay as they were committed, and merge again after a restart)
            try {
                if (writer.isOpen()) {
                    writer.commit();
                }
            } finally {
                IOUtils.close(searchers, writer::rollback, directory);
            }
        } catch (IOException | AlreadyClosedException e) {
            throw new UncheckedIOException("cannot close the index of space '" + space.name() + "'",
                    e instanceof IOException io ? io : new IOException(e));
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "LuceneVectorIndex[" + space.name() + "]";
    }

    @FunctionalInterface
    private interface SearcherFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }
}
