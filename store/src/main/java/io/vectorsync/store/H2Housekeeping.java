package io.vectorsync.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the embedded store's file close to its live data, which {@code WRITE_DELAY=0} otherwise stops H2 from doing.
 * <p>
 * Every commit of the MVStore writes a new chunk holding the pages it changed; the pages they replace stay behind in
 * older chunks, partly alive. H2's background writer rewrites sparse chunks and moves chunks down so the file can
 * shrink, but it only runs with a write delay, and a write delay acknowledges commits before they reach the file. So
 * the store runs with none, and without the writer its file grew to 30 times its live data (issue 19). This task
 * takes over, every 200 ms:
 * <ol>
 *   <li>it forces the file to disk (H2 writes each commit to the file but never forces it), so a power loss loses at
 *   most the last step's commits, and no chunk freed below is overwritten before what replaced it is on disk;</li>
 *   <li>it takes H2's own background step ({@code FileStore.writeInBackground}, package-private, hence reflection):
 *   H2's chunk rewriting, dropping and moving, with its own thresholds, under the store lock only if that is free.
 *   (H2's full compaction, {@code MVStore.compactFile}, is no substitute: run beside writes it fails an assertion
 *   in {@code moveChunkInside} and closes the store — seen in a test.)</li>
 * </ol>
 * Chunks are kept {@value #RETENTION_MILLIS} ms (H2's default is 45 s, chosen for files nobody forces; here every
 * chunk older than one step is on disk). Closing the store does not compact ({@code MAX_COMPACT_TIME=0}: H2's
 * 200 ms at close left the file larger than it found it); this task goes on after the next start.
 */
final class H2Housekeeping implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(H2Housekeeping.class.getName());
    private static final Method STEP = step();
    /** How long a chunk stays untouched after it was written, before the step may rewrite or reuse it. */
    static final int RETENTION_MILLIS = 1_000;

    private final DataSource dataSource;
    private final ScheduledExecutorService timer;
    private MVStore store;
    private boolean failed;

    H2Housekeeping(DataSource dataSource, Duration every) {
        this.dataSource = dataSource;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("h2-housekeeping")
                .factory());
        timer.scheduleWithFixedDelay(this::run, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Method step() {
        try {
            Method step = FileStore.class.getDeclaredMethod("writeInBackground");
            step.setAccessible(true);
            return step;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("this H2 has no FileStore.writeInBackground: the embedded store's "
                    + "compaction needs H2 2.3", e);
        }
    }

    /** One housekeeping step. */
    void run() {
        if (failed) {
            return;
        }
        try {
            MVStore mvStore = store();
            if (mvStore != null && !mvStore.isClosed() && mvStore.getFileStore() != null) {
                // first to disk: nothing this step frees can be overwritten before its replacement is on disk
                mvStore.sync();
                STEP.invoke(mvStore.getFileStore());
            }
        } catch (InvocationTargetException | IllegalAccessException | SQLException | RuntimeException e) {
            failed = true; // logged once: the store still works, it only stops compacting
            LOG.log(Level.WARNING, "The embedded store's housekeeping failed and stops; the file may grow until "
                    + "the next restart", e instanceof InvocationTargetException i ? i.getCause() : e);
        }
    }

    /** The live part of the file, by the MVStore's fill rates (of the file by chunks, of the chunks by live pages). */
    long liveBytes() throws SQLException {
        FileStore<?> file = store().getFileStore();
        return file.size() * file.getFillRate() / 100 * file.getChunksFillRate() / 100;
    }

    /** The database's MVStore, found through a connection once (embedded H2 only). */
    synchronized MVStore store() throws SQLException {
        if (store == null) {
            try (Connection connection = dataSource.getConnection()) {
                SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
                store = session.getDatabase().getStore().getMvStore();
                store.setRetentionTime(RETENTION_MILLIS);
            }
        }
        return store;
    }

    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
