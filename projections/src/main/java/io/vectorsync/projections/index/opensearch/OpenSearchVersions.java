package io.vectorsync.projections.index.opensearch;

import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.json.Json;
import io.vectorsync.projections.index.IndexUnavailableException;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexes;
import io.vectorsync.projections.versions.IndexBackend;
import io.vectorsync.projections.versions.IndexVersion;
import io.vectorsync.projections.versions.VersionSettings;
import jakarta.json.JsonObjectBuilder;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * OpenSearch's index versions: version N of a space is the physical index {@code <prefix>-<space>-vN}
 * ({@link IndexLayout}); searches read the read alias and the live processor writes the write alias, and a swap
 * moves both in one call. Which version is live is what the aliases say, so a replay that moves them is seen.
 */
public final class OpenSearchVersions implements IndexBackend {

    private final OpenSearchSettings configured;

    public OpenSearchVersions(OpenSearchSettings configured) {
        this.configured = configured;
    }

    @Override
    public int liveVersion(VectorIndex live) {
        return opensearch(live).indexVersion();
    }

    @Override
    public int nextFreeVersion(VectorIndex live) {
        OpenSearchVectorIndex index = opensearch(live);
        try {
            return index.layout().nextFreeVersion(index.openClient());
        } catch (IOException e) {
            throw Failures.onRead("listing the versions of space '" + index.space().name() + "'", e);
        }
    }

    /**
     * Opens the version by its own name, outside the aliases, creating it when it does not exist yet: with its
     * settings, but without replicas until {@link #promote} (a rebuild writes faster without them). It has
     * connections of its own, which closing it closes.
     */
    @Override
    public VectorIndex open(SpaceSpec space, IndexVersion version) {
        OpenSearchSettings settings = settingsOf(version.settings());
        Connection connection = Connection.open(settings);
        try {
            IndexLayout layout = IndexLayout.of(settings.indexPrefix(), space);
            String physical = layout.physical(version.version());
            if (layout.create(connection.client(), version.version(), Mappings.createIndexBody(space, settings, null, null))) {
                // no replicas while it is built; refreshes stay: with them off, the per-batch version lookups
                // made the build slower (bench/rebuild: 0.55 of a bare bulk load against 0.79 with 1 s)
                layout.putSettings(connection.client(), physical, Json.createObjectBuilder()
                        .add("number_of_replicas", 0).build());
            }
            return new OpenSearchVectorIndex(space, settings, connection, connection::close, layout, physical, false);
        } catch (IOException e) {
            connection.close();
            throw new IndexUnavailableException("cannot reach OpenSearch at " + settings.endpoints()
                    + " to open version " + version.version() + " of space '" + space.name() + "': "
                    + Failures.describe(e), e);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Gives the version its refresh interval and replicas as configured, refreshes it, and moves both aliases to it
     * in one atomic call; then opens the version that was live by its own name.
     */
    @Override
    public VectorIndex promote(VectorIndexes live, IndexVersion target, VectorIndex index, IndexVersion wasLive) {
        OpenSearchVectorIndex version = opensearch(index);
        OpenSearchClient client = version.openClient();
        String physical = version.physicalIndex();
        OpenSearchSettings settings = version.settings();
        try {
            JsonObjectBuilder restored = Json.createObjectBuilder().add("number_of_replicas", settings.replicas());
            if (settings.refreshInterval() == null) {
                restored.addNull("refresh_interval");
            } else {
                restored.add("refresh_interval", settings.refreshInterval().toMillis() + "ms");
            }
            version.layout().putSettings(client, physical, restored.build());
            client.indices().refresh(r -> r.index(physical));
            version.layout().moveAliases(client, physical);
        } catch (IOException e) {
            throw Failures.onRead("making " + physical + " the live index of space '" + version.space().name() + "'", e);
        }
        version.close();
        return open(live.forSpace(target.space()).space(), wasLive);
    }

    @Override
    public void drop(IndexVersion version, VectorIndex index) {
        OpenSearchVectorIndex opensearch = opensearch(index);
        try {
            opensearch.layout().delete(opensearch.openClient(), opensearch.physicalIndex());
        } catch (IOException e) {
            throw Failures.onRead("deleting " + opensearch.physicalIndex(), e);
        } finally {
            opensearch.close();
        }
    }

    @Override
    public Location location(SpaceSpec space, int version) {
        return new Location("index", IndexLayout.of(configured.indexPrefix(), space).physical(version));
    }

    @Override
    public Optional<Aliases> aliases(VectorIndex live) {
        OpenSearchVectorIndex index = opensearch(live);
        return Optional.of(new Aliases(index.layout().readAlias(), index.layout().writeAlias(),
                index.layout().physical(index.indexVersion())));
    }

    @Override
    public void validate(VersionSettings settings) {
        String quantization = settings.quantization();
        if (quantization != null && !quantization.equals("none") && !quantization.equals("sq")) {
            throw new InvalidInputException("quantization", "must be 'none' or 'sq' on OpenSearch");
        }
    }

    /** The configured settings with what the version's own settings change. */
    private OpenSearchSettings settingsOf(VersionSettings version) {
        OpenSearchSettings.KnnMethod knn = configured.knn();
        knn = new OpenSearchSettings.KnnMethod(knn.engine(),
                Optional.ofNullable(version.hnswM()).orElse(knn.m()),
                Optional.ofNullable(version.hnswEfConstruction()).orElse(knn.efConstruction()),
                Optional.ofNullable(version.efSearch()).orElse(knn.efSearch()),
                version.quantization() == null ? knn.quantization()
                        : OpenSearchSettings.Quantization.valueOf(version.quantization().toUpperCase(Locale.ROOT)));
        return configured.withKnn(knn).withShards(Optional.ofNullable(version.shards()).orElse(configured.shards()),
                Optional.ofNullable(version.replicas()).orElse(configured.replicas()));
    }

    private static OpenSearchVectorIndex opensearch(VectorIndex index) {
        if (index instanceof OpenSearchVectorIndex opensearch) {
            return opensearch;
        }
        throw new IllegalArgumentException("not an OpenSearch index: " + index);
    }
}
