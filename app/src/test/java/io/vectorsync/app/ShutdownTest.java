package io.vectorsync.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM in the middle of ingest on the embedded store: the app stops by itself within a bound, in order (the HTTP
 * server, then what was queued commits, then the processors store their tokens, then the indexes, then the store),
 * so neither its log nor H2's trace file holds an error — in particular no "Database is already closed" from a
 * processor still at work — and the restart finds every acknowledged write once, with the index in agreement.
 */
class ShutdownTest {

    @Test
    void sigtermDuringIngestStopsInOrderAndLeavesNoErrorBehind(@TempDir Path dir) throws Exception {
        int port = AppProcess.freePort();
        Path dataDir = dir.resolve("data");
        Path firstLog = dir.resolve("first.log");
        Process first = AppProcess.start(null, dataDir, port, firstLog);
        Set<String> acknowledged;
        boolean stopped;
        try {
            AppProcess.awaitUp(port);
            try (AppProcess.Writers writers = new AppProcess.Writers(port, "stop", 4)) {
                acknowledged = writers.acknowledged;
                writers.awaitAcknowledged(300);
                first.destroy(); // SIGTERM while they write: the shutdown hook runs
                stopped = first.waitFor(60, TimeUnit.SECONDS);
            }
        } finally {
            first.destroyForcibly();
        }
        assertThat(stopped).as("stopped within a minute of SIGTERM").isTrue();
        String log = Files.readString(firstLog);
        assertThat(log).as("the log of the stopped app").contains("Vectorsync stopped")
                .doesNotContain("SEVERE", "already closed", "Exception");
        Path trace = dataDir.resolve("events").resolve("vectorsync.trace.db");
        if (Files.exists(trace)) {
            assertThat(Files.readString(trace)).as("H2's trace file").doesNotContain("Exception", "closed");
        }

        AppProcess.restartAndCheck(null, dataDir, port, dir.resolve("second.log"), "stop", acknowledged);
    }
}
