package io.vectorsync.cli.store;

import io.vectorsync.cli.Failure;
import io.vectorsync.cli.Progress;
import io.vectorsync.cli.ProgressOption;
import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.StoreSettings;
import io.vectorsync.store.keys.DataKeys;
import io.vectorsync.store.keys.MasterKey;
import io.vectorsync.store.keys.StoreMasterKey;
import io.vectorsync.store.keys.StoredEventSealing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code vectorsync store encrypt}: seals the content of events stored before sealing was switched on (issue 21), in
 * place, then rewrites the store so the plaintext is not left in free pages (see {@link StoredEventSealing}).
 */
@Command(name = "encrypt",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Seals the content of events stored before content sealing was switched on (Vectorsync before its "
                        + "right-to-erasure release), in the event table and the dead-letter queues, with each "
                        + "document's data key; events of documents erased since are sealed under a key that is never "
                        + "kept, so they read as erased. Then the store is rewritten whole (the embedded store's file "
                        + "compacted; PostgreSQL's tables by VACUUM FULL), so the plaintext is not left in free pages.",
                "",
                "Resumable: sealed events are left alone, so a run cut short goes on where it stopped when run "
                        + "again. The store must not be in use: stop Vectorsync first. Use the master key Vectorsync "
                        + "uses (the same settings), or the data directory's generated one.",
                ""},
        footer = {"", "Copies outside the store are not reached: PostgreSQL's WAL and archives, and every backup, keep "
                + "the plaintext until they expire.",
                "Exit codes: 0 done, 1 failed, 2 wrong usage."})
final class EncryptCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DATA_DIR",
            description = "The data directory (its embedded store, its key file, its generated master key).")
    Path dataDir;

    @Option(names = "--store-url", paramLabel = "JDBC_URL", defaultValue = "${env:VECTORSYNC_STORE_URL}",
            description = "A PostgreSQL store instead of the embedded one (default: $VECTORSYNC_STORE_URL).")
    String storeUrl;

    @Option(names = "--user", paramLabel = "USER", defaultValue = "${env:VECTORSYNC_STORE_USER}",
            description = "The PostgreSQL user (default: $VECTORSYNC_STORE_USER).")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", defaultValue = "${env:VECTORSYNC_STORE_PASSWORD}",
            description = "The PostgreSQL password (default: $VECTORSYNC_STORE_PASSWORD).")
    String password;

    @Option(names = "--master-key-file", paramLabel = "FILE", defaultValue = "${env:VECTORSYNC_SECURITY_MASTER_KEY_FILE}",
            description = "The master key's file, as vectorsync.security.master-key-file (the key itself is read from "
                    + "$VECTORSYNC_SECURITY_MASTER_KEY; with neither, the data directory's keys/master.key).")
    Path masterKeyFile;

    @Option(names = "--page", paramLabel = "EVENTS", defaultValue = "500",
            description = "Events per transaction, default ${DEFAULT-VALUE}.")
    int page;

    @Mixin
    ProgressOption progressOption;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (page < 1 || page > 100_000) {
            throw new ParameterException(spec.commandLine(), "--page must be between 1 and 100000, not " + page);
        }
        Path data = dataDir.toAbsolutePath().normalize();
        boolean embedded = storeUrl == null || storeUrl.isBlank();
        if (embedded && !Files.isRegularFile(data.resolve("events").resolve("vectorsync.mv.db"))) {
            throw new Failure("no embedded store at " + data.resolve("events") + ": --data-dir names a Vectorsync "
                    + "data directory, or --store-url a PostgreSQL store");
        }
        Progress progress = progressOption.create(spec.commandLine().getErr());
        StoredEventSealing.Outcome outcome;
        long started = System.nanoTime();
        try (EventStoreDatabase database = embedded ? MigrateCommand.openSource(data)
                : EventStoreDatabase.open(new StoreSettings(storeUrl, blankToNull(user), blankToNull(password), 4), data)) {
            MasterKey master = StoreMasterKey.resolve(database, System.getenv("VECTORSYNC_SECURITY_MASTER_KEY"),
                    masterKeyFile);
            outcome = seal(database, master, data, progress, spec.commandLine().getOut());
        }
        if (embedded) {
            EventStoreDatabase.compactH2(data);
        }
        out.println(String.format(Locale.ROOT, "Sealed %s events (%s of documents erased since, now unreadable); %s "
                        + "were sealed already; %s examined in %.1f s.", Progress.number(outcome.sealed()),
                Progress.number(outcome.ofErasedDocuments()), Progress.number(outcome.alreadySealed()),
                Progress.number(outcome.events()), (System.nanoTime() - started) / 1e9));
        out.println(embedded ? "The store's file was rewritten whole: no plaintext is left in its free pages."
                : "DomainEventEntry and DeadLetterEntry were rewritten (VACUUM FULL); the WAL and backups still hold "
                + "the old rows until they expire.");
        return VectorsyncCli.OK;
    }

    private StoredEventSealing.Outcome seal(EventStoreDatabase database, MasterKey master, Path data, Progress progress,
                                            PrintWriter out) {
        StoredEventSealing.Outcome outcome;
        try (DataKeys keys = database.dataKeys(master, data)) {
            database.transactionManager().beforeEachCommit(keys::flush);
            StoredEventSealing sealing = new StoredEventSealing(database, keys, page);
            out.println("Store: " + database.description() + "; master key " + master.origin() + " (fingerprint "
                    + master.fingerprint() + ")");
            out.flush();
            try (Progress.Task task = progress.start("sealing", sealing.candidates(), "events")) {
                outcome = sealing.sealAll(task::advance);
            }
            sealing.rewrite();
        }
        return outcome;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
