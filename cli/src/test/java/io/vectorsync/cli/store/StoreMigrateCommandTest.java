package io.vectorsync.cli.store;

import io.vectorsync.cli.Progress;
import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.StoreSettings;
import io.vectorsync.store.TestPostgres;
import io.vectorsync.upcasters.Upcasters;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.vectorsync.cli.store.SourceStores.TABLES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vectorsync store migrate} from a real embedded store into a fresh database of the test PostgreSQL
 * ({@link TestPostgres}), through the command line's entry point as {@code bin/vectorsync} calls it.
 */
class StoreMigrateCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void everyTableIsCopiedRowByRowAndTheTargetContinuesWhereTheSourceStopped() throws Exception {
        SourceStores.create(dataDir, 20);
        Map<String, List<Map<String, Object>>> source;
        List<Integer> sourceSteps;
        try (Connection h2 = SourceStores.h2(dataDir)) {
            source = SourceStores.rows(h2, TABLES);
            sourceSteps = steps(h2);
        }
        assertThat(source.values()).allSatisfy(rows -> assertThat(rows).isNotEmpty());
        StoreSettings target = TestPostgres.freshDatabase();

        Cli run = cli("store", "migrate", "--from", dataDir.toString(), "--to", target.url(), "--batch-size", "7");

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).contains("56 rows in 14 tables", "), empty", "Copied 56 rows",
                        "domainevententry_globalindex_seq set to 42", "auditrecord_id_seq set to 5",
                        "Verified: every table holds the same rows")
                .doesNotContain(target.url().replaceAll(".*password=", ""));
        assertThat(run.err()).contains("DomainEventEntry: 40 rows in");
        try (Connection postgres = DriverManager.getConnection(target.url());
             Connection h2 = SourceStores.h2(dataDir)) {
            Map<String, List<Map<String, Object>>> copied = SourceStores.rows(postgres, TABLES);
            for (String table : TABLES) {
                assertThat(copied.get(table)).as(table).containsExactlyElementsOf(source.get(table));
            }
            assertThat(SourceStores.rows(h2, TABLES)).as("the source is left as it was").isEqualTo(source);
            assertThat(steps(postgres)).isEqualTo(sourceSteps);
            // the rolled-back append's indexes stay a gap: no event was renumbered
            assertThat(globalIndexes(postgres)).hasSize(40).doesNotContain(23L, 24L).contains(22L, 25L, 42L);
        }

        try (EventStoreDatabase postgres = EventStoreDatabase.open(target, null)) {
            // events read through Axon as before, and a new one takes the next global index
            EventStorageEngine engine = postgres.storageEngine(SourceStores.SERIALIZER, Upcasters.chain());
            List<? extends TrackedEventMessage<?>> events = engine.readEvents(null, false).toList();
            assertThat(events).hasSize(40);
            assertThat(events.getFirst().getMetaData()).containsEntry("user", "zoë ✓");
            assertThat(((DomainEventMessage<?>) events.getLast()).getAggregateIdentifier()).isEqualTo("acme/doc-19");
            // the snapshot row was copied like every other (above); the app takes and reads no snapshots
            postgres.transactionManager().executeInTransaction(() ->
                    engine.appendEvents(SourceStores.event("acme/new", 0, Map.of())));
            assertThat(postgres.position("acme/new", 0)).hasValue(43);
            // tokens: the processors resume where they were
            TokenStore tokens = postgres.tokenStore(SourceStores.SERIALIZER, "node-1");
            assertThat(postgres.transactionManager().fetchInTransaction(() -> tokens.fetchToken("encoder", 0))
                    .position()).hasValue(7);
            assertThat(postgres.transactionManager().fetchInTransaction(() -> tokens.fetchToken("vector-index", 0))
                    .position()).hasValue(42);
            assertThat(postgres.deadLetterQueue("vector-index", SourceStores.SERIALIZER).amountOfSequences()).isEqualTo(1);
            assertThat(postgres.indexVersions()).hasSize(2);
            assertThat(postgres.accessTables().keys()).hasSize(2);
            postgres.accessTables().append(Instant.now(), null, null, "test", "after the migration", "ok", 200);
            assertThat(postgres.accessTables().audit(1, null).getFirst().id()).isEqualTo(6);
        }
    }

    /** The embedded store's data keys (its key file) move into PostgreSQL's key table, wrapped as they were. */
    @Test
    void theDataKeysMoveIntoTheKeyTableAndOpenWithTheSameMasterKey() throws Exception {
        SourceStores.create(dataDir, 3);
        io.vectorsync.store.keys.MasterKey master = io.vectorsync.store.keys.MasterKey.resolve(null, null, dataDir);
        javax.crypto.SecretKey kept;
        try (io.vectorsync.store.keys.KeyFile keys = io.vectorsync.store.keys.KeyFile.open(dataDir, master)) {
            kept = keys.current("acme", "doc-1").key();
            keys.current("acme", "doc-2");
            keys.destroy("acme", "doc-2");
            keys.current("acme", "doc-2"); // written again after an erasure: generation 2
            keys.destroy("other", "gone"); // never had a key: nothing
        }
        StoreSettings target = TestPostgres.freshDatabase();

        Cli run = cli("store", "migrate", "--from", dataDir.toString(), "--to", target.url());

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Data keys: 3 generations moved", "1 destroyed by erasures");
        try (EventStoreDatabase postgres = EventStoreDatabase.open(target, null);
             io.vectorsync.store.keys.DataKeys table = postgres.dataKeys(master, dataDir)) {
            assertThat(table.find("acme", "doc-1", 1)).hasValueSatisfying(key ->
                    assertThat(key.getEncoded()).isEqualTo(kept.getEncoded()));
            assertThat(table.find("acme", "doc-2", 1)).as("destroyed stays destroyed").isEmpty();
            assertThat(table.find("acme", "doc-2", 2)).isPresent();
            assertThat(table.current("acme", "doc-2").generation()).isEqualTo(2);
        }
    }

    @Test
    void aSecondMigrationIntoTheSameTargetIsRefusedAndWritesNothing() throws Exception {
        SourceStores.create(dataDir, 3);
        StoreSettings target = TestPostgres.freshDatabase();
        assertThat(cli("store", "migrate", "--from", dataDir.toString(), "--to", target.url()).code()).isZero();
        Map<String, List<Map<String, Object>>> before;
        try (Connection postgres = DriverManager.getConnection(target.url())) {
            before = SourceStores.rows(postgres, TABLES);
        }

        Cli again = cli("store", "migrate", "--from", dataDir.toString(), "--to", target.url());

        assertThat(again.code()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("vectorsync: the target store is not empty (DomainEventEntry, "
                + "SnapshotEventEntry, TokenEntry, DeadLetterEntry, IndexVersion, ApiKey, AuditRecord hold rows): "
                + "a migration copies only into an empty store, e.g. a new database; nothing was written\n");
        assertThat(again.out()).doesNotContain("Copied");
        try (Connection postgres = DriverManager.getConnection(target.url())) {
            assertThat(SourceStores.rows(postgres, TABLES)).isEqualTo(before);
        }
    }

    @Test
    void aTargetWithOnlyATokenIsNotEmpty() throws Exception {
        SourceStores.create(dataDir, 1);
        StoreSettings target = TestPostgres.freshDatabase();
        try (EventStoreDatabase postgres = EventStoreDatabase.open(target, null)) {
            postgres.transactionManager().executeInTransaction(() ->
                    postgres.tokenStore(SourceStores.SERIALIZER, "other").initializeTokenSegments("encoder", 1));
        }

        Cli run = cli("store", "migrate", "--from", dataDir.toString(), "--to", target.url());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("not empty (TokenEntry hold rows)");
        try (Connection postgres = DriverManager.getConnection(target.url())) {
            assertThat(SourceStores.rows(postgres, TABLES).values().stream().mapToInt(List::size).sum()).isEqualTo(1);
        }
    }

    @Test
    void aWrongTargetIsAOneLineErrorWithTheDatabasesReason() {
        SourceStores.create(dataDir, 1);
        String url = TestPostgres.freshDatabase().url();

        Cli noDatabase = cli("store", "migrate", "--from", dataDir.toString(), "--to",
                url.replaceFirst("/vs_test_[a-z0-9_]+", "/no_such_database"));
        assertThat(noDatabase.code()).isEqualTo(1);
        assertThat(noDatabase.err()).startsWith("vectorsync: cannot open the target store jdbc:postgresql://")
                .contains("database \"no_such_database\" does not exist").hasLineCount(1)
                .doesNotContain(url.replaceAll(".*password=", ""));

        Cli wrongPassword = cli("store", "migrate", "--from", dataDir.toString(), "--to",
                url.replaceAll("password=[^&]*", "password=wrong"));
        assertThat(wrongPassword.code()).isEqualTo(1);
        assertThat(wrongPassword.err()).contains("password authentication failed").hasLineCount(1)
                .doesNotContain("wrong");

        Cli nobodyThere = cli("store", "migrate", "--from", dataDir.toString(), "--to", "jdbc:postgresql://127.0.0.1:1/x");
        assertThat(nobodyThere.code()).isEqualTo(1);
        assertThat(nobodyThere.err()).contains("cannot open the target store jdbc:postgresql://127.0.0.1:1/x: ")
                .contains("refused").hasLineCount(1);

        Cli notPostgres = cli("store", "migrate", "--from", dataDir.toString(), "--to", "jdbc:h2:mem:x");
        assertThat(notPostgres.code()).isEqualTo(2);
        assertThat(notPostgres.err()).contains("--to must be a PostgreSQL JDBC URL").hasLineCount(1);
    }

    @Test
    void aSourceInUseByAnotherProcessIsRefused() throws Exception {
        SourceStores.create(dataDir, 1);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, HoldStore.class.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(said.readLine()).isEqualTo("open");

            Cli run = cli("store", "migrate", "--from", dataDir.toString(), "--to", TestPostgres.freshDatabase().url());

            assertThat(run.code()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("vectorsync: the store in " + dataDir.toAbsolutePath().normalize()
                    + " is in use by another process (a running Vectorsync?): stop it first, the migration needs the "
                    + "store to itself\n");
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(30, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        }
    }

    @Test
    void aMissingSourceIsNamed() throws Exception {
        Cli run = cli("store", "migrate", "--from", dataDir.resolve("nope").toString(), "--to", TestPostgres.url());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("vectorsync: no embedded store at " + dataDir.resolve("nope/events/vectorsync.mv.db")
                + ": --from names a Vectorsync data directory (the one holding events/ and index/)\n");
        assertThat(dataDir.resolve("nope")).doesNotExist();

        SourceStores.create(dataDir, 1);
        Cli eventsDirectory = cli("store", "migrate", "--from", dataDir.resolve("events").toString(), "--to", TestPostgres.url());
        assertThat(eventsDirectory.code()).isEqualTo(1);
        assertThat(eventsDirectory.err()).contains("--from names the data directory, " + dataDir + ", not its events/ directory");
        assertThat(Files.exists(dataDir.resolve("events/events"))).isFalse();
    }

    @Test
    void aTamperedCopyFailsVerification() throws Exception {
        SourceStores.create(dataDir, 3);
        StoreSettings target = TestPostgres.freshDatabase();
        assertThat(cli("store", "migrate", "--from", dataDir.toString(), "--to", target.url()).code()).isZero();
        try (Connection postgres = DriverManager.getConnection(target.url());
             Statement statement = postgres.createStatement()) {
            statement.executeUpdate("UPDATE TokenEntry SET owner = 'someone' WHERE processorName = 'encoder'");
            statement.executeUpdate("DELETE FROM AuditRecord WHERE id = 3");
        }

        List<String> differ = new ArrayList<>();
        try (EventStoreDatabase source = EventStoreDatabase.openH2(dataDir);
             EventStoreDatabase copy = EventStoreDatabase.open(target, null)) {
            StoreMigration migration = new StoreMigration(source, copy, 2);
            List<StoreMigration.Table> tables = migration.plan();
            for (StoreMigration.Check check : migration.verify(tables, Progress.NONE.start("verifying", 0, "rows"))) {
                if (!check.ok()) {
                    differ.add(check.table().name() + " " + check.source().rows() + "/" + check.target().rows());
                }
            }
        }
        assertThat(differ).containsExactly("TokenEntry 3/3", "AuditRecord 5/4");
    }

    @Test
    void helpVersionAndUsageErrors() {
        Cli help = cli("store", "migrate", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: vectorsync store migrate", "--from=DATA_DIR", "--to=JDBC_URL", "Exit codes");

        Cli top = cli("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("Usage: vectorsync", "store");

        Cli version = cli("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("vectorsync 0.");

        Cli noSubcommand = cli("store");
        assertThat(noSubcommand.code()).isEqualTo(2);
        assertThat(noSubcommand.err()).isEqualTo("vectorsync: Missing required subcommand (see 'vectorsync store --help')\n");

        Cli missing = cli("store", "migrate", "--to", "jdbc:postgresql://x/y");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--from=DATA_DIR'").hasLineCount(1);

        Cli unknown = cli("store", "migrate", "--from", "x", "--to", "jdbc:postgresql://x/y", "--fast");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--fast'").hasLineCount(1);

        Cli badBatch = cli("store", "migrate", "--from", "x", "--to", "jdbc:postgresql://x/y", "--batch-size", "0");
        assertThat(badBatch.code()).isEqualTo(2);
        assertThat(badBatch.err()).contains("--batch-size must be between 1 and 100000").hasLineCount(1);
    }

    // --- helpers

    record Cli(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VectorsyncCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(code, out.toString(), err.toString().replace(System.lineSeparator(), "\n"));
    }

    private static List<Integer> steps(Connection connection) throws Exception {
        List<Integer> steps = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT version FROM SchemaVersion ORDER BY version")) {
            while (rs.next()) {
                steps.add(rs.getInt(1));
            }
        }
        return steps;
    }

    private static List<Long> globalIndexes(Connection connection) throws Exception {
        List<Long> indexes = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT globalIndex FROM DomainEventEntry ORDER BY globalIndex")) {
            while (rs.next()) {
                indexes.add(rs.getLong(1));
            }
        }
        return indexes;
    }
}
