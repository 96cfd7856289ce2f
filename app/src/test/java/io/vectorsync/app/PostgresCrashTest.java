package io.vectorsync.app;

import io.vectorsync.store.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * kill -9 of the app in the middle of ingest on PostgreSQL: the app runs as its own JVM (as {@code bin/run} starts
 * it, configured by environment), four writers send documents, and the process is killed without warning. Started
 * again on the same store and data directory, every acknowledged write is there exactly once, and the index holds
 * what the log says (drift 0).
 */
class PostgresCrashTest {

    @Test
    void killedMidIngestTheAppLosesNoAcknowledgedWriteAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        String store = TestPostgres.freshDatabase().url();
        int port = AppProcess.freePort();
        Path dataDir = dir.resolve("data");
        Process first = AppProcess.start(store, dataDir, port, dir.resolve("first.log"));
        Set<String> acknowledged;
        try {
            AppProcess.awaitUp(port);
            try (AppProcess.Writers writers = new AppProcess.Writers(port, "crash", 4)) {
                acknowledged = writers.acknowledged;
                writers.awaitAcknowledged(300);
                first.destroyForcibly(); // SIGKILL while they write: no shutdown hook, no flush
                first.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            first.destroyForcibly();
        }
        AppProcess.restartAndCheck(store, dataDir, port, dir.resolve("second.log"), "crash", acknowledged);
    }
}
