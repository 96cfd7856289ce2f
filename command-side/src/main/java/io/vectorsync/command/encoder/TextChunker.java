package io.vectorsync.command.encoder;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import io.vectorsync.domain.ChunkerSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a body into passages that fit the model, with langchain4j's recursive splitter (paragraphs,
 * then lines, sentences, words) measured in the model's own tokens, and finds each passage's
 * character span in the body.
 */
public final class TextChunker {

    public static final String NAME = "recursive";

    private final DocumentSplitter splitter;
    private final ChunkerSettings settings;

    public TextChunker(int maxTokens, int overlapTokens, TokenCountEstimator tokenizer) {
        if (maxTokens < 16 || overlapTokens < 0 || overlapTokens >= maxTokens) {
            throw new IllegalArgumentException("chunking needs 16 <= maxTokens and 0 <= overlapTokens < maxTokens, got "
                    + maxTokens + "/" + overlapTokens);
        }
        this.splitter = DocumentSplitters.recursive(maxTokens, overlapTokens, tokenizer);
        this.settings = new ChunkerSettings(NAME, maxTokens, overlapTokens);
    }

    public ChunkerSettings settings() {
        return settings;
    }

    /** Passages in order; an empty or blank body gives none. */
    public List<Passage> split(String body) {
        if (body == null || body.isBlank()) {
            return List.of();
        }
        List<TextSegment> segments = splitter.split(Document.from(body));
        List<Passage> passages = new ArrayList<>(segments.size());
        int searchFrom = 0;
        for (TextSegment segment : segments) {
            String text = segment.text();
            int start = body.indexOf(text, searchFrom);
            if (start < 0) {
                start = body.indexOf(text);
            }
            int end = start < 0 ? -1 : start + text.length();
            if (start >= 0) {
                // without overlap the passages tile the body: the next one starts where this one ends, not at an
                // earlier copy of its text in repetitive text; overlapping ones start after this one's start
                searchFrom = settings.overlapTokens() == 0 ? end : start + 1;
            }
            passages.add(new Passage(text, start, end));
        }
        return passages;
    }

    /** A passage and its span in the body ({@code -1, -1} when the splitter rewrote whitespace). */
    public record Passage(String text, int start, int end) {
    }
}
