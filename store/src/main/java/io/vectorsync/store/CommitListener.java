package io.vectorsync.store;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hears every process's commits of events on PostgreSQL ({@code LISTEN} on the channel {@link SerialAppends}
 * notifies) on a connection of its own, and runs the callbacks, so processors here wake within milliseconds of
 * a write on another node instead of at their next poll. A lost connection is opened again with a growing pause;
 * meanwhile the processors' own polling still finds the events.
 */
final class CommitListener implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CommitListener.class.getName());
    private static final int WAIT_MS = 500;

    private final String url;
    private final Properties credentials;
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    CommitListener(String url, String user, String password) {
        this.url = url;
        this.credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        this.thread = Thread.ofPlatform().daemon().name("store-commit-listener").start(this::listen);
    }

    void onCommit(Runnable callback) {
        callbacks.add(callback);
    }

    private void listen() {
        Duration pause = Duration.ofMillis(100);
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, credentials)) {
                connection = c;
                try (Statement statement = c.createStatement()) {
                    statement.execute("LISTEN " + SerialAppends.CHANNEL);
                }
                pause = Duration.ofMillis(100);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MS);
                    if (notifications != null && notifications.length > 0) {
                        callbacks.forEach(Runnable::run);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(Level.FINE, "Commit notifications interrupted; listening again in " + pause.toMillis() + " ms", e);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : pause.multipliedBy(2);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing only to end the wait
            }
        }
        try {
            thread.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
