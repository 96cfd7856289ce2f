package io.vectorsync.command.encoder;

import io.vectorsync.domain.ChunkerSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.vectorsync.command.encoder.FakeEmbeddingModel.WORDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Passages that fit the model, measured in its tokens, each with its span in the body. */
class TextChunkerTest {

    @Test
    void settingsOutsideTheRulesAreRefused() {
        assertThatThrownBy(() -> new TextChunker(15, 0, WORDS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TextChunker(16, 16, WORDS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TextChunker(16, -1, WORDS)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TextChunker(16, 15, WORDS).settings()).isEqualTo(new ChunkerSettings("recursive", 16, 15));
    }

    @Test
    void aBlankBodyHasNoPassages() {
        TextChunker chunker = new TextChunker(16, 0, WORDS);
        assertThat(chunker.split(null)).isEmpty();
        assertThat(chunker.split("")).isEmpty();
        assertThat(chunker.split(" \n\t ")).isEmpty();
    }

    @Test
    void aShortBodyIsOnePassageAtItsPlace() {
        List<TextChunker.Passage> passages = new TextChunker(16, 0, WORDS).split("  How to reset a password.  ");

        assertThat(passages).containsExactly(new TextChunker.Passage("How to reset a password.", 2, 26));
    }

    @Test
    void aLongBodyIsCutIntoPassagesThatFitEachAtItsSpanInOrder() {
        String body = IntStream.range(0, 12)
                .mapToObj(p -> IntStream.range(0, 3).mapToObj(s -> "Paragraph " + p + " sentence " + s
                        + " says a few more words here.").collect(Collectors.joining(" ")))
                .collect(Collectors.joining("\n\n"));
        int maxTokens = 24;

        List<TextChunker.Passage> passages = new TextChunker(maxTokens, 0, WORDS).split(body);

        assertThat(passages).hasSizeGreaterThan(5);
        int previousEnd = 0;
        for (TextChunker.Passage passage : passages) {
            assertThat(WORDS.estimateTokenCountInText(passage.text())).as(passage.text()).isLessThanOrEqualTo(maxTokens);
            assertThat(passage.start()).as(passage.text()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(body.substring(passage.start(), passage.end())).isEqualTo(passage.text());
            previousEnd = passage.end();
        }
        // nothing is lost: every word of the body is in a passage
        String joined = passages.stream().map(TextChunker.Passage::text).collect(Collectors.joining(" "));
        assertThat(joined.split("\\s+")).containsExactly(body.split("\\s+"));
    }

    @Test
    void repeatedParagraphsEachGetTheirOwnSpan() {
        String paragraph = "one two three four five six seven eight nine ten eleven twelve.";
        String body = paragraph + "\n\n" + paragraph + "\n\n" + paragraph;

        List<TextChunker.Passage> passages = new TextChunker(16, 0, WORDS).split(body);

        int length = paragraph.length();
        assertThat(passages).containsExactly(
                new TextChunker.Passage(paragraph, 0, length),
                new TextChunker.Passage(paragraph, length + 2, 2 * length + 2),
                new TextChunker.Passage(paragraph, 2 * length + 4, 3 * length + 4));
    }

    @Test
    void repetitiveTextWithoutOverlapIsTiledNotFoundAtAnEarlierCopy() {
        String body = "w ".repeat(40).trim();

        List<TextChunker.Passage> passages = new TextChunker(16, 0, WORDS).split(body);

        assertThat(passages).extracting(TextChunker.Passage::start).containsExactly(0, 30, 60);
        assertThat(passages).extracting(TextChunker.Passage::end).containsExactly(29, 59, 79);
    }

    @Test
    void overlappingPassagesStartAfterTheOneBefore() {
        String body = "One two three four five. Six seven eight nine ten. Eleven twelve thirteen fourteen fifteen. "
                + "Sixteen seventeen eighteen nineteen twenty. Twenty-one twenty-two twenty-three twenty-four.";

        List<TextChunker.Passage> passages = new TextChunker(16, 6, WORDS).split(body);

        assertThat(passages).hasSizeGreaterThan(1);
        for (int i = 0; i < passages.size(); i++) {
            TextChunker.Passage passage = passages.get(i);
            assertThat(body.substring(passage.start(), passage.end())).isEqualTo(passage.text());
            if (i > 0) {
                TextChunker.Passage before = passages.get(i - 1);
                assertThat(passage.start()).isGreaterThan(before.start());
                assertThat(passage.start()).as("overlaps the passage before").isLessThan(before.end());
            }
        }
        assertThat(passages.getLast().end()).isEqualTo(body.length());
    }

    @Test
    void aPassageWhoseWhitespaceTheSplitterRewroteHasNoSpan() {
        // the splitter joins paragraphs with one blank line; the body had three
        List<TextChunker.Passage> passages = new TextChunker(16, 0, WORDS).split("alpha beta.\n\n\n\ngamma delta.");

        assertThat(passages).containsExactly(new TextChunker.Passage("alpha beta.\n\ngamma delta.", -1, -1));
    }
}
