package io.vectorsync.cli.store;

import io.vectorsync.cli.Errors;
import io.vectorsync.cli.Failure;
import io.vectorsync.cli.Progress;
import io.vectorsync.cli.ProgressOption;
import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.StoreSettings;
import io.vectorsync.store.keys.KeyFile;
import io.vectorsync.store.keys.KeyTable;
import io.vectorsync.store.keys.WrappedKey;
import org.h2.api.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code vectorsync store migrate --from DATA_DIR --to JDBC_URL}: copies the embedded H2 store of a data directory
 * into an empty PostgreSQL store (see {@link StoreMigration}), then verifies the copy.
 */
@Command(name = "migrate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Copies the embedded store of a data directory into an empty PostgreSQL store: events with their "
                        + "global indexes, snapshots, processor tokens (processors resume where they were, no index "
                        + "is rebuilt), dead letters, the index-version registry, API keys and the audit log.",
                "",
                "The target's schema is created first; a target holding any row is refused and nothing is written. "
                        + "The source must not be in use: stop Vectorsync first. At the end both stores are read back "
                        + "and every table's row count and SHA-256 checksum compared.",
                ""},
        footer = {"", "Then start Vectorsync with vectorsync.store.url (VECTORSYNC_STORE_URL) set to the target and "
                + "the same data directory (its indexes stay).",
                "Exit codes: 0 copied and verified, 1 failed or the copy differs, 2 wrong usage."})
