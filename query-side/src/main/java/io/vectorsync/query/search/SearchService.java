package io.vectorsync.query.search;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.HybridQuery;
import io.vectorsync.projections.index.HybridSearch;
import io.vectorsync.projections.index.SpaceSpec;
import io.helidon.http.NotFoundException;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.projections.hotcache.HotDocument;
import io.vectorsync.projections.hotcache.HotMerge;
import io.vectorsync.json.Bodies;
import io.vectorsync.query.PositionWait;
import io.vectorsync.query.TextEmbedder;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /{tenant}/search}: the k documents nearest to a text or a vector, each with its best
 * passage; in {@code hybrid} mode ranked by meaning and words together, where the index supports it. Bad input leaves as {@link io.vectorsync.domain.InvalidInputException}, which the app maps
 * to a 400 naming the field.
 */
public final class SearchService implements HttpService {

    /** A 4,096-dimension vector in JSON with a filter fits easily. */
    static final long MAX_REQUEST_BYTES = 1024 * 1024;

    private final IndexLookup indexes;
    private final TextEmbedder embedder;
    private final SearchRequestParser parser;
    private final HotLookup hot;
    private final PositionWait positions;

    /**
     * @param indexes      the live index of each space
     * @param embedder     embeds query texts with a space's model
     * @param defaultSpace the space a request without {@code space} searches; one of {@code spaces}
     * @param spaces       every searchable space, for validating names and vector dimensions
     */
    public SearchService(IndexLookup indexes, TextEmbedder embedder, String defaultSpace, Collection<SpaceSpec> spaces) {
        this(indexes, embedder, defaultSpace, spaces, HotLookup.NONE, position -> {
        });
    }

    /**
     * @param hot what the hot-vector cache holds; k-NN searches merge it into the index's answer, so a
     *            document is found as it was last written even before the index shows it
     * @param positions waits for a request's {@code consistentWith} position
     */
    public SearchService(IndexLookup indexes, TextEmbedder embedder, String defaultSpace, Collection<SpaceSpec> spaces,
                         HotLookup hot, PositionWait positions) {
        this.indexes = Objects.requireNonNull(indexes, "indexes");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.parser = new SearchRequestParser(defaultSpace, spaces);
        this.hot = Objects.requireNonNull(hot, "hot");
        this.positions = Objects.requireNonNull(positions, "positions");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{tenant}/search", this::search);
        rules.post("/{tenant}/documents/{documentId}/similar", this::similar);
    }

