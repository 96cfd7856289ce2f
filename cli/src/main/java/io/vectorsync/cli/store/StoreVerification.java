package io.vectorsync.cli.store;

import io.vectorsync.cli.Failure;
import io.vectorsync.cli.Progress;
import io.vectorsync.cli.store.StoreMigration.Check;
import io.vectorsync.cli.store.StoreMigration.Digest;
import io.vectorsync.cli.store.StoreMigration.Table;
import io.vectorsync.store.Dialect;
import io.vectorsync.store.EventStoreDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The verification of a {@link StoreMigration}: both stores read back, the two at once, each table's rows counted
 * and summed into an order-independent checksum ({@link RowDigest}).
 */
final class StoreVerification {

    private final EventStoreDatabase source;
    private final EventStoreDatabase target;
    private final int batchRows;

    StoreVerification(EventStoreDatabase source, EventStoreDatabase target, int batchRows) {
        this.source = source;
        this.target = target;
        this.batchRows = batchRows;
    }

    /** Reads every table of both stores back (the two at once) and compares row counts and checksums. */
    List<Check> verify(List<Table> tables, Progress.Task task) {
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> Thread.ofPlatform().daemon()
                .name("verify").unstarted(r));
        try {
            List<Check> checks = new ArrayList<>();
            for (Table table : tables) {
                CompletableFuture<Digest> fromSource = CompletableFuture.supplyAsync(() -> digest(source, table, task), threads);
                CompletableFuture<Digest> fromTarget = CompletableFuture.supplyAsync(() -> digest(target, table, task), threads);
                try {
                    checks.add(new Check(table, fromSource.join(), fromTarget.join()));
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
            return checks;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Counts and checksums one table of one store, streaming its rows. */
    Digest digest(EventStoreDatabase database, Table table, Progress.Task task) {
        RowDigest digest = new RowDigest();
        try (Connection connection = database.dataSource().getConnection()) {
            Rows.streaming(connection, database);
            try (Statement query = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                query.setFetchSize(batchRows);
                try (ResultSet rs = query.executeQuery("SELECT " + Rows.columnList(table) + " FROM " + table.sqlName())) {
                    Object[] row = new Object[table.columns().size()];
                    long pending = 0;
                    while (rs.next()) {
                        for (int i = 0; i < row.length; i++) {
                            row[i] = Rows.read(rs, i + 1, table.columns().get(i).kind());
                        }
                        digest.add(row);
                        if (++pending == batchRows) {
                            task.advance(pending);
                            pending = 0;
                        }
                    }
                    task.advance(pending);
                }
            } finally {
                if (database.dialect() == Dialect.POSTGRESQL) {
                    connection.rollback();
                }
            }
        } catch (SQLException e) {
            throw new Failure("cannot read " + table.name() + " back from " + database.description() + ": "
                    + e.getMessage(), e);
        }
        return new Digest(digest.rows(), digest.hex());
    }
}
