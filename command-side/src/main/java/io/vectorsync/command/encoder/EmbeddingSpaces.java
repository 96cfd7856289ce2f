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
    private final Map<String, TextEmbeddingModel> byId = new java.util.concurrent.ConcurrentHashMap<>();
    private final Function<String, TextEmbeddingModel> modelFactory;
    private volatile Function<String, String> liveModel = this::configuredModel;
    private volatile Function<String, Collection<String>> modelsInUse = space -> List.of(configuredModel(space));
    private final Map<String, TextChunker> chunkers = new LinkedHashMap<>();
    private final String defaultSpace;

    /**
     * @param modelFactory creates a model by id; called once per distinct model, only for spaces
     *                     that embed in process
     */
    public EmbeddingSpaces(List<EmbeddingSpace> spaces, String defaultSpace,
                           Function<String, TextEmbeddingModel> modelFactory) {
        this.modelFactory = modelFactory;
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

    /**
     * Which models a space uses beyond its configured one: {@code live} names the model its searches embed queries
     * with (the model of its live index version), {@code inUse} every model some version of it indexes, which the
     * encoder embeds new content with. Both answer the configured model until an index version says otherwise.
     */
    public void useModels(Function<String, String> live, Function<String, Collection<String>> inUse) {
        this.liveModel = live;
        this.modelsInUse = inUse;
    }

    /** The in-process model with this id, created once; it must produce the space's dimension. */
    public TextEmbeddingModel modelById(String id, EmbeddingSpace space) {
        TextEmbeddingModel model = byId.computeIfAbsent(id, modelFactory);
        if (model.dimension() != space.dimension()) {
            throw new IllegalArgumentException("space '" + space.name() + "' has dimension " + space.dimension()
                    + " but model " + model.id() + " produces " + model.dimension());
        }
        return model;
    }

    /** The models new content of an in-process space is embedded with; none for a client-vector space. */
    public List<TextEmbeddingModel> modelsInUse(String space) {
        EmbeddingSpace resolved = spaces.get(space);
        if (resolved == null || !resolved.embedsInProcess()) {
            return List.of();
        }
        return modelsInUse.apply(space).stream().distinct().map(id -> modelById(id, resolved)).toList();
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

    /** The model of the space's live index version (its configured one until a swap says otherwise). */
    public Optional<TextEmbeddingModel> model(String space) {
        EmbeddingSpace resolved = spaces.get(space);
        if (resolved == null || !resolved.embedsInProcess()) {
            return Optional.empty();
        }
        return Optional.of(modelById(liveModel.apply(space), resolved));
    }

    private String configuredModel(String space) {
        return spaces.get(space).model();
    }

    Optional<TextChunker> chunker(String space) {
        return Optional.ofNullable(chunkers.get(space));
    }

    /** Embeds a query text with the space's model; client-only spaces cannot. */
    public float[] embedQuery(String space, String text) {
        return embedQuery(space, null, text);
    }

    /**
     * {@code text} embedded with the model {@code modelId} (an index version's), or the live one when it is null:
     * a query must be embedded with the model of the vectors it is compared with.
     */
    public float[] embedQuery(String space, String modelId, String text) {
        EmbeddingSpace resolved = require(space, "space");
        TextEmbeddingModel model = !resolved.embedsInProcess() ? null
                : modelId == null ? model(resolved.name()).orElse(null) : modelById(modelId, resolved);
        if (model == null) {
            throw new InvalidInputException("text", "space '" + space
                    + "' has no in-process model (its vectors come from the content system); send a vector instead");
        }
        return model.embedAll(List.of(text)).getFirst();
    }
}
