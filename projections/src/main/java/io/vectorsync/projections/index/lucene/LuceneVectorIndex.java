package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.IndexWrite.ChangeMetadata;
import io.vectorsync.projections.index.IndexWrite.Delete;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.IndexWriteException;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorQuery;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene102.Lucene102HnswBinaryQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The embedded {@link VectorIndex}: one Lucene index per embedding space on local disk, HNSW vectors,
 * near-real-time search. The entry model is described in {@link Entries}.
 * <p>
 * Thread safety: {@link #apply} calls are serialized (each reads versions from the searcher the
 * previous one refreshed, and each ends in a commit that dominates its cost anyway); searches and
 * counts run concurrently with them and with each other.
 */
public final class LuceneVectorIndex implements VectorIndex {

    /** Chunks fetched per wanted document before collapsing; more are fetched when chunks crowd. */
    private static final int CHUNKS_PER_HIT = 4;
    private static final Pattern SPACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String COMMIT_SPACE = "vectorsync.space";
    private static final String COMMIT_DIMENSION = "vectorsync.dimension";
    private static final String COMMIT_METRIC = "vectorsync.metric";
    private static final Set<String> VERSION_FIELDS = Set.of(Entries.VERSION, Entries.DELETED);
    private static final Set<String> ID_FIELD = Set.of(Entries.DOCUMENT_ID);

    private final SpaceSpec space;
    /** Candidates a search considers at least (OpenSearch's ef_search), before it keeps the chunks it wants. */
    private final int efSearch;
    /** How the graph's vectors are quantized; candidates of a quantized graph are rescored at full precision. */
    private final HnswSettings.Quantization quantization;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final FieldType vectorType;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Whether vectors are indexed (and queries asked) as unit vectors under Lucene's dot product: how a cosine space
     * is indexed since the dot product costs a third of the cosine's arithmetic in every graph build, merge and
     * search, and ranks unit vectors identically, with the same scores. Indexes built before keep Lucene's cosine.
     */
    private final boolean unitVectors;

    private LuceneVectorIndex(SpaceSpec space, Directory directory, IndexWriter writer, SearcherManager searchers,
                              int efSearch, HnswSettings.Quantization quantization) throws IOException {
        this.space = space;
        this.efSearch = efSearch;
        this.quantization = quantization;
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        VectorSimilarityFunction indexed = indexedSimilarity(searchers).orElse(
                space.metric() == SpaceSpec.Metric.COSINE ? VectorSimilarityFunction.DOT_PRODUCT : similarity(space.metric()));
        this.unitVectors = space.metric() == SpaceSpec.Metric.COSINE && indexed == VectorSimilarityFunction.DOT_PRODUCT;
        this.vectorType = KnnFloatVectorField.createFieldType(space.dimension(), indexed);
    }

    static double length(float[] vector) {
        double squares = 0;
        for (float value : vector) {
            squares += (double) value * value;
        }
        return Math.sqrt(squares);
    }