    private void search(ServerRequest req, ServerResponse res) {
        String body = body(req);
        SearchRequest request = parser.parse(req.path().pathParameters().get("tenant"), body);

        VectorIndex index = request.indexVersion() == null ? indexes.forSpace(request.space().name())
                : indexes.forVersion(request.space().name(), request.indexVersion());
        HybridSearch hybrid = request.mode() == SearchMode.HYBRID ? hybrid(index) : null;

        // timed from here so tookMs covers waiting for consistentWith and embedding the text too
        long started = System.nanoTime();
        if (request.consistentWith() != null) {
            positions.await(request.consistentWith());
        }
        List<DocumentHit> hits;
        if (request.indexVersion() != null) { // a version as it is: the cache holds the live state
            TextEmbedder versions = indexes.embedderFor(request.space().name(), request.indexVersion(), embedder);
            hits = hybrid != null ? hybrid.hybridSearch(request.toHybridQuery(versions)) : index.search(request.toQuery(versions));
        } else {
            hits = hybrid != null
                    ? hybridSearch(hybrid, index, request.toHybridQuery(embedder))
                    : knn(index, request.toQuery(embedder));
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(SearchJson.response(request, hits, tookMs));
    }

    /**
     * {@code POST /{tenant}/documents/{documentId}/similar}: the k documents nearest to this one, not
     * itself. Its vector is the mean of its chunks' vectors, taken from the hot-vector cache when the
     * document is there, else from the index; 404 when neither holds it live.
     */
    private void similar(ServerRequest req, ServerResponse res) {
        String body = body(req);
        String tenant = req.path().pathParameters().get("tenant");
        String documentId = req.path().pathParameters().get("documentId");
        SearchRequest request = parser.parseSimilar(tenant, body);
        long started = System.nanoTime();
        if (request.consistentWith() != null) {
            positions.await(request.consistentWith());
        }
        String space = request.space().name();
        VectorIndex index = indexes.forSpace(space);
        List<IndexChunk> chunks = hot.get(space, tenant, documentId)
                .map(document -> document.deleted() ? List.<IndexChunk>of() : document.chunks())
                .orElseGet(() -> index.content(tenant, documentId).map(ReplaceChunks::chunks).orElse(List.of()));
        if (chunks.isEmpty()) {
            throw new NotFoundException("document '" + documentId + "' of tenant '" + tenant
                    + "' has no vectors in space '" + space + "' (unknown, deleted or not embedded yet)");
        }
        VectorQuery query = new VectorQuery(tenant, mean(chunks), request.k() + 1, request.filter(), request.minScore());
        List<DocumentHit> hits = knn(index, query).stream()
                .filter(hit -> !hit.documentId().equals(documentId))
                .limit(request.k())
                .toList();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(SearchJson.response(request, hits, tookMs));
    }

    /** The request's JSON text, "" without a body; a body of another media type is refused before it is read. */
    private static String body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return "";
        }
        Bodies.requireMediaType(req.headers().contentType().map(type -> type.mediaType().text()).orElse(null),
                "application/json");
        return Bodies.readAll(req.content().inputStream(), MAX_REQUEST_BYTES);
    }

    /**
     * The mean of the chunk vectors: one direction for the whole document; the first chunk's vector
     * when the chunks cancel out (a zero vector has no cosine to anything).
     */
    private static float[] mean(List<IndexChunk> chunks) {
        float[] mean = new float[chunks.getFirst().vector().length];
        boolean zero = true;
        for (IndexChunk chunk : chunks) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += chunk.vector()[i] / chunks.size();
            }
        }
        for (float value : mean) {
            zero &= value == 0;
        }
        return zero ? chunks.getFirst().vector() : mean;
    }

    /** The index's k nearest, merged with the cache's recent changes of the tenant when it has any. */
    private List<DocumentHit> knn(VectorIndex index, VectorQuery query) {
        Collection<HotDocument> recent = hot.ofTenant(index.space().name(), query.tenant());
        if (recent.isEmpty()) {
            return index.search(query);
        }
        // the cached documents most likely served are checked against the index in the same round trip
        HotMerge.Scored cached = HotMerge.score(index.space(), query, recent);
        List<String> contenders = cached.contenders(query.k());
        int indexK = HotMerge.indexK(query.k(), recent);
        VectorIndex.SearchWithVersions answer;
        while (true) {
            answer = index.searchWithVersions(new VectorQuery(query.tenant(), query.vector(), indexK, query.filter(),
                    query.minScore()), contenders);
            int wider = HotMerge.widerIndexK(query.k(), indexK, recent);
            if (wider == indexK || HotMerge.enough(query.k(), indexK, answer.hits(), cached)) {
                break;
            }
            indexK = wider; // cached documents displaced too many of the index's hits: ask for more
        }
        HotMerge.IndexVersions versions = index::searchableVersions;
        return HotMerge.merge(query, answer.hits(), cached, versions.knowing(contenders, answer.versions()));
    }

    /** The index's hybrid answer, with the cache's recent changes of the tenant merged into both rankings. */
    private List<DocumentHit> hybridSearch(HybridSearch hybrid, VectorIndex index, HybridQuery query) {
        Collection<HotDocument> recent = hot.ofTenant(index.space().name(), query.tenant());
        if (recent.isEmpty()) {
            return hybrid.hybridSearch(query);
        }
        return HotMerge.mergeHybrid(index.space(), query, hybrid.hybridRankings(query), recent, index::searchableVersions);
    }

    /**
     * Refused before the text is embedded: an index that cannot rank by words makes it a bad request. Both adapters
     * rank by words; an embedded index written before its passages were indexed as terms does not until rebuilt.
     */
    private static HybridSearch hybrid(VectorIndex index) {
        if (index instanceof HybridSearch hybrid && hybrid.ranksByWords()) {
            return hybrid;
        }
        if (index instanceof HybridSearch) {
            throw new InvalidInputException("mode", "hybrid search needs the passages indexed as words; the index of space '"
                    + index.space().name() + "' was written before they were: rebuild it (a new index version) or "
                    + "replay its index projection");
        }
        throw new InvalidInputException("mode", "hybrid search needs an index that ranks by words; the index of space '"
                + index.space().name() + "' ranks by vector only");
    }
}
