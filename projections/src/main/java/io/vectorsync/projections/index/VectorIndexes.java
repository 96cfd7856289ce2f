package io.vectorsync.projections.index;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The open live index of every configured embedding space, by space name. A swap replaces a space's live
 * index ({@link #replace}); readers ask {@link #forSpace} each time, so they follow it. Closing it closes
 * them all.
 */
public final class VectorIndexes implements AutoCloseable {

    private final Map<String, VectorIndex> byName;

    private VectorIndexes(Map<String, VectorIndex> byName) {
        this.byName = byName;
    }

    /**
     * Makes {@code index} the live index of its space and returns the one it replaces, which the caller
     * now owns (this no longer closes it).
     */
    public VectorIndex replace(VectorIndex index) {
        String name = index.space().name();
        if (!byName.containsKey(name)) {
            throw new IllegalArgumentException("unknown embedding space '" + name + "'; configured: " + byName.keySet());
        }
        return byName.put(name, index);
    }

    /** Whether {@code space} is one of these indexes' spaces. */
    public boolean has(String space) {
        return byName.containsKey(space);
    }

    /**
     * Opens one index per space with {@code factory} (e.g. {@code LuceneVectorIndex.factory(...)}).
     * When one fails to open, those already open are closed again.
     */
    public static VectorIndexes open(List<SpaceSpec> spaces, Function<SpaceSpec, ? extends VectorIndex> factory) {
        List<VectorIndex> opened = new ArrayList<>();
        try {
            for (SpaceSpec space : spaces) {
                opened.add(factory.apply(space));
            }
            return of(opened);
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /** Wraps indexes that are already open; their space names must be distinct. */
    public static VectorIndexes of(List<? extends VectorIndex> indexes) {
        Map<String, VectorIndex> byName = new LinkedHashMap<>();
        for (VectorIndex index : indexes) {
            if (byName.putIfAbsent(index.space().name(), index) != null) {
                throw new IllegalArgumentException("space '" + index.space().name() + "' is configured twice");
            }
        }
        return new VectorIndexes(Collections.synchronizedMap(byName));
    }

    /** Throws {@link IllegalArgumentException} for a space that is not configured. */
    public VectorIndex forSpace(String name) {
        VectorIndex index = byName.get(name);
        if (index == null) {
            throw new IllegalArgumentException("unknown embedding space '" + name + "'; configured: "
                    + byName.keySet());
        }
        return index;
    }

    /** Every index, in configuration order. */
    public Collection<VectorIndex> all() {
        synchronized (byName) {
            return List.copyOf(byName.values());
        }
    }

    @Override
    public void close() {
        RuntimeException failure = closeAll(all(), null);
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes each index even when another fails; returns the first failure with the rest suppressed. */
    private static RuntimeException closeAll(Collection<VectorIndex> indexes, RuntimeException failure) {
        for (VectorIndex index : indexes) {
            try {
                index.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }
}
