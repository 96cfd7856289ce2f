package io.vectorsync.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL the test command starts ({@code bin/postgres}, its URL in {@code VECTORSYNC_TEST_POSTGRES_URL}).
 * Without it the tests fail, saying how to provide it: they are never skipped.
 */
public final class TestPostgres {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestPostgres() {
    }

    /** The server's URL, e.g. {@code jdbc:postgresql://127.0.0.1:5433/vectorsync?user=…&password=…}. */
    public static String url() {
        String url = System.getenv("VECTORSYNC_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("VECTORSYNC_TEST_POSTGRES_URL is not set: run the tests with bin/test, "
                    + "or export VECTORSYNC_TEST_POSTGRES_URL=$(bin/postgres start test)");
        }
        return url;
    }

    /** A new, empty database on that server: its settings (the URL names it, with the same user and password). */
    public static StoreSettings freshDatabase() {
        String name = "vs_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet() + "_"
                + Long.toString(System.nanoTime() & 0xffffff, 36);
        try (Connection connection = DriverManager.getConnection(url());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + url(), e);
        }
        return new StoreSettings(inDatabase(url(), name), null, null, 8);
    }

    /** The same URL naming another database. */
    static String inDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String params = query < 0 ? "" : url.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }
}
