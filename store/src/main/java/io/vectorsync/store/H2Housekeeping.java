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
 * Runs H2's own background housekeeping on the embedded store, which {@code WRITE_DELAY=0} switches off.
 * <p>
 * Every commit of the MVStore writes a new chunk holding the pages it changed; the pages they replace stay in older
 * chunks, which are left partly alive. H2's background writer rewrites such chunks and moves chunks to the front of
 * the file so it can shrink ({@code autoCompactFillRate}, default 90 %). That writer only runs with a write delay, and
 * a write delay would acknowledge commits before they reach the file; so the store runs with none, and without the
 * writer the file grew to 30 times its live data (1.66 GB for 52 MB, issue 19). This task calls the writer's step
 * ({@code FileStore.writeInBackground}, package-private in H2, hence reflection) on a timer instead: commits stay
 * synchronous, and the file is compacted as H2 would. Each step takes the store's lock only if it is free and writes a
 * bounded amount, so it never holds a write up for long.
 */
final class H2Housekeeping implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(H2Housekeeping.class.getName());
    private static final Method STEP = step();

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

    /** One housekeeping step, as H2's background writer takes it. */
    void run() {
        if (failed) {
            return;
        }
        try {
            MVStore mvStore = store();
            if (mvStore != null && !mvStore.isClosed() && mvStore.getFileStore() != null) {
                STEP.invoke(mvStore.getFileStore());
            }
        } catch (InvocationTargetException | IllegalAccessException | SQLException | RuntimeException e) {
            failed = true; // logged once: the store still works, it only stops compacting
            LOG.log(Level.WARNING, "The embedded store's housekeeping failed and stops; the file may grow until "
                    + "the next restart", e instanceof InvocationTargetException i ? i.getCause() : e);
        }
    }

    /** The database's MVStore, found through a connection once (embedded H2 only). */
    MVStore store() throws SQLException {
        if (store == null) {
            try (Connection connection = dataSource.getConnection()) {
                SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
                store = session.getDatabase().getStore().getMvStore();
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
