package io.vectorsync.command.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** NDJSON lines as bytes, one at a time, with too-long and unterminated lines reported. */
class NdjsonLineReaderTest {

    @Test
    void readsLinesWithoutTheirTerminators() throws IOException {
        NdjsonLineReader reader = reader("{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":3}\n", 100);

        assertThat(text(reader.next())).isEqualTo("{\"a\":1}");
        assertThat(reader.lastWasUnterminated()).isFalse();
        assertThat(text(reader.next())).isEqualTo("{\"b\":2}\r"); // JSON reads the CR as whitespace
        assertThat(text(reader.next())).isEmpty();
        assertThat(text(reader.next())).isEqualTo("{\"c\":3}");
        assertThat(reader.next()).isNull();
        assertThat(reader.next()).isNull();
    }

    @Test
    void aLastLineWithoutALineFeedIsReadAndSaidToBeUnterminated() throws IOException {
        NdjsonLineReader reader = reader("{\"a\":1}\n{\"b\":2}", 100);

        assertThat(text(reader.next())).isEqualTo("{\"a\":1}");
        assertThat(reader.lastWasUnterminated()).isFalse();
        assertThat(text(reader.next())).isEqualTo("{\"b\":2}");
        assertThat(reader.lastWasUnterminated()).isTrue();
        assertThat(reader.next()).isNull();
    }

    @Test
    void aLineLongerThanTheLimitIsReportedAndSkippedNotBuffered() throws IOException {
        String longLine = "x".repeat(200_000);
        NdjsonLineReader reader = reader("12345\n123456\n" + longLine + "\nafter\n", 5);

        assertThat(text(reader.next())).isEqualTo("12345"); // exactly the limit is fine
        assertThat(reader.lastWasTooLong()).isFalse();
        assertThat(reader.next()).isEmpty();
        assertThat(reader.lastWasTooLong()).isTrue();
        assertThat(reader.next()).isEmpty();
        assertThat(reader.lastWasTooLong()).isTrue();
        assertThat(text(reader.next())).isEqualTo("after");
        assertThat(reader.lastWasTooLong()).isFalse();
    }

    @Test
    void linesSplitAcrossReadsAreJoined() throws IOException {
        // a stream that hands out three bytes per read, as a slow network would
        byte[] bytes = "{\"documentId\":\"a\"}\n{\"documentId\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };
        NdjsonLineReader reader = new NdjsonLineReader(trickle, 100);

        List<String> lines = new ArrayList<>();
        byte[] line;
        while ((line = reader.next()) != null) {
            lines.add(text(line));
        }
        assertThat(lines).containsExactly("{\"documentId\":\"a\"}", "{\"documentId\":\"b\"}");
    }

    @Test
    void linesOfWhitespaceAreBlank() {
        assertThat(NdjsonLineReader.blank(new byte[0])).isTrue();
        assertThat(NdjsonLineReader.blank(" \t\r".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(NdjsonLineReader.blank(" {} ".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(NdjsonLineReader.blank("\u00a0".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    private static NdjsonLineReader reader(String body, int limit) {
        return new NdjsonLineReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), limit);
    }

    private static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }
}
