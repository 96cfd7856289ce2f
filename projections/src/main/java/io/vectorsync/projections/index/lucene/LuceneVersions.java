package io.vectorsync.projections.index.lucene;

import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexes;
import io.vectorsync.projections.versions.IndexBackend;
import io.vectorsync.projections.versions.IndexVersion;
import io.vectorsync.projections.versions.VersionRegistry;
import io.vectorsync.projections.versions.VersionSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The embedded index's versions: version 1 of a space in {@code <data>/index/<space>}, version N in
 * {@code <data>/index/<space>.vN}, each with the HNSW settings it was built with. The registry says which is live;
 * a swap hands the open index object over in process.
 */
public final class LuceneVersions implements IndexBackend {

    private final Path dataDir;
    private final HnswSettings configured;
    private final VersionRegistry registry;

    public LuceneVersions(Path dataDir, HnswSettings configured, VersionRegistry registry) {
        this.dataDir = dataDir;
        this.configured = configured;
        this.registry = registry;
    }

    /** Opens each space's live version, for {@code VectorIndexes.open}. */
    public Function<SpaceSpec, VectorIndex> liveIndexes() {
        return space -> {
            int version = registry.liveVersion(space.name());
            if (version == 1) { // as configured, in index/<space>
                return LuceneVectorIndex.factory(dataDir.resolve("index"), configured).apply(space);
            }
            return LuceneVectorIndex.open(space, directory(space.name(), version), hnsw(space.name(), version));
        };
    }

    @Override
    public int liveVersion(VectorIndex live) {
        return registry.liveVersion(live.space().name());
    }

    @Override
    public int nextFreeVersion(VectorIndex live) {
        return 1; // the registry lists every directory there is
    }

    @Override
    public VectorIndex open(SpaceSpec space, IndexVersion version) {
        return LuceneVectorIndex.open(space, directory(version.space(), version.version()),
                hnsw(version.space(), version.version()));
    }

    @Override
    public VectorIndex promote(VectorIndexes live, IndexVersion target, VectorIndex index, IndexVersion wasLive) {
        return live.replace(index);
    }

    @Override
    public void drop(IndexVersion version, VectorIndex index) {
        index.close();
        Path directory = directory(version.space(), version.version());
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    @Override
    public Location location(SpaceSpec space, int version) {
        return new Location("directory", directory(space.name(), version).toString());
    }

    @Override
    public Optional<Aliases> aliases(VectorIndex live) {
        return Optional.empty();
    }

    @Override
    public void validate(VersionSettings settings) {
        if (settings.quantization() != null) {
            try {
                HnswSettings.Quantization.of(settings.quantization());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("quantization", "must be 'none', 'int7', 'int4' or 'bbq' on the "
                        + "embedded index");
            }
        }
        if (settings.shards() != null || settings.replicas() != null) {
            throw new InvalidInputException("body", "shards and replicas are settings of an OpenSearch index; this "
                    + "node's index kind is lucene");
        }
    }

    /** Where a version lives: {@code index/<space>} for version 1, {@code index/<space>.v<N>} after. */
    private Path directory(String space, int version) {
        return dataDir.resolve("index").resolve(version == 1 ? space : space + ".v" + version);
    }

    /** The HNSW settings a version was built with (the configured ones for version 1). */
    private HnswSettings hnsw(String space, int version) {
        return registry.find(space, version).map(IndexVersion::settings)
                .map(s -> new HnswSettings(
                        Optional.ofNullable(s.hnswM()).orElse(configured.m()),
                        Optional.ofNullable(s.hnswEfConstruction()).orElse(configured.beamWidth()),
                        Optional.ofNullable(s.efSearch()).orElse(configured.efSearch()),
                        s.quantization() == null ? HnswSettings.Quantization.NONE
                                : HnswSettings.Quantization.of(s.quantization())))
                .orElse(configured);
    }
}