final class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DATA_DIR",
            description = "The data directory of the embedded store (the one holding events/ and index/).")
    Path from;

    @Option(names = "--to", required = true, paramLabel = "JDBC_URL",
            description = "The target PostgreSQL database, e.g. jdbc:postgresql://db:5432/vectorsync "
                    + "(user and password may be in the URL).")
    String to;

    @Option(names = "--user", paramLabel = "USER", defaultValue = "${env:VECTORSYNC_STORE_USER}",
            description = "The target's user (default: $VECTORSYNC_STORE_USER).")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", defaultValue = "${env:VECTORSYNC_STORE_PASSWORD}",
            description = "The target's password (default: $VECTORSYNC_STORE_PASSWORD).")
    String password;

    @Option(names = "--batch-size", paramLabel = "ROWS", defaultValue = "1000",
            description = "Rows per insert batch and transaction (also at most 16 MiB), default ${DEFAULT-VALUE}.")
    int batchSize;

    @Mixin
    ProgressOption progressOption;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!to.startsWith("jdbc:postgresql:")) {
            throw new ParameterException(spec.commandLine(), "--to must be a PostgreSQL JDBC URL "
                    + "(jdbc:postgresql://host:5432/database), not '" + redact(to) + "'");
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be between 1 and 100000, not " + batchSize);
        }
        Progress progress = progressOption.create(err);
        Path dataDir = from.toAbsolutePath().normalize();
        try (EventStoreDatabase source = openSource(dataDir);
             EventStoreDatabase target = openTarget()) {
            StoreMigration migration = new StoreMigration(source, target, batchSize);
            List<StoreMigration.Table> tables = migration.plan();
            long total = tables.stream().mapToLong(StoreMigration.Table::sourceRows).sum();
            out.println("Source: " + source.description() + " (schema step " + StoreMigration.schemaStep(source) + "), "
                    + Progress.number(total) + " rows in " + tables.size() + " tables");
            migration.requireEmptyTarget(tables);
            out.println("Target: " + redact(to) + " (schema step " + StoreMigration.schemaStep(target)
                    + "), empty");
            out.flush();

            long started = System.nanoTime();
            for (StoreMigration.Table table : tables) {
                try (Progress.Task task = progress.start(table.name(), table.sourceRows(), "rows")) {
                    migration.copy(table, task);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            out.println("Copied " + Progress.number(total) + " rows in " + String.format(Locale.ROOT, "%.1f s", seconds)
                    + " (" + Progress.number(Math.round(total / Math.max(seconds, 1e-3))) + " rows/s)");
            for (StoreMigration.Identity identity : migration.moveIdentities(tables)) {
                out.println("  " + identity.table() + "." + identity.column() + ": " + identity.sequence()
                        + (identity.highest() == null ? " unchanged (no rows)"
                        : " set to " + identity.highest() + ", the highest copied; the next one is "
                        + (identity.highest() + 1)));
            }
            out.flush();

            List<StoreMigration.Check> checks;
            try (Progress.Task task = progress.start("verifying", 2 * total, "rows")) {
                checks = migration.verify(tables, task);
            }
            int width = tables.stream().mapToInt(t -> t.name().length()).max().orElse(10);
            boolean ok = true;
            for (StoreMigration.Check check : checks) {
                ok &= check.ok();
                out.println(String.format(Locale.ROOT, "  %-" + width + "s %12s rows  sha256 %s  %s",
                        check.table().name(), Progress.number(check.target().rows()),
                        check.target().sha256().substring(0, 16),
                        check.ok() ? "ok" : "DIFFERS: source " + Progress.number(check.source().rows()) + " rows, sha256 "
                                + check.source().sha256().substring(0, 16)));
            }
            if (!ok) {
                throw new Failure("verification failed: the target differs from the source in "
                        + String.join(", ", checks.stream().filter(c -> !c.ok()).map(c -> c.table().name()).toList())
                        + "; do not use it");
            }
            out.println("Verified: every table holds the same rows in both stores (row counts and SHA-256 checksums).");
            // the embedded store keeps the documents' data keys in a file of their own: they move into DocumentKey,
            // wrapped as they are (the master key stays the same), or the sealed content could not be read
            List<WrappedKey> keys = new ArrayList<>();
            long[] moved = {0, 0};
            KeyFile.exportWrapped(dataDir, key -> {
                keys.add(key);
                moved[1] += key.wrapped() == null ? 1 : 0;
                if (keys.size() == 1000) {
                    moved[0] += KeyTable.insertWrapped(target.dataSource(), keys);
                    keys.clear();
                }
            });
            moved[0] += keys.isEmpty() ? 0 : KeyTable.insertWrapped(target.dataSource(), keys);
            out.println("Data keys: " + Progress.number(moved[0]) + " generations moved from " + dataDir.resolve(KeyFile.FILE)
                    + " into DocumentKey (" + Progress.number(moved[1]) + " destroyed by erasures, kept as such); start "
                    + "with the same master key (vectorsync.security.master-key or its file; the generated one is "
                    + dataDir.resolve("keys/master.key") + ")");
            out.println("Next: start Vectorsync with vectorsync.store.url=" + redact(to)
                    + " (VECTORSYNC_STORE_URL) and the data directory " + dataDir
                    + "; its indexes stay. Keep " + dataDir.resolve("events") + " as a backup, but never start on it again.");
            return VectorsyncCli.OK;
        }
    }

    static EventStoreDatabase openSource(Path dataDir) {
        Path file = dataDir.resolve("events").resolve("vectorsync.mv.db");
        if (!Files.isRegularFile(file)) {
            if (Files.isRegularFile(dataDir.resolve("vectorsync.mv.db")) && dataDir.getParent() != null) {
                throw new Failure("--from names the data directory, " + dataDir.getParent() + ", not its "
                        + dataDir.getFileName() + "/ directory");
            }
            throw new Failure("no embedded store at " + file + ": --from names a Vectorsync data directory "
                    + "(the one holding events/ and index/)");
        }
        try {
            return EventStoreDatabase.openH2(dataDir);
        } catch (RuntimeException e) {
            boolean inUse = Errors.chain(e).stream()
                    .anyMatch(t -> t instanceof SQLException sql && sql.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1);
            if (inUse) {
                throw new Failure("the store in " + dataDir + " is in use by another process (a running Vectorsync?): "
                        + "stop it first, the migration needs the store to itself", e);
            }
            throw new Failure("cannot open the source store " + file + ": " + Errors.rootMessage(e), e);
        }
    }

    private EventStoreDatabase openTarget() {
        try {
            return EventStoreDatabase.open(new StoreSettings(withBatchedInserts(to), blankToNull(user),
                    blankToNull(password), 4), null);
        } catch (RuntimeException e) {
            throw new Failure("cannot open the target store " + redact(to) + ": " + databaseMessage(e), e);
        }
    }

    /** The database's (or its driver's) own words: the innermost SQL exception's message. */
    private static String databaseMessage(Throwable e) {
        String message = null;
        for (Throwable t : Errors.chain(e)) {
            if (t instanceof SQLException && t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message == null ? Errors.rootMessage(e) : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /**
     * The URL with pgjdbc's {@code reWriteBatchedInserts} (a batch of inserts sent as multi-row inserts, about a
     * third faster here) unless the URL sets it.
     */
    static String withBatchedInserts(String url) {
        if (url.toLowerCase(Locale.ROOT).contains("rewritebatchedinserts=")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    static String redact(String url) {
        return url.replaceAll("password=[^&;]*", "password=…");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