    /** The similarity the index's vector field was created with, if any segment has the field. */
    private static java.util.Optional<VectorSimilarityFunction> indexedSimilarity(SearcherManager searchers)
            throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                org.apache.lucene.index.FieldInfo field = leaf.reader().getFieldInfos().fieldInfo(Entries.VECTOR);
                if (field != null && field.getVectorDimension() > 0) {
                    return java.util.Optional.of(field.getVectorSimilarityFunction());
                }
            }
            return java.util.Optional.empty();
        } finally {
            searchers.release(searcher);
        }
    }

    /**
     * {@code vector} scaled to length 1; one that already is, to float precision (every model's embedding), as it is.
     * A cosine space's zero vectors are refused before they get here.
     */
    static float[] unit(float[] vector) {
        return unit(vector, length(vector));
    }

    /** {@link #unit(float[])} of a vector whose length is known. */
    static float[] unit(float[] vector, double length) {
        if (length == 0 || Math.abs(length * length - 1) < 1e-5) {
            return vector;
        }
        double scale = 1 / length;
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] * scale);
        }
        return unit;
    }

    /**
     * Opens (or creates) the index of {@code space} in {@code directory}. Refuses a directory written
     * for another dimension or metric, and one another open index holds (Lucene's write lock).
     */
    public static LuceneVectorIndex open(SpaceSpec space, Path directory, HnswSettings hnsw) {
        KnnVectorsFormat format = switch (hnsw.quantization()) {
            case NONE -> new Lucene99HnswVectorsFormat(hnsw.m(), hnsw.beamWidth());
            case INT7 -> new Lucene99HnswScalarQuantizedVectorsFormat(hnsw.m(), hnsw.beamWidth(), 1, 7, false, null, null);
            case INT4 -> new Lucene99HnswScalarQuantizedVectorsFormat(hnsw.m(), hnsw.beamWidth(), 1, 4, true, null, null);
            case BBQ -> new Lucene102HnswBinaryQuantizedVectorsFormat(hnsw.m(), hnsw.beamWidth(), 1, null);
        };
        if (space.dimension() < 1 || space.dimension() > format.getMaxDimensions(Entries.VECTOR)) {
            throw new IllegalArgumentException("space '" + space.name() + "' has dimension " + space.dimension()
                    + "; Lucene's HNSW index takes 1 to " + format.getMaxDimensions(Entries.VECTOR));
        }
        if (hnsw.quantization() == HnswSettings.Quantization.INT4 && space.dimension() % 2 != 0) {
            throw new IllegalArgumentException("space '" + space.name() + "' has an odd dimension (" + space.dimension()
                    + "); 4-bit quantization packs two dimensions per byte and needs an even one");
        }
        Directory fsDirectory = null;
        IndexWriter writer = null;
        try {
            Files.createDirectories(directory);
            fsDirectory = FSDirectory.open(directory);
            writer = new IndexWriter(fsDirectory, new IndexWriterConfig()
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    // every apply flushes a small segment that a merge soon folds in: copying it into a compound
                    // file first is work thrown away (merged segments still follow the merge policy's choice)
                    .setUseCompoundFile(false)
                    .setCodec(codec(format)));
            recordSpace(writer, space, directory);
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

    /** The default codec, except for the HNSW parameters of the vector field. */
    private static Codec codec(KnnVectorsFormat format) {
        return new Lucene103Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
            }
        };
    }

    /** Remembers the space in the commit, so a changed dimension or metric fails loudly on open. */
    private static void recordSpace(IndexWriter writer, SpaceSpec space, Path directory) throws IOException {
        Map<String, String> recorded = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(entry -> recorded.put(entry.getKey(), entry.getValue()));
        }
        Map<String, String> expected = Map.of(
                COMMIT_SPACE, space.name(),
                COMMIT_DIMENSION, Integer.toString(space.dimension()),
                COMMIT_METRIC, space.metric().name());
        if (recorded.containsKey(COMMIT_DIMENSION) && !recorded.equals(expected)) {
            throw new IllegalStateException("the index in " + directory + " was built for space "
                    + recorded.get(COMMIT_SPACE) + " (dimension " + recorded.get(COMMIT_DIMENSION) + ", "
                    + recorded.get(COMMIT_METRIC) + "), not for " + space + "; rebuild it into a new directory");
        }
        writer.setLiveCommitData(expected.entrySet());
        writer.commit();
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

    /** Adds Lucene's limit on indexed terms to the shared rules. */
    @Override
    public void validate(IndexWrite write) {
        VectorIndex.super.validate(write);
        requireIndexableTerm(Entries.key(write.tenant(), write.documentId()), "tenant and documentId");
        Map<String, Object> metadata = switch (write) {
            case ReplaceChunks replace -> replace.metadata();
            case ChangeMetadata change -> change.metadata();
            case Delete ignored -> null;
        };
        if (metadata != null) {
            metadata.forEach((key, value) -> {
                if (value instanceof String text) {
                    requireIndexableTerm(text, "metadata '" + key + "'");
                } else if (value instanceof List<?> items) {
                    items.forEach(item -> requireIndexableTerm((String) item, "metadata '" + key + "'"));
                }
            });
        }
    }

    private static void requireIndexableTerm(String term, String what) {
        if (new BytesRef(term).length > IndexWriter.MAX_TERM_LENGTH) {
            throw new IllegalArgumentException(what + " is longer than " + IndexWriter.MAX_TERM_LENGTH
                    + " UTF-8 bytes");
        }
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
                writer.updateDocuments(new Term(Entries.KEY, Entries.key(document.tenant, document.documentId)),
                        Entries.block(document.tenant, document.documentId, document.version, document.deleted,
                                document.content, vectorType, unitVectors));
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
            writer.commit();
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

    /**
     * Runs the writes against the documents' current states, later writes seeing earlier ones, and
     * returns the states that changed. A write not newer than the state is skipped.
     */
    private List<DocumentState> decide(List<IndexWrite> writes) throws IOException {
        // refresh first: a batch that failed halfway may have left writes the searcher has not seen
        searchers.maybeRefreshBlocking();
        IndexSearcher searcher = searchers.acquire();
        try {
            Map<String, DocumentState> documents = new LinkedHashMap<>();
            for (IndexWrite write : writes) {
                String key = Entries.key(write.tenant(), write.documentId());
                DocumentState document = documents.get(key);
                if (document == null) {
                    document = readState(searcher, write.tenant(), write.documentId());
                    documents.put(key, document);
                }
                if (document.version >= write.version()) {
                    continue;
                }
                switch (write) {
                    case ReplaceChunks replace -> document.replace(replace);
                    case ChangeMetadata change -> {
                        if (!document.contentKnown) {
                            document.content = readContent(searcher, write.tenant(), write.documentId());
                            document.contentKnown = true;
                        }
                        document.changeMetadata(change);
                    }
                    case Delete ignored -> document.delete();
                }
                document.version = write.version();
                document.changed = true;
            }
            return documents.values().stream().filter(document -> document.changed).toList();
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public Optional<ReplaceChunks> content(String tenant, String documentId) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                DocumentState state = readState(searcher, tenant, documentId);
                return state.deleted ? Optional.empty() : Optional.ofNullable(readContent(searcher, tenant, documentId));
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tenant + "/" + documentId + " from the index of space '"
                    + space.name() + "'", e);
        }
    }

    private static DocumentState readState(IndexSearcher searcher, String tenant, String documentId)
            throws IOException {
        if (!anySegmentHas(searcher, new BytesRef(Entries.key(tenant, documentId)))) {
            // a document the index has never held (most writes during an ingest): one term lookup per segment
            // instead of a query
            DocumentState unknown = new DocumentState(tenant, documentId, -1, false);
            unknown.contentKnown = true;
            return unknown;
        }
        ScoreDoc[] found = searcher.search(documentQuery(tenant, documentId, Entries.KIND_STATE), 1).scoreDocs;
        if (found.length == 0) {
            DocumentState unknown = new DocumentState(tenant, documentId, -1, false);
            unknown.contentKnown = true;
            return unknown;
        }
        Document state = searcher.storedFields().document(found[0].doc, VERSION_FIELDS);
        return new DocumentState(tenant, documentId, Entries.longValue(state, Entries.VERSION),
                Entries.intValue(state, Entries.DELETED) == 1);
    }

    /** Whether any segment holds the key term (also for entries deleted since: the query then decides). */
    private static boolean anySegmentHas(IndexSearcher searcher, BytesRef key) throws IOException {
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(Entries.KEY);
            if (terms != null && terms.iterator().seekExact(key)) {
                return true;
            }
        }
        return false;
    }

    private static ReplaceChunks readContent(IndexSearcher searcher, String tenant, String documentId)
            throws IOException {
        Query chunks = documentQuery(tenant, documentId, Entries.KIND_CHUNK);
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
        FloatVectorValues values = leaf.reader().getFloatVectorValues(Entries.VECTOR);
        KnnVectorValues.DocIndexIterator iterator = values == null ? null : values.iterator();
        if (iterator == null || iterator.advance(doc - leaf.docBase) != doc - leaf.docBase) {
            throw new IllegalStateException("index entry " + doc + " has no vector");
        }
        return values.vectorValue(iterator.index()).clone();
    }

    @Override
    public Map<String, Long> documentVersions(String tenant) {
        Query states = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(Entries.TENANT, tenant)), Occur.FILTER)
                .add(new TermQuery(new Term(Entries.KIND, Entries.KIND_STATE)), Occur.FILTER)
                .build();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                Map<String, Long> versions = new java.util.HashMap<>();
                int count = searcher.count(states);
                if (count == 0) {
                    return versions;
                }
                StoredFields stored = searcher.storedFields();
                for (ScoreDoc state : searcher.search(states, count).scoreDocs) {
                    Document document = stored.document(state.doc, java.util.Set.of(Entries.DOCUMENT_ID, Entries.VERSION));
                    versions.put(document.get(Entries.DOCUMENT_ID), Entries.longValue(document, Entries.VERSION));
                }
                return versions;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the documents of " + tenant + " in space '" + space.name() + "'", e);
        }
    }

    private static Query documentQuery(String tenant, String documentId, String kind) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(Entries.KEY, Entries.key(tenant, documentId))), Occur.FILTER)
                .add(new TermQuery(new Term(Entries.KIND, kind)), Occur.FILTER)
                .build();
    }

    @Override
    public List<DocumentHit> search(VectorQuery query) {
        if (query.tenant() == null || query.tenant().isEmpty()) {
            throw new IllegalArgumentException("tenant is required");
        }
        if (query.k() < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + query.k());
        }
        requireQueryVector(query.vector());
        Query filter = Filters.chunksOf(query.tenant(), query.filter());
        float minScore = query.minScore() == null ? Float.NEGATIVE_INFINITY : query.minScore();
        return withSearcher(searcher -> {
            StoredFields stored = searcher.storedFields();
            int maxDoc = Math.max(1, searcher.getIndexReader().maxDoc());
            int chunksWanted = (int) Math.min((long) query.k() * CHUNKS_PER_HIT, maxDoc);
            while (true) {
                // Lucene's k is the search beam, and each segment searches a share of it in proportion to its
                // size: a beam of k alone misses neighbours at small k (recall@1 0.915 on 20,000 vectors). The
                // beam is at least ef_search, as in OpenSearch, and all of it is collapsed into documents. The filter
                // restricts the HNSW search itself (pre-filtering), so k never shrinks after it.
                int beam = (int) Math.min(Math.max(chunksWanted, efSearch), maxDoc);
                ScoreDoc[] chunks = searcher.search(knn(query.vector(), beam, filter), beam).scoreDocs;
                Map<Integer, String> ids = documentIds(searcher, stored, chunks);
                Map<String, ScoreDoc> bestPerDocument = new LinkedHashMap<>();
                boolean reachedMinScore = false;
                for (ScoreDoc chunk : chunks) { // best first
                    if (chunk.score < minScore) {
                        reachedMinScore = true;
                        break;
                    }
                    bestPerDocument.putIfAbsent(ids.get(chunk.doc), chunk);
                }
                boolean exhausted = chunks.length < beam || beam >= maxDoc;
                if (bestPerDocument.size() >= query.k() || reachedMinScore || exhausted) {
                    // the best k documents (ties by id); only theirs are read in full
                    List<Map.Entry<String, ScoreDoc>> best = bestPerDocument.entrySet().stream()
                            .sorted(Comparator.comparingDouble((Map.Entry<String, ScoreDoc> e) -> -e.getValue().score)
                                    .thenComparing(Map.Entry::getKey))
                            .limit(query.k())
                            .toList();
                    List<DocumentHit> hits = new ArrayList<>(best.size());
                    for (Map.Entry<String, ScoreDoc> hit : best) {
                        hits.add(Entries.hit(stored.document(hit.getValue().doc, Entries.HIT_FIELDS), hit.getValue().score));
                    }
                    return hits;
                }
                chunksWanted = (int) Math.min(beam * 2L, maxDoc); // a wider beam, or the same search again
            }
        });
    }

    /**
     * The document id of each chunk, from its doc values (read in doc id order, as they must be); from the stored
     * field for entries of segments written before the doc values existed.
     */
    private static Map<Integer, String> documentIds(IndexSearcher searcher, StoredFields stored, ScoreDoc[] chunks)
            throws IOException {
        int[] docs = java.util.Arrays.stream(chunks).mapToInt(chunk -> chunk.doc).sorted().toArray();
        Map<Integer, String> ids = new HashMap<>(docs.length * 2);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = null;
        SortedDocValues values = null;
        for (int doc : docs) {
            if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
                values = leaf.reader().getSortedDocValues(Entries.DOCUMENT_ID_VALUES);
            }
            if (values != null && values.advanceExact(doc - leaf.docBase)) {
                ids.put(doc, values.lookupOrd(values.ordValue()).utf8ToString());
            } else {
                ids.put(doc, stored.document(doc, ID_FIELD).get(Entries.DOCUMENT_ID));
            }
        }
        return ids;
    }

    /**
     * The HNSW query for {@code beam} chunks. On a quantized graph it takes {@code oversample} times as many
     * candidates and scores them again with the full-precision vectors, best {@code beam} first.
     */
    private Query knn(float[] query, int beam, Query filter) {
        float[] vector = unitVectors ? unit(query) : query;
        if (quantization == HnswSettings.Quantization.NONE) {
            return new KnnFloatVectorQuery(Entries.VECTOR, vector, beam, filter);
        }
        int candidates = beam * quantization.oversample();
        return RescoreTopNQuery.createFullPrecisionRescorerQuery(
                new KnnFloatVectorQuery(Entries.VECTOR, vector, candidates, filter), vector, Entries.VECTOR, beam);
    }

    @Override
    public OptionalLong version(String tenant, String documentId) {
        return withSearcher(searcher -> stateVersion(searcher, tenant, documentId));
    }

    /** One searcher for all of them: the hot cache asks for its contenders on every search, and its sweep for hundreds. */
    @Override
    public Map<String, Long> searchableVersions(String tenant, java.util.Collection<String> documentIds) {
        return withSearcher(searcher -> {
            Map<String, Long> versions = new HashMap<>();
            for (String documentId : documentIds) {
                stateVersion(searcher, tenant, documentId).ifPresent(version -> versions.put(documentId, version));
            }
            return versions;
        });
    }

    /**
     * The version of the document's live state entry: the key term's postings in each segment, and the first live
     * entry with state-version doc values is it. A segment written before those doc values existed is asked by query.
     */
    private static OptionalLong stateVersion(IndexSearcher searcher, String tenant, String documentId)
            throws IOException {
        BytesRef key = new BytesRef(Entries.key(tenant, documentId));
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(Entries.KEY);
            org.apache.lucene.index.TermsEnum term = terms == null ? null : terms.iterator();
            if (term == null || !term.seekExact(key)) {
                continue;
            }
            org.apache.lucene.index.NumericDocValues versions = leaf.reader().getNumericDocValues(Entries.STATE_VERSION_VALUES);
            if (versions == null) {
                return stateVersionByQuery(searcher, tenant, documentId);
            }
            org.apache.lucene.util.Bits live = leaf.reader().getLiveDocs();
            org.apache.lucene.index.PostingsEnum postings = term.postings(null, org.apache.lucene.index.PostingsEnum.NONE);
            for (int doc = postings.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
                 doc = postings.nextDoc()) {
                if ((live == null || live.get(doc)) && versions.advanceExact(doc)) {
                    return OptionalLong.of(versions.longValue());
                }
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong stateVersionByQuery(IndexSearcher searcher, String tenant, String documentId)
            throws IOException {
        ScoreDoc[] found = searcher.search(documentQuery(tenant, documentId, Entries.KIND_STATE), 1).scoreDocs;
        if (found.length == 0) {
            return OptionalLong.empty();
        }
        Document state = searcher.storedFields().document(found[0].doc, VERSION_FIELDS);
        return OptionalLong.of(Entries.longValue(state, Entries.VERSION));
    }

    @Override
    public long countDocuments(String tenant) {
        return count(tenant, Entries.KIND_STATE, new TermQuery(new Term(Entries.LIVE, "true")));
    }

    @Override
    public long countChunks(String tenant) {
        return count(tenant, Entries.KIND_CHUNK, null);
    }

    private long count(String tenant, String kind, Query extra) {
        BooleanQuery.Builder query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(Entries.TENANT, tenant)), Occur.FILTER)
                .add(new TermQuery(new Term(Entries.KIND, kind)), Occur.FILTER);
        if (extra != null) {
            query.add(extra, Occur.FILTER);
        }
        return withSearcher(searcher -> searcher.count(query.build()));
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

    /** One document as a batch sees it; {@code content} is null when it has no chunks. */
    private static final class DocumentState {
        final String tenant;
        final String documentId;
        long version;
        boolean deleted;
        ReplaceChunks content;
        /** Chunks are read from the index only when a metadata change needs them. */
        boolean contentKnown;
        boolean changed;

        DocumentState(String tenant, String documentId, long version, boolean deleted) {
            this.tenant = tenant;
            this.documentId = documentId;
            this.version = version;
            this.deleted = deleted;
        }

        void replace(ReplaceChunks replace) {
            content = replace;
            contentKnown = true;
            deleted = false;
        }

        void changeMetadata(ChangeMetadata change) {
            if (content != null) {
                content = new ReplaceChunks(tenant, documentId, change.version(), content.contentRevision(),
                        content.title(), change.metadata(), content.provenance(), content.chunks());
            }
        }

        void delete() {
            content = null;
            contentKnown = true;
            deleted = true;
        }
    }
}
