package io.vectorsync.command.encoder;

import io.vectorsync.domain.InvalidInputException;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The configured embedding spaces, the default one, and the in-process models behind them. */
public final class EmbeddingSpaces {

    private final Map<String, EmbeddingSpace> spaces = new LinkedHashMap<>();
    private final Map<String, TextEmbeddingModel> models = new LinkedHashMap<>();
    private final Map<String, TextChunker> chunkers = new LinkedHashMap<>();
    private final String defaultSpace;

    /**
     * @param modelFactory creates a model by id; called once per distinct model, only for spaces
     *                     that embed in process
     */
    public EmbeddingSpaces(List<EmbeddingSpace> spaces, String defaultSpace,
                           Function<String, TextEmbeddingModel> modelFactory) {
        Map<String, TextEmbeddingModel> byId = new LinkedHashMap<>();
        for (EmbeddingSpace space : spaces) {
            this.spaces.put(space.name(), space);
            if (space.embedsInProcess()) {
                TextEmbeddingModel model = byId.computeIfAbsent(space.model(), modelFactory);
                if (model.dimension() != space.dimension()) {
                    throw new IllegalArgumentException("space '" + space.name() + "' declares dimension "
                            + space.dimension() + " but model " + model.id() + " produces " + model.dimension());
                }
                models.put(space.name(), model);
                chunkers.put(space.name(), new TextChunker(space.chunker().maxTokens(),
                        space.chunker().overlapTokens(), model.tokenizer()));
            }
        }
        if (!this.spaces.containsKey(defaultSpace)) {
            throw new IllegalArgumentException("the default space '" + defaultSpace + "' is not configured");
        }
        this.defaultSpace = defaultSpace;
    }

    public String defaultSpace() {
        return defaultSpace;
    }

    public Collection<EmbeddingSpace> all() {
        return spaces.values();
    }

    /** The space, or a 400-worthy error naming {@code field}. */
    public EmbeddingSpace require(String name, String field) {
        EmbeddingSpace space = spaces.get(name);
        if (space == null) {
            throw new InvalidInputException(field, "unknown embedding space '" + name + "'; configured: " + spaces.keySet());
        }
        return space;
    }

    public Optional<TextEmbeddingModel> model(String space) {
        return Optional.ofNullable(models.get(space));
    }

    Optional<TextChunker> chunker(String space) {
        return Optional.ofNullable(chunkers.get(space));
    }

    /** Embeds a query text with the space's model; client-only spaces cannot. */
    public float[] embedQuery(String space, String text) {
        EmbeddingSpace resolved = require(space, "space");
        TextEmbeddingModel model = models.get(resolved.name());
        if (model == null) {
            throw new InvalidInputException("text", "space '" + space
                    + "' has no in-process model (its vectors come from the content system); send a vector instead");
        }
        return model.embedAll(List.of(text)).getFirst();
    }
}
