package io.vectorsync.app;

import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.lucene.HnswSettings;
import io.vectorsync.projections.index.lucene.LuceneVersions;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import io.vectorsync.projections.index.opensearch.OpenSearchVersions;
import io.vectorsync.projections.versions.IndexBackend;
import io.vectorsync.projections.versions.SpaceModels;
import io.vectorsync.projections.versions.VersionRegistry;
import io.vectorsync.store.EventStoreDatabase;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The index versions' parts the settings choose, built before the live indexes open (they open the registry's live
 * version): the registry, the backend of the configured index kind, the models each space uses, and the factory
 * of the live indexes.
 */
record Versioning(VersionRegistry registry, IndexBackend backend, SpaceModels models,
                  Function<SpaceSpec, ? extends VectorIndex> liveIndexes) {

    static Versioning of(Settings settings, EventStoreDatabase database) {
        VersionRegistry registry = new VersionRegistry(database);
        Map<String, String> configured = new LinkedHashMap<>();
        for (EmbeddingSpace space : settings.spaces()) {
            configured.put(space.name(), space.model());
        }
        SpaceModels models = new SpaceModels(configured, registry);
        if (settings.indexKind().equals("opensearch")) {
            // the live version is what the aliases point at
            return new Versioning(registry, new OpenSearchVersions(settings.opensearch()), models,
                    OpenSearchVectorIndex.factory(settings.opensearch()));
        }
        LuceneVersions lucene = new LuceneVersions(settings.dataDir(),
                new HnswSettings(settings.hnswM(), settings.hnswEfConstruction(), settings.hnswEfSearch()), registry);
        return new Versioning(registry, lucene, models, lucene.liveIndexes());
    }
}
