package io.vectorsync.projections.versions;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which embedding model each space uses, from the registry of index versions: the live version's model (queries
 * are embedded with it), and every model some version indexes (new content is embedded with each). A version's
 * model is the one its settings name, else the space's configured one. Read before the processors start, and
 * again whenever the registry changes.
 */
public final class SpaceModels {

    private final Map<String, String> configured;
    private final VersionRegistry registry;
    private volatile Map<String, String> live = Map.of();
    private volatile Map<String, Set<String>> inUse = Map.of();

    /** @param configured each configured space's model, by space name */
    public SpaceModels(Map<String, String> configured, VersionRegistry registry) {
        this.configured = Map.copyOf(configured);
        this.registry = registry;
        refresh();
    }

    /** Reads the registry again: after a rebuild, a swap or a drop. */
    public void refresh() {
        Map<String, String> liveNow = new HashMap<>(configured);
        Map<String, Set<String>> inUseNow = new HashMap<>();
        for (IndexVersion version : registry.all()) {
            if (!configured.containsKey(version.space()) || version.role() == Role.POINT_IN_TIME) {
                continue;
            }
            String model = modelOf(version);
            if (version.role() == Role.LIVE) {
                liveNow.put(version.space(), model);
            }
            inUseNow.computeIfAbsent(version.space(), s -> new LinkedHashSet<>()).add(model);
        }
        for (Map.Entry<String, String> space : liveNow.entrySet()) {
            inUseNow.computeIfAbsent(space.getKey(), s -> new LinkedHashSet<>()).add(space.getValue());
        }
        live = Map.copyOf(liveNow);
        inUse = Map.copyOf(inUseNow);
    }

    /** The model a version indexes: its settings' {@code model}, else the space's configured one. */
    public String modelOf(IndexVersion version) {
        String model = version.settings().model();
        return model == null ? configured.get(version.space()) : model;
    }

    public String live(String space) {
        return live.getOrDefault(space, configured.get(space));
    }

    public Collection<String> inUse(String space) {
        Set<String> models = inUse.get(space);
        if (models != null) {
            return models;
        }
        String model = live(space);
        return model == null ? Set.of() : Set.of(model);
    }

    /**
     * The model the live index of a space takes, or null for any: only while a space uses more than one model, or
     * has moved off its configured one, do embeddings of other models have to be kept out.
     */
    public String liveFilter(String space) {
        if (!configured.containsKey(space)) {
            return null; // not a space of this node: the projection says so itself
        }
        return inUse(space).size() > 1 || !live(space).equals(configured.get(space)) ? live(space) : null;
    }
}
