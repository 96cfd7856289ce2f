package io.vectorsync.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    @Test
    void aBarIsRedrawnInPlaceAndEndsWithItsTotalAndRate() {
        StringWriter err = new StringWriter();
        Progress progress = new Progress.Bar(new PrintWriter(err), 100, false);
        try (Progress.Task task = progress.start("DomainEventEntry", 2000, "rows")) {
            task.advance(1000);
            task.advance(1000);
        }
        String[] frames = err.toString().split("\r");
        assertThat(frames[1]).startsWith("  DomainEventEntry   [>").contains("   0%  0/2,000 rows").endsWith("\u001b[K");
        String last = frames[frames.length - 1];
        assertThat(last).contains("] 100%  2,000/2,000 rows  in 0s, ").contains(" rows/s\u001b[K").endsWith(System.lineSeparator());
        // the bar keeps its width while the numbers grow
        assertThat(java.util.Arrays.stream(frames).skip(1).map(f -> f.indexOf(']') - f.indexOf('[')).distinct()).hasSize(1);
    }

    @Test
    void linesComeEverySoOftenAndAtTheEnd() throws Exception {
        StringWriter err = new StringWriter();
        Progress progress = new Progress.Lines(new PrintWriter(err), Duration.ofMillis(50));
        try (Progress.Task task = progress.start("verifying", 10, "rows")) {
            task.advance(3);
            Thread.sleep(60);
            task.advance(2);
        }
        assertThat(err.toString().lines().toList()).hasSize(2).satisfies(lines -> {
            assertThat(lines.get(0)).startsWith("  verifying: 5/10 rows (50%), ").contains(" rows/s");
            assertThat(lines.get(1)).startsWith("  verifying: 5 rows in ").doesNotContain("\u001b");
        });
    }

    @Test
    void aLinePrintedWhileABarShowsClearsItAndTheBarIsDrawnAgainBelow() {
        StringWriter err = new StringWriter();
        Progress progress = new Progress.Bar(new PrintWriter(err), 100, false);
        try (Progress.Task task = progress.start("ingest", 4, "docs")) {
            task.advance(1);
            task.println(new PrintWriter(err), "vectorsync: a.md: Bad request: too long");
            task.advance(3);
        }
        String text = err.toString();
        int message = text.indexOf("\r\u001b[Kvectorsync: a.md: Bad request: too long" + System.lineSeparator());
        assertThat(message).isPositive();
        assertThat(text.substring(message)).contains("\r  ingest ").endsWith(System.lineSeparator());
    }
}
